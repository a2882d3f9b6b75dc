"""Compare an analysis with the ground truth: counts, matched exit points, diameters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from mesotrack.imaging.model import Analysis, Hair
from mesotrack.imaging.synthetic import GroundTruth, TrueHair

# A detected exit point matches a true one within 0.1 mm (about 1.5 terminal shaft widths).
MATCH_TOLERANCE_MM = 0.1


@dataclass(frozen=True)
class Score:
    true_count: int
    found_count: int
    matched: int
    diameter_errors_um: tuple[float, ...]
    vellus_agreement: tuple[bool, ...]

    @property
    def count_error(self) -> float:
        return abs(self.found_count - self.true_count) / max(self.true_count, 1)

    @property
    def precision(self) -> float:
        return self.matched / self.found_count if self.found_count else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.true_count if self.true_count else 1.0

    @property
    def f1(self) -> float:
        total = self.found_count + self.true_count
        return 2 * self.matched / total if total else 1.0


def score(
    analysis: Analysis, truth: GroundTruth, tolerance_mm: float = MATCH_TOLERANCE_MM
) -> Score:
    """Hungarian matching of exit points; diameters are compared on matched hairs."""
    errors: list[float] = []
    agreement: list[bool] = []
    pairs = matched_pairs(analysis, truth, tolerance_mm)
    for detected, reference in pairs:
        errors.append(abs(detected.diameter_um - reference.diameter_um))
        agreement.append(detected.is_vellus == reference.is_vellus)
    return Score(
        true_count=truth.count,
        found_count=len(analysis.hairs),
        matched=len(pairs),
        diameter_errors_um=tuple(errors),
        vellus_agreement=tuple(agreement),
    )


def matched_pairs(
    analysis: Analysis, truth: GroundTruth, tolerance_mm: float = MATCH_TOLERANCE_MM
) -> list[tuple[Hair, TrueHair]]:
    """Found and true hairs paired one to one by exit point, as many pairs within the
    tolerance as possible and, among those, the closest (Hungarian assignment)."""
    counted = truth.counted
    found = np.asarray([hair.exit_point for hair in analysis.hairs], dtype=float).reshape(-1, 2)
    true = np.asarray([hair.exit_point for hair in counted], dtype=float).reshape(-1, 2)
    if not len(found) or not len(true):
        return []
    tolerance = tolerance_mm * truth.px_per_mm
    distance = np.hypot(*(found[:, None, :] - true[None, :, :]).transpose(2, 0, 1))
    rows, cols = linear_sum_assignment(np.where(distance <= tolerance, distance, 1e6))
    return [
        (analysis.hairs[row], counted[col])
        for row, col in zip(rows, cols, strict=True)
        if distance[row, col] <= tolerance
    ]
