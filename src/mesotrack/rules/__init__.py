"""Clinical rule tables: data files under `data/`, each row citing its `source`.

Public API: `load_table(name)`, `validate_all_tables()`, `table_names()`, `RuleTable`, `RuleRow`.
"""

from mesotrack.rules.loader import (
    RuleRow,
    RuleTable,
    load_table,
    parse_table_file,
    table_names,
    validate_all_tables,
)

__all__ = [
    "RuleRow",
    "RuleTable",
    "load_table",
    "parse_table_file",
    "table_names",
    "validate_all_tables",
]
