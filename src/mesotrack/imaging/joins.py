"""Part two hairs lying end to end: one hair's cut tip resting on the next hair's opening.

The two shafts then line up and trace as one centre line, with no junction and no seam
between them. What gives the join away is length: clipped hairs of one scalp are cut to
about the same length, so a line much longer than this image's long hairs is two of them.
It is cut where the blue-grey shaft under the skin shows on both sides of it, the mark of the
second hair's opening under the first one's tip.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from mesotrack.imaging.ends import HairEnd, TracedHair, hair_length, outward_direction

# A line this much longer than the image's 90th-percentile hair is taken to be two hairs.
JOINED_LENGTH_SHARE = 1.2
# Neither part may be shorter than this share of the 90th-percentile length.
PART_LENGTH_SHARE = 0.3
# Lengths are only typical when enough hairs show them.
MIN_HAIRS = 10


def part_joined_hairs(
    hairs: list[TracedHair], shadow: np.ndarray, shaft_width: float
) -> list[TracedHair]:
    if len(hairs) < MIN_HAIRS or shaft_width <= 0:
        return hairs
    lengths = np.asarray([hair_length(hair.points) for hair in hairs])
    long_hair = float(np.percentile(lengths, 90))
    parted: list[TracedHair] = []
    for hair, length in zip(hairs, lengths, strict=True):
        if length < JOINED_LENGTH_SHARE * long_hair or not hair.exit_visible:
            parted.append(hair)
            continue
        parted.extend(_part(hair, shadow, shaft_width, PART_LENGTH_SHARE * long_hair))
    return parted


def _part(
    hair: TracedHair, shadow: np.ndarray, shaft_width: float, shortest: float
) -> list[TracedHair]:
    points = hair.points
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    inside = (arc >= shortest) & (arc <= arc[-1] - shortest)
    if not inside.any():
        return [hair]
    beside = _shadow_beside(points, shadow, shaft_width)
    cut = int(np.argmax(np.where(inside, beside, -np.inf)))
    # Each part keeps one of the line's ends and ends itself at the cut. The exit's part has
    # its tip there; the other part is the second hair, whose opening is at the cut.
    parts = (points[: cut + 1], points[cut:][::-1])
    exit_part = _part_from(hair, parts[hair.exit_index], hair.exit_index, exit_at_cut=False)
    tip_index = 1 - hair.exit_index
    tip_part = _part_from(hair, parts[tip_index], tip_index, exit_at_cut=True)
    return [exit_part, tip_part]


def _part_from(
    hair: TracedHair, points: np.ndarray, end_index: int, *, exit_at_cut: bool
) -> TracedHair:
    """The part from the line's end `end_index` (points[0]) to the cut (points[-1])."""
    outward = outward_direction(points[::-1], reach=hair.width_px)
    cut_end = HairEnd(point=points[-1].copy(), outward=outward, shared=False, cut=False)
    return TracedHair(
        points=points,
        ends=(hair.ends[end_index], cut_end),
        width_px=hair.width_px,
        peak=hair.peak,
        attached=hair.attached + 1,
        edges=hair.edges,
        exit_index=1 if exit_at_cut else 0,
        exit_visible=True if exit_at_cut else hair.exit_visible,
    )


def _shadow_beside(points: np.ndarray, shadow: np.ndarray, shaft_width: float) -> np.ndarray:
    """Blue-grey shadow just outside the shaft, the fainter of its two sides, at each point."""
    count = len(points)
    reach = max(2, int(round(2.0 * shaft_width)))
    index = np.arange(count)
    tangent = points[np.minimum(index + reach, count - 1)] - points[np.maximum(index - reach, 0)]
    tangent = tangent / np.maximum(np.hypot(*tangent.T), 1e-9)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    offset = 0.5 * shaft_width + 3.0
    sides = [
        ndimage.map_coordinates(shadow, (points + sign * offset * normal).T, order=1)
        for sign in (1.0, -1.0)
    ]
    return np.minimum(sides[0], sides[1])
