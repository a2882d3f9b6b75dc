"""Pure grading rules: what makes an adverse event alert the manager, and pain NRS bands."""

from dataclasses import dataclass

from mesotrack.rules.loader import load_table

ALERT_FROM_GRADE = 3  # CTCAE grade 3 is "severe or medically significant" (clinical_rules.md §3.2)


@dataclass(frozen=True)
class PainCutPoints:
    """Upper ends of the mild and moderate bands of the 0–10 NRS.

    The defaults (1–3 mild, 4–6 moderate, 7–10 severe) follow clinical_rules.md §3.2; Palos 2006
    uses mild_max=4, Boonstra 2016 mild_max=5, moderate_max=7.
    """

    mild_max: int = 3
    moderate_max: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.mild_max < self.moderate_max < 10:
            raise ValueError("Cut-points must satisfy 1 ≤ mild_max < moderate_max < 10.")


def default_pain_cut_points() -> PainCutPoints:
    """The cut-points of the shipped pain_nrs_bands table."""
    bands = {row.code: row.model_dump() for row in load_table("pain_nrs_bands")}
    return PainCutPoints(int(bands["mild"]["high"]), int(bands["moderate"]["high"]))


def pain_band(score: int, cut_points: PainCutPoints | None = None) -> str:
    """`none`, `mild`, `moderate` or `severe` for an NRS score 0–10."""
    if not 0 <= score <= 10:
        raise ValueError("A pain score is a whole number from 0 to 10.")
    points = cut_points or PainCutPoints()
    if score == 0:
        return "none"
    if score <= points.mild_max:
        return "mild"
    if score <= points.moderate_max:
        return "moderate"
    return "severe"


def needs_review(*, grade: int, serious: bool) -> bool:
    """A serious or grade ≥ 3 event alerts the manager and blocks sessions until reviewed."""
    return serious or grade >= ALERT_FROM_GRADE
