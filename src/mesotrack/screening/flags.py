"""Flags: what the screening engine says, built from a row of the screening_rules table."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from mesotrack.rules.schemas import ScreeningRuleRow

Severity = Literal["block", "postpone", "warn", "info"]
SEVERITY_ORDER: dict[str, int] = {"block": 0, "postpone": 1, "warn": 2, "info": 3}
# A block is a hard stop (a practitioner may override it with a reason); a postpone means
# "not today". Either one stops a session from starting.
STOPPING: frozenset[str] = frozenset({"block", "postpone"})


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    message: str
    source: str
    ingredient: str | None = None
    # The injectable modalities the flag concerns (the proposed one when a treatment was given).
    modalities: tuple[str, ...] = ()
    evidence: str = ""
    label: str = ""

    @property
    def stops_session(self) -> bool:
        return self.severity in STOPPING


def number(value: float) -> str:
    """A number for a sentence: 4.5 → "4.5", 315.0 → "315", 0.450 → "0.45"."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def in_sentence(label: str) -> str:
    """A label for the middle of a sentence: "Warfarin" → "warfarin", "HIV" stays "HIV"."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def joined(parts: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(dict.fromkeys(parts))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def flag_from_rule(
    rule: ScreeningRuleRow,
    *,
    modalities: tuple[str, ...],
    ingredient_code: str | None = None,
    **values: str,
) -> Flag:
    """The rule's flag with its message template filled from the rule's params and `values`."""
    fill = {key: number(float(value)) for key, value in rule.params.items()}
    fill.update(values)
    return Flag(
        code=rule.code,
        severity=rule.severity,
        message=sentence(rule.message.format_map(fill)),
        source=rule.source,
        ingredient=ingredient_code,
        modalities=modalities,
        evidence=rule.evidence or "",
        label=rule.label,
    )
