"""Staging scales and examination scores (clinical_rules.md §4 and §6).

Scales and their stages come from the staging_scales rule table: Norwood–Hamilton for male
pattern loss (§4.1), Ludwig, Sinclair and Olsen for female pattern loss (§4.2, §4.3 — Sinclair's
grade wording is [V] — and §4.5), SALT for alopecia areata (§4.8). The pull test, ASFS and SALT
arithmetic take their parameters from the examination_rules table (§6, §4.8), so a clinic can
adjust the pull-test cut-off, which the sources give as a range.

Reference drawings: static files `assessment/stages/<scale>-<value with spaces as '-'>.svg`
(e.g. norwood-III-vertex.svg); every SALT class shares `assessment/stages/salt-regions.svg`.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from mesotrack.screening import tables


@dataclass(frozen=True)
class StageDefinition:
    value: str
    label: str
    description: str
    source: str
    drawing: str  # static path, e.g. "assessment/stages/norwood-IIIa.svg"


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    stages: tuple[StageDefinition, ...]
    diagnoses: frozenset[str]
    source: str
    kind: str = "stages"  # "percent" for SALT: the recorded value is the total, 0–100
    advanced_from: str | None = None  # first stage the decision aid counts as advanced
    early_up_to: str | None = None  # last stage it counts as early

    def stage(self, value: str) -> StageDefinition | None:
        """The stage `value` names (for SALT, the class of a total such as "30")."""
        if self.kind == "percent":
            total = parse_salt_total(value)
            if total is None:
                return None
            value = salt_class(total)
        return next((stage for stage in self.stages if stage.value == value), None)

    def position(self, value: str) -> int | None:
        stage = self.stage(value)
        return self.stages.index(stage) if stage else None


def drawing_path(scale: str, value: str) -> str:
    if scale == "salt":
        return "assessment/stages/salt-regions.svg"
    return f"assessment/stages/{scale}-{value.replace(' ', '-')}.svg"


@cache
def _scales() -> dict[str, Scale]:
    scales = {}
    for code, row in tables.staging_scales().items():
        stages = tuple(
            StageDefinition(
                value=stage.value,
                label=stage.label,
                description=stage.description,
                source=row.source,
                drawing=drawing_path(code, stage.value),
            )
            for stage in row.stages
        )
        scales[code] = Scale(
            code=code,
            name=row.label,
            stages=stages,
            diagnoses=frozenset(row.diagnoses),
            source=row.source,
            kind=row.kind,
            advanced_from=row.advanced_from,
            early_up_to=row.early_up_to,
        )
    return scales


SCALES: Mapping[str, Scale] = MappingProxyType(_scales())


def scales_for_diagnosis(diagnosis: str) -> list[Scale]:
    """The scales that stage `diagnosis` (none for telogen effluvium or scarring alopecia)."""
    return [scale for scale in SCALES.values() if diagnosis in scale.diagnoses]


# vertex (top) 0.40, posterior 0.24, right 0.18, left 0.18 (§4.8)
SALT_REGIONS: Mapping[str, float] = MappingProxyType(tables.examination_params("salt_regions"))


def salt_class(total: float) -> str:
    """S0 = 0; S1 1–24; S2 25–49; S3 50–74; S4 75–99; S5 = 100 (§4.8)."""
    bounds = tables.examination_params("salt_classes")
    if total <= 0:
        return "S0"
    if total >= bounds["s5_at"]:
        return "S5"
    for name, start in (("S4", "s4_from"), ("S3", "s3_from"), ("S2", "s2_from")):
        if total >= bounds[start]:
            return name
    return "S1"


def parse_salt_total(value: str) -> float | None:
    """A SALT total written as text ("30", "42.5"), or None if it is not 0–100."""
    try:
        total = float(value)
    except (TypeError, ValueError):
        return None
    return total if math.isfinite(total) and 0 <= total <= 100 else None


def salt_score(percent_loss_by_region: Mapping[str, float]) -> tuple[float, str]:
    """(weighted total 0–100 rounded to 0.1, class "S0".."S5"); ValueError on bad input."""
    regions = dict(SALT_REGIONS)
    unknown = set(percent_loss_by_region) - set(regions)
    if unknown:
        raise ValueError(f"Unknown SALT region(s): {', '.join(sorted(unknown))}.")
    total = 0.0
    for region, weight in regions.items():
        loss = percent_loss_by_region.get(region, 0.0)
        if not (isinstance(loss, int | float) and math.isfinite(loss) and 0 <= loss <= 100):
            raise ValueError(f"Loss in the {region} region must be a percentage from 0 to 100.")
        total += loss * weight
    total = round(min(total, 100.0), 1)
    return total, salt_class(total)


def pull_test_positive(hairs_held: int, hairs_out: int) -> bool:
    """Positive if more than 10% of the hairs held come out, or at least 6 (§6, configurable)."""
    if hairs_held <= 0 or hairs_out < 0 or hairs_out > hairs_held:
        raise ValueError("Hairs out must be between 0 and the number of hairs held.")
    params = tables.examination_params("pull_test")
    percent = 100 * hairs_out / hairs_held
    return (
        percent > params["positive_percent_above"] or hairs_out >= params["positive_hairs_at_least"]
    )


def asfs_total(octants: Sequence[int]) -> int:
    """Adherent Scalp Flaking Score: 8 octants each 0–10, total 0–80 (§6)."""
    params = tables.examination_params("asfs")
    count, top = int(params["octants"]), int(params["max_per_octant"])
    if len(octants) != count:
        raise ValueError(f"Score all {count} octants.")
    if not all(_is_score(score, top) for score in octants):
        raise ValueError(f"Each octant scores from 0 to {top}.")
    return sum(octants)


def _is_score(score: object, top: int) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= top
