"""A glare spot lying across a hair hides part of it: the pieces either side are one hair.

Painting over the spot mends small spots; a large one leaves the centre line broken, and each
piece would count as a hair of its own, with an exit at the spot's edge. Two pieces ending at
the same spot and pointing at each other along one line are joined again. A hair whose exit
end stops at a spot with no piece beyond leaves the skin somewhere under it: its exit is put
halfway across the spot along its line, the middle of where it can be.
"""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np

from mesotrack.imaging.ends import HairEnd, TracedHair, hair_length, move_exit
from mesotrack.imaging.graph import angle_deg

# How far beyond a piece's end (past its half width) the spot may begin: the painted-over
# margin around it is two pixels wide, and the centre line fades out a little before that.
REACH_PX = 6.0
# Largest bend between the two pieces, and between either piece and the gap it jumps.
MAX_BEND_DEG = 30.0


def glare_spots(glare: np.ndarray) -> np.ndarray:
    """Each glare spot's label (0: no glare)."""
    return cv2.connectedComponents(glare.astype(np.uint8), connectivity=8)[1]


def join_across_glare(hairs: list[TracedHair], spots: np.ndarray) -> list[TracedHair]:
    """The hairs with each pair of pieces broken by one glare spot joined into one hair."""
    if not spots.any():
        return hairs
    hairs = list(hairs)
    while (pair := _best_pair(hairs, spots)) is not None:
        (first, first_side), (second, second_side) = pair
        joined = _joined(hairs[first], first_side, hairs[second], second_side)
        hairs = [hair for index, hair in enumerate(hairs) if index not in (first, second)]
        hairs.append(joined)
    return hairs


def _best_pair(
    hairs: list[TracedHair], spots: np.ndarray
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    by_spot: dict[int, list[tuple[int, int]]] = {}
    for index, hair in enumerate(hairs):
        for side, end in enumerate(hair.ends):
            spot = _spot_at(spots, end, hair.width_px / 2.0 + REACH_PX)
            if spot:
                by_spot.setdefault(spot, []).append((index, side))
    best: tuple[float, tuple[tuple[int, int], tuple[int, int]]] | None = None
    for ends in by_spot.values():
        for (first, first_side), (second, second_side) in itertools.combinations(ends, 2):
            if first == second:
                continue
            bend = _bend(hairs[first], first_side, hairs[second], second_side)
            if bend is not None and (best is None or bend < best[0]):
                best = (bend, ((first, first_side), (second, second_side)))
    return best[1] if best else None


def exits_under_glare(hairs: list[TracedHair], spots: np.ndarray) -> None:
    """Move each exit that stops at a glare spot halfway across the spot along its line."""
    if not spots.any():
        return
    for hair in hairs:
        end = hair.ends[hair.exit_index]
        reach = hair.width_px / 2.0 + REACH_PX
        spot = 0 if end.cut else _spot_at(spots, end, reach)
        if not spot:
            continue
        covered = _covered_steps(spots, end, spot, reach)
        if len(covered):
            move_exit(hair, end.point + (covered[0] + covered[-1]) / 2.0 * end.outward)


def _covered_steps(spots: np.ndarray, end: HairEnd, spot: int, reach: float) -> np.ndarray:
    """Distances along the end's outward line that lie on the spot, up to where it ends."""
    height, width = spots.shape
    steps = np.arange(1.0, float(max(height, width)))
    rows = np.round(end.point[0] + steps * end.outward[0]).astype(int)
    cols = np.round(end.point[1] + steps * end.outward[1]).astype(int)
    inside_frame = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    limit = int(np.argmin(inside_frame)) if not inside_frame.all() else len(steps)
    on_spot = spots[rows[:limit], cols[:limit]] == spot
    if not on_spot.any() or steps[int(np.argmax(on_spot))] > reach:
        return np.empty(0)
    first = int(np.argmax(on_spot))
    off = np.flatnonzero(~on_spot[first:])
    last = first + (int(off[0]) if len(off) else len(on_spot) - first)
    return steps[first:last]


def _spot_at(spots: np.ndarray, end: HairEnd, reach: float) -> int:
    row, col = (int(round(value)) for value in end.point)
    margin = int(math.ceil(reach))
    window = spots[max(0, row - margin) : row + margin + 1, max(0, col - margin) : col + margin + 1]
    found = window[window > 0]
    return int(np.bincount(found).argmax()) if found.size else 0


def _bend(first: TracedHair, first_side: int, second: TracedHair, second_side: int) -> float | None:
    """The largest bend the join would need (degrees), or None if they do not line up."""
    # Widths are not compared: next to a painted-over spot they are often mismeasured.
    a, b = first.ends[first_side], second.ends[second_side]
    bends = [angle_deg(a.outward, -b.outward)]
    gap = b.point - a.point
    length = float(np.hypot(*gap))
    if length > 2.0:
        bends += [angle_deg(a.outward, gap / length), angle_deg(b.outward, -gap / length)]
    largest = max(bends)
    return largest if largest <= MAX_BEND_DEG else None


def _joined(first: TracedHair, first_side: int, second: TracedHair, second_side: int) -> TracedHair:
    head = first.points if first_side == 1 else first.points[::-1]
    tail = second.points if second_side == 0 else second.points[::-1]
    lengths = np.array([hair_length(first.points), hair_length(second.points)])
    weights = lengths / max(float(lengths.sum()), 1e-9)
    return TracedHair(
        points=np.vstack([head, tail]),
        ends=(first.ends[1 - first_side], second.ends[1 - second_side]),
        width_px=float(weights @ [first.width_px, second.width_px]),
        peak=float(weights @ [first.peak, second.peak]),
        attached=first.attached + second.attached,
        edges=first.edges | second.edges,
    )
