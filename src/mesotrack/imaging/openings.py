"""A vellus hair beside a terminal one leaves the same opening, but its centre line stops short.

Next to a thick shaft the fine ridge filter answers to the shaft's own edges, so fine ridges
there are not trusted (segment.centre_lines); a vellus hair lying along a terminal hair of its
follicular unit therefore loses the stretch next to it and its exit lands part-way along.
Where a thin hair's exit stops just short of a thick hair's opening, in line with it, the
exit is carried on to the opening.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from mesotrack.imaging.ends import HairEnd, TracedHair, move_exit

# Thin: narrower than this share of the typical shaft (the fine ridge filter's hairs).
THIN_WIDTH_SHARE = 0.6
# How far the exit may be carried, and how far the opening may lie beside its line.
REACH_MM = 0.2
MAX_OFFSET_WIDTHS = 1.0
# The hair is still there wherever the darkness stays above this share of its peak.
DARK_SHARE = 0.5


def reach_shared_openings(
    hairs: list[TracedHair], shaft_width: float, px_per_mm: float, darkness: np.ndarray
) -> list[TracedHair]:
    """Carry each thin hair's exit on to a thick hair's opening just ahead of it, as far as
    the thin shaft visibly runs on."""
    thin = THIN_WIDTH_SHARE * shaft_width
    openings = [
        (hair.ends[hair.exit_index].point, hair.width_px)
        for hair in hairs
        if hair.width_px >= thin and not hair.ends[hair.exit_index].cut
    ]
    for hair in hairs:
        end = hair.ends[hair.exit_index]
        if hair.width_px >= thin or not hair.exit_visible or end.cut:
            continue
        opening = _opening_ahead(end, openings, REACH_MM * px_per_mm)
        if opening is None:
            continue
        distance, width = opening
        carried = _dark_run(darkness, end, distance, DARK_SHARE * hair.peak)
        if carried > 0.0 and distance - carried <= MAX_OFFSET_WIDTHS * width:
            move_exit(hair, end.point + carried * end.outward)
    return hairs


def _opening_ahead(
    end: HairEnd, openings: list[tuple[np.ndarray, float]], reach: float
) -> tuple[float, float] | None:
    """How far ahead of the end the nearest opening in line with it lies, and its width."""
    found: tuple[float, float] | None = None
    for point, width in openings:
        ahead = float((point - end.point) @ end.outward)
        beside = float(np.hypot(*(point - end.point - ahead * end.outward)))
        in_line = 0.0 < ahead <= reach and beside <= MAX_OFFSET_WIDTHS * width
        if in_line and (found is None or ahead < found[0]):
            found = (ahead, width)
    return found


def _dark_run(darkness: np.ndarray, end: HairEnd, length: float, level: float) -> float:
    """How far beyond the end, up to `length`, the darkness stays at `level` or above."""
    steps = np.arange(1.0, length + 0.5)
    samples = end.point[None, :] + steps[:, None] * end.outward[None, :]
    values = ndimage.map_coordinates(darkness, samples.T, order=1, mode="nearest")
    faint = np.flatnonzero(values < level)
    if not len(faint):
        return length
    return float(steps[faint[0] - 1]) if faint[0] > 0 else 0.0
