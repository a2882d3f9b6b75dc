"""The screening panel as pages show it: flags grouped by severity, overrides beside the blocks
they resolve, and flags turned into plain dicts for the snapshots kept on signed records."""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mesotrack.assessment.models import ScreeningOverride
from mesotrack.screening.engine import Flag

SEVERITY_ORDER = ("block", "postpone", "warn", "info")
SEVERITY_TITLES = {
    "block": "Blocks treatment",
    "postpone": "Postpone treatment",
    "warn": "Warnings",
    "info": "For information",
}
SEVERITY_LEVELS = {"block": "danger", "postpone": "danger", "warn": "warning", "info": "info"}


@dataclass(frozen=True)
class PanelFlag:
    flag: Flag
    override: ScreeningOverride | None = None

    @property
    def resolved(self) -> bool:
        return self.override is not None


@dataclass(frozen=True)
class PanelGroup:
    severity: str
    title: str
    level: str
    flags: tuple[PanelFlag, ...]


@dataclass(frozen=True)
class ScreeningPanel:
    groups: tuple[PanelGroup, ...]
    unresolved_blocks: tuple[Flag, ...]
    proposed_label: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def override_for(flag: Flag, overrides: Iterable[ScreeningOverride]) -> ScreeningOverride | None:
    """The override that resolves `flag`: same code, and same ingredient unless it names none."""
    if flag.severity != "block":
        return None
    for override in overrides:
        if override.flag_code == flag.code and override.ingredient in ("", flag.ingredient or ""):
            return override
    return None


def build_panel(
    flags: Sequence[Flag],
    overrides: Sequence[ScreeningOverride],
    proposed_label: str = "",
    notes: Sequence[str] = (),
) -> ScreeningPanel:
    groups = []
    for severity in SEVERITY_ORDER:
        members = tuple(
            PanelFlag(flag, override_for(flag, overrides))
            for flag in flags
            if flag.severity == severity
        )
        if members:
            groups.append(
                PanelGroup(severity, SEVERITY_TITLES[severity], SEVERITY_LEVELS[severity], members)
            )
    unresolved = tuple(
        f for f in flags if f.severity in ("block", "postpone") and not override_for(f, overrides)
    )
    return ScreeningPanel(tuple(groups), unresolved, proposed_label, tuple(notes))


def flag_to_dict(flag: Flag) -> dict[str, Any]:
    return dataclasses.asdict(flag)


def flags_to_dicts(flags: Iterable[Flag]) -> list[dict[str, Any]]:
    return [flag_to_dict(flag) for flag in flags]


def flags_from_dicts(rows: Iterable[dict[str, Any]]) -> list[Flag]:
    names = {f.name for f in dataclasses.fields(Flag)}
    flags = []
    for row in rows:
        values: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in row.items()
            if key in names
        }
        flags.append(Flag(**values))
    return flags
