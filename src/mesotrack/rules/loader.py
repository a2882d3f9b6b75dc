"""Load rule tables from JSON files and refuse any row that does not say where it comes from.

A table file is `{"table": name, "description": ..., "rows": [{"code", "label", "source", ...}]}`
named `<name>.json` under `data/`. Tables with a row model in `schemas.ROW_MODELS` get their extra
columns checked too; others keep their extra columns unchecked.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mesotrack.rules import catalogue_schemas  # noqa: F401 - registers the catalogue row models
from mesotrack.rules.schemas import ROW_MODELS, RuleRow

__all__ = [
    "DATA_DIR",
    "RuleRow",
    "RuleTable",
    "load_table",
    "parse_table_file",
    "table_names",
    "validate_all_tables",
]

DATA_DIR = Path(__file__).resolve().parent / "data"


class _TableFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    rows: list[dict[str, Any]] = Field(min_length=1)


@dataclass(frozen=True)
class RuleTable:
    """One validated table: rows in file order, looked up by code."""

    name: str
    description: str
    path: Path
    rows: tuple[RuleRow, ...]
    _by_code: dict[str, RuleRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {row.code: row for row in self.rows})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[RuleRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._by_code)

    def get(self, code: str) -> RuleRow:
        """The row with `code`; KeyError names the table when there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not in rule table {self.name!r}") from None

    def label(self, code: str) -> str:
        row = self._by_code.get(code)
        return row.label if row else code

    def choices(self) -> list[tuple[str, str]]:
        return [(row.code, row.label) for row in self.rows]


def _problem(path: Path, where: str, error: ValidationError) -> ImproperlyConfigured:
    first = error.errors()[0]
    column = ".".join(str(part) for part in first["loc"]) or "row"
    return ImproperlyConfigured(f"Rule table {path.name}, {where}: {column}: {first['msg']}")


def _parse_row(path: Path, model: type[RuleRow], index: int, raw: dict[str, Any]) -> RuleRow:
    code = raw.get("code") if isinstance(raw, dict) else None
    where = f"row {index + 1}" + (f" (code {code!r})" if code else "")
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise _problem(path, where, error) from None


def parse_table_file(path: Path) -> RuleTable:
    """Read and validate one table file; ImproperlyConfigured names the file and row at fault."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"Rule table {path.name} cannot be read: {error}") from None
    try:
        header = _TableFile.model_validate(raw)
    except ValidationError as error:
        raise _problem(path, "header", error) from None
    if header.table != path.stem:
        raise ImproperlyConfigured(
            f"Rule table {path.name}: table is {header.table!r} but the file is named "
            f"{path.stem!r}."
        )
    model = ROW_MODELS.get(header.table, RuleRow)
    rows = tuple(_parse_row(path, model, i, row) for i, row in enumerate(header.rows))
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.code in seen:
            raise ImproperlyConfigured(
                f"Rule table {path.name}, row {index + 1} (code {row.code!r}): "
                "code is used by an earlier row."
            )
        seen.add(row.code)
    return RuleTable(name=header.table, description=header.description, path=path, rows=rows)


def table_names() -> list[str]:
    """Every shipped table, by name."""
    return sorted(path.stem for path in DATA_DIR.glob("*.json"))


@cache
def load_table(name: str) -> RuleTable:
    """The validated table `name` (cached for the life of the process)."""
    path = DATA_DIR / f"{name}.json"
    if not path.is_file():
        raise ImproperlyConfigured(f"There is no rule table named {name!r} in {DATA_DIR}.")
    return parse_table_file(path)


def validate_all_tables() -> dict[str, RuleTable]:
    """Load every shipped table; raises ImproperlyConfigured on the first bad one."""
    return {name: load_table(name) for name in table_names()}
