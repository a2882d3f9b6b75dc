"""Drop second centre lines that run along the same shaft.

A shaft wider than the ridge filter expects shows one ridge near each edge. Two hairs lying
side by side also give two close parallel lines, but with a lighter seam between them; lines
with no seam between them are one hair.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from mesotrack.imaging.ends import TracedHair
from mesotrack.imaging.hairs import hair_length

PARALLEL_DEG = 20.0
# Lines further apart than this many shaft widths are two hairs, not one shaft traced twice.
REACH_WIDTHS = 1.1
CLOSE_SHARE = 0.7
# A seam is at least this much lighter than the shafts on either side of it (share of darkness).
SEAM_DEPTH = 0.1
# Two ridges of one wide shaft lie well inside it; the axes of two touching hairs lie about a
# shaft's width apart.
APART_SHARE = 0.75


def drop_twins(
    hairs: list[TracedHair], darkness: np.ndarray, shaft_width: float
) -> list[TracedHair]:
    order = sorted(range(len(hairs)), key=lambda index: -hair_length(hairs[index].points))
    nearby = _candidate_pairs(hairs, REACH_WIDTHS * shaft_width)
    kept: list[int] = []
    trees: dict[int, cKDTree] = {}
    for index in order:
        hair = hairs[index]
        if not any(
            _twin(hair, hairs[other], trees, other, darkness, shaft_width)
            for other in kept
            if nearby[index, other]
        ):
            kept.append(index)
    return [hairs[index] for index in sorted(kept)]


def _candidate_pairs(hairs: list[TracedHair], reach: float) -> np.ndarray:
    """Which pairs of hairs are worth a closer look: boxes within reach, and nearly parallel.

    Done for all pairs at once: in a dense field there are thousands of pairs and only a few
    dozen lie side by side.
    """
    count = len(hairs)
    if count == 0:
        return np.zeros((0, 0), dtype=bool)
    low = np.asarray([hair.points.min(axis=0) for hair in hairs])
    high = np.asarray([hair.points.max(axis=0) for hair in hairs])
    meet = np.all(
        np.maximum(low[:, None, :], low[None, :, :])
        <= np.minimum(high[:, None, :], high[None, :, :]) + reach,
        axis=2,
    )
    chords = np.asarray([hair.points[-1] - hair.points[0] for hair in hairs], dtype=float)
    lengths = np.hypot(chords[:, 0], chords[:, 1])
    norms = lengths[:, None] * lengths[None, :]
    cosine = np.abs(chords @ chords.T) / np.maximum(norms, 1e-9)
    return meet & (norms >= 1e-9) & (cosine >= np.cos(np.radians(PARALLEL_DEG)))


def _twin(
    hair: TracedHair,
    other: TracedHair,
    trees: dict[int, cKDTree],
    other_index: int,
    darkness: np.ndarray,
    shaft_width: float,
) -> bool:
    reach = REACH_WIDTHS * shaft_width
    if hair.edges & other.edges:
        return False  # hairs sharing a stretch of centre line were split on purpose
    tree = trees.get(other_index)
    if tree is None:
        tree = trees[other_index] = cKDTree(other.points)
    samples = hair.points[:: max(1, len(hair.points) // 30)]
    distance, index = tree.query(samples)
    close = distance < reach
    if close.mean() < CLOSE_SHARE:
        return False
    if float(np.median(distance[close])) >= APART_SHARE * shaft_width:
        return False  # a shaft's width apart: two touching hairs, seam or not
    near = samples[close]
    far = other.points[index[close]]
    middle = (near + far) / 2.0
    values = [
        ndimage.map_coordinates(darkness, points.T, order=1) for points in (near, far, middle)
    ]
    dip = np.median(np.minimum(values[0], values[1]) - values[2])
    return bool(dip < SEAM_DEPTH * max(hair.peak, other.peak))
