"""Rule table data files (JSON); a package so the files ship with the wheel."""
