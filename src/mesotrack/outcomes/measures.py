"""The outcome measures: what each one is, its unit and its plausible range, and the checks and
derived values of a visit's entries. Pure functions; each refusal is a DomainError that names
the field at fault. Ranges and scales: clinical_rules.md §6 and trichoscopy.md §0–§1.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mesotrack.core.errors import DomainError


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    level: str  # "site" (per scalp site and capture) or "visit" (per visit)
    minimum: float
    maximum: float
    integer: bool = False
    decimals: int = 1
    help_text: str = ""

    def format(self, value: float | None) -> str:
        if value is None:
            return "—"
        number = f"{value:.0f}" if self.integer else f"{value:.{self.decimals}f}"
        return f"{number} {self.unit}".strip()

    @property
    def range_text(self) -> str:
        low, high = _number(self.minimum), _number(self.maximum)
        return f"{low} to {high}{(' ' + self.unit) if self.unit else ''}"


def _number(value: float) -> str:
    return f"{value:g}" if value >= 0 else f"−{abs(value):g}"


SITE_INPUTS = (
    Measure("hair_count", "Hair count", "hairs", "site", 0, 5000, integer=True),
    Measure("area_mm2", "Area counted", "mm²", "site", 1, 1000, decimals=2),
    Measure("density_per_cm2", "Density", "hairs/cm²", "site", 0, 600),
    Measure("mean_diameter_um", "Mean shaft diameter", "µm", "site", 5, 200),
    Measure("terminal_count", "Terminal hairs", "hairs", "site", 0, 5000, integer=True),
    Measure("vellus_count", "Vellus hairs", "hairs", "site", 0, 5000, integer=True),
    Measure(
        "cumulative_thickness_mm_per_cm2",
        "Cumulative hair thickness",
        "mm/cm²",
        "site",
        0,
        60,
        decimals=2,
        help_text="The sum of the shaft diameters per cm².",
    ),
    Measure(
        "anagen_percent",
        "Anagen hairs",
        "%",
        "site",
        0,
        100,
        help_text="Only from a two-visit phototrichogram (clipped, re-imaged 2–3 days later).",
    ),
)
VISIT_INPUTS = (
    Measure("hair_count_60s", "60-second hair count", "hairs", "visit", 0, 1000, integer=True),
    Measure(
        "pull_test_hairs_held", "Pull test: hairs held", "hairs", "visit", 1, 200, integer=True
    ),
    Measure("pull_test_hairs_out", "Pull test: hairs out", "hairs", "visit", 0, 200, integer=True),
    Measure("asfs_total", "ASFS (flaking)", "", "visit", 0, 80, integer=True),
    Measure(
        "global_photographic_score",
        "Global photographic assessment",
        "",
        "visit",
        -3,
        3,
        integer=True,
        help_text="−3 greatly decreased … 0 no change … +3 greatly increased.",
    ),
    Measure(
        "self_assessment_score",
        "Patient self-assessment",
        "",
        "visit",
        -3,
        3,
        integer=True,
        help_text="The patient's own rating, −3 much worse … +3 much better.",
    ),
    Measure("qol_score", "Quality-of-life score", "", "visit", 0, 100),
)
# Derived for the charts: the share of vellus hairs and the pull test as a percentage.
DERIVED = (
    Measure("vellus_percent", "Vellus hairs", "%", "site", 0, 100),
    Measure("pull_test_percent", "Pull test", "% out", "visit", 0, 100),
)
MEASURES = {m.key: m for m in (*SITE_INPUTS, *VISIT_INPUTS, *DERIVED)}
SITE_FIELDS = tuple(m.key for m in SITE_INPUTS)
VISIT_FIELDS = tuple(m.key for m in VISIT_INPUTS)
VISIT_TEXT_LIMITS = {"label": 60, "qol_instrument": 60, "notes": 5000}

# The series drawn over time, in the order the page shows them.
SITE_SERIES = (
    "density_per_cm2",
    "hair_count",
    "mean_diameter_um",
    "vellus_percent",
    "cumulative_thickness_mm_per_cm2",
    "anagen_percent",
)
VISIT_SERIES = (
    "hair_count_60s",
    "pull_test_percent",
    "asfs_total",
    "global_photographic_score",
    "self_assessment_score",
    "qol_score",
)
# Density counted from a count and an area may differ from a typed density by rounding only.
DENSITY_TOLERANCE = 0.01


def measure(key: str) -> Measure:
    return MEASURES[key]


def _converted(definition: Measure, raw: Any) -> float | int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise DomainError("Enter a number.", field=definition.key)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DomainError("Enter a number.", field=definition.key) from None
    if not math.isfinite(value):
        raise DomainError("Enter a number.", field=definition.key)
    if definition.integer:
        if value != int(value):
            raise DomainError("Enter a whole number.", field=definition.key)
        value = int(value)
    if not definition.minimum <= value <= definition.maximum:
        raise DomainError(
            f"{definition.label} must be from {definition.range_text}.", field=definition.key
        )
    return value


def _numbers(data: Mapping[str, Any], definitions: tuple[Measure, ...]) -> dict[str, Any]:
    return {m.key: _converted(m, data.get(m.key)) for m in definitions}


def _complete_split(values: dict[str, Any]) -> None:
    total, terminal, vellus = (
        values["hair_count"],
        values["terminal_count"],
        values["vellus_count"],
    )
    known = [v is not None for v in (total, terminal, vellus)]
    if all(known):
        if terminal + vellus != total:
            raise DomainError(
                f"Terminal and vellus hairs must add up to the hair count ({total}).",
                field="vellus_count",
            )
    elif known.count(True) == 2:
        if total is None:
            values["hair_count"] = terminal + vellus
        elif terminal is None:
            values["terminal_count"] = total - vellus
        else:
            values["vellus_count"] = total - terminal
        for name in ("terminal_count", "vellus_count"):
            if values[name] < 0:
                raise DomainError("There cannot be more of these hairs than the count.", field=name)


def _complete_density(values: dict[str, Any]) -> None:
    count, area, density = values["hair_count"], values["area_mm2"], values["density_per_cm2"]
    if count is None or area is None:
        return
    counted = round(count / (area / 100.0), 1)
    if density is not None and abs(density - counted) > max(0.5, DENSITY_TOLERANCE * counted):
        raise DomainError(
            f"The density does not match the count and the area, which give {counted:g} hairs/cm².",
            field="density_per_cm2",
        )
    if counted > MEASURES["density_per_cm2"].maximum:
        raise DomainError(
            f"{count} hairs on {area:g} mm² is {counted:g} hairs/cm²: check the area.",
            field="area_mm2",
        )
    values["density_per_cm2"] = counted


def checked_site_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The site measures of one capture, converted, range-checked and completed: a density from
    a count and area, the third of count/terminal/vellus from the other two."""
    values = _numbers(data, SITE_INPUTS)
    _complete_split(values)
    _complete_density(values)
    if all(values[key] is None for key in SITE_FIELDS if key != "area_mm2"):
        raise DomainError("Enter at least one measure for this site.", field="hair_count")
    return values


