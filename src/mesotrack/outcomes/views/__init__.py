"""Pages of the outcomes app, one module per kind of record."""
