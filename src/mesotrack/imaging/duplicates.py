"""Drop centre lines that run inside the bodies of longer hairs.

A shaft wider than the ridge filter expects shows one ridge near each edge, and where two
hairs lie side by side and touch, a third line can wander along between them. Either way the
extra line runs inside other hairs' shafts: most of it lies within a shaft's width of the
centre lines of longer hairs (one or several), with no lighter seam in between. Two hairs
lying side by side are apart by a whole shaft's width, or show a seam, and both stay.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from mesotrack.imaging.ends import TracedHair, hair_length

# A line closer than this share of the shaft width to another hair's axis is inside its shaft;
# the axes of two touching hairs lie about a shaft's width apart.
INSIDE_SHARE = 0.75
# A line this much (share of its samples) inside longer hairs is not a hair of its own.
COVERED_SHARE = 0.5
# A seam is at least this much lighter than the shafts on either side of it (share of darkness).
SEAM_DEPTH = 0.1
SAMPLES_PER_HAIR = 30
# Axis points looked at around each sample: enough to get past the hair's own points.
NEIGHBOURS = 48
# Exits closer than this share of the shaft width are one point.
SAME_EXIT_SHARE = 0.5


def drop_twins(
    hairs: list[TracedHair], darkness: np.ndarray, shaft_width: float
) -> list[TracedHair]:
    if len(hairs) < 2:
        return hairs
    reach = INSIDE_SHARE * shaft_width
    points = np.vstack([hair.points for hair in hairs])
    owner = np.concatenate([np.full(len(hair.points), index) for index, hair in enumerate(hairs)])
    steps = [max(1, len(hair.points) // SAMPLES_PER_HAIR) for hair in hairs]
    sampled = np.concatenate(
        [np.arange(len(hair.points)) % step == 0 for hair, step in zip(hairs, steps, strict=True)]
    )
    samples, sample_owner = points[sampled], owner[sampled]
    partner = _nearest_longer_hair(
        hairs, points, owner, samples, sample_owner, reach, SAME_EXIT_SHARE * shaft_width
    )
    # Samples are in hair order: each hair's are one slice.
    bounds = np.searchsorted(sample_owner, np.arange(len(hairs) + 1))
    kept = []
    for hair, start, stop in zip(hairs, bounds[:-1], bounds[1:], strict=True):
        own_partner = partner[start:stop]
        covered = own_partner >= 0
        if covered.mean() < COVERED_SHARE or _seam(
            samples[start:stop][covered], points[own_partner[covered]], darkness, hair.peak
        ):
            kept.append(hair)
    return kept


def _nearest_longer_hair(
    hairs: list[TracedHair],
    points: np.ndarray,
    owner: np.ndarray,
    samples: np.ndarray,
    sample_owner: np.ndarray,
    reach: float,
    same_exit: float,
) -> np.ndarray:
    """For each sample, the nearest axis point of a longer hair within reach (index, or -1).

    Hairs sharing a stretch of centre line were split from one another on purpose (a crossing,
    a fork, lanes of side-by-side hairs) and do not cover each other, unless they also leave
    from one point: then it is one hair traced twice, or two lanes that the seam check keeps.
    """
    lengths = np.asarray([hair_length(hair.points) for hair in hairs])
    longer = lengths[None, :] > lengths[:, None]
    eligible = longer.copy()
    by_edge: dict[int, list[int]] = {}
    for index, hair in enumerate(hairs):
        for edge_id in hair.edges:
            by_edge.setdefault(edge_id, []).append(index)
    for sharing in by_edge.values():
        eligible[np.ix_(sharing, sharing)] = False
    exits = np.asarray([hair.ends[hair.exit_index].point for hair in hairs])
    gaps = np.hypot(*(exits[:, None, :] - exits[None, :, :]).transpose(2, 0, 1))
    eligible |= longer & (gaps < same_exit)
    distance, nearest = cKDTree(points).query(
        samples, k=min(NEIGHBOURS, len(points)), distance_upper_bound=reach
    )
    found = np.isfinite(distance)
    nearest = np.where(found, nearest, 0)
    valid = found & eligible[sample_owner[:, None], owner[nearest]]
    first = np.argmax(valid, axis=1)
    rows = np.arange(len(samples))
    return np.where(valid[rows, first], nearest[rows, first], -1)


def _seam(near: np.ndarray, far: np.ndarray, darkness: np.ndarray, peak: float) -> bool:
    """A lighter line between the two sets of points: two touching shafts, not one."""
    middle = (near + far) / 2.0
    values = [
        ndimage.map_coordinates(darkness, points.T, order=1) for points in (near, far, middle)
    ]
    dip = np.median(np.minimum(values[0], values[1]) - values[2])
    return bool(dip >= SEAM_DEPTH * peak)