def checked_visit_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The visit-level measures and texts, converted and checked."""
    values: dict[str, Any] = _numbers(data, VISIT_INPUTS)
    held, out = values["pull_test_hairs_held"], values["pull_test_hairs_out"]
    if (held is None) != (out is None):
        missing = "pull_test_hairs_held" if held is None else "pull_test_hairs_out"
        raise DomainError("Give both the hairs held and the hairs that came out.", field=missing)
    if held is not None and out > held:
        raise DomainError(
            "More hairs came out than were held: check the pull test.",
            field="pull_test_hairs_out",
        )
    for name, limit in VISIT_TEXT_LIMITS.items():
        text = str(data.get(name) or "").strip()
        if len(text) > limit:
            raise DomainError(f"Keep this under {limit} characters.", field=name)
        values[name] = text
    if values["qol_score"] is not None and not values["qol_instrument"]:
        raise DomainError(
            "Name the questionnaire the quality-of-life score comes from.", field="qol_instrument"
        )
    return values


def has_visit_measure(values: Mapping[str, Any]) -> bool:
    return any(values.get(key) is not None for key in VISIT_FIELDS)


def pull_test_percent(held: int | None, out: int | None) -> float | None:
    if not held or out is None:
        return None
    return 100.0 * out / held


VISIT_DERIVED: dict[str, Callable[[Any], float | None]] = {
    "pull_test_percent": lambda visit: pull_test_percent(
        visit.pull_test_hairs_held, visit.pull_test_hairs_out
    ),
}
