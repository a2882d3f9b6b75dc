"""Openings right at the image border: hairs whose bodies lie outside the frame.

A hair that leaves the skin a few pixels inside the border shows only a stub, a dark patch
against the edge too short to trace as a line. The stubs of one follicular unit merge into
one patch along the edge, which the skeleton traces, if at all, as a short piece running
along the border with both ends cut, and no hair is counted. What tells an opening from a
cut tip is the same as anywhere else: the shaft runs on under the skin as a blue-grey
shadow, so behind an opening the shadow leads inwards, away from the border.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from mesotrack.imaging.ends import HairEnd, TracedHair, shadow_beyond, shadow_threshold
from mesotrack.imaging.preprocess import Prepared

# The edge strip whose darkness shows the stubs, in pixels from the border.
EDGE_ROWS = 2
# Darkness at half the hair's peak marks the edge of a shaft, as everywhere in the analyser.
DARK_SHARE = 0.5
# A dark run along the edge narrower than this share of the shaft width is noise.
MIN_STUB_WIDTHS = 0.5
MAX_HAIRS_PER_RUN = 4
# Stubs deeper than this are hairs running in from the border, traced as lines.
MAX_DEPTH_MM = 0.1
# A stub within this many shaft widths of a traced hair is that hair's own end.
TRACED_WIDTHS = 1.0


@dataclass(frozen=True)
class _Side:
    """One border seen as the top row of a view: `view[depth, along]` is a pixel of the image."""

    view: np.ndarray
    blocked: np.ndarray  # the same view of the device overlays
    to_image: np.ndarray  # 3×2 affine map: (depth, along, 1) -> (row, col)
    inward: np.ndarray  # (row, col) unit vector into the image


def border_openings(
    hairs: list[TracedHair], prepared: Prepared, shaft_width: float
) -> list[TracedHair]:
    """The hairs whose opening lies at the border, each a stub from the edge to its exit."""
    if not hairs or shaft_width <= 0:
        return []
    peak = float(np.median([hair.peak for hair in hairs]))
    threshold = shadow_threshold(hairs)
    traced = [hair.points for hair in hairs if not all(end.cut for end in hair.ends)]
    found = []
    for side in _sides(prepared.darkness, prepared.overlay):
        for stub in _stubs(side, peak, shaft_width, prepared):
            exit_end = stub.ends[1]
            if exit_end.shadow >= threshold and not _near(exit_end.point, traced, shaft_width):
                found.append(stub)
                traced.append(stub.points)  # seen once, even in a corner
    return found


def _sides(darkness: np.ndarray, overlay: np.ndarray) -> list[_Side]:
    height, width = darkness.shape
    views = (
        (lambda image: image, [[1, 0], [0, 1], [0, 0]], [1.0, 0.0]),
        (lambda image: image[::-1], [[-1, 0], [0, 1], [height - 1, 0]], [-1.0, 0.0]),
        (lambda image: image.T, [[0, 1], [1, 0], [0, 0]], [0.0, 1.0]),
        (lambda image: image.T[::-1], [[0, -1], [1, 0], [0, width - 1]], [0.0, -1.0]),
    )
    return [
        _Side(view(darkness), view(overlay), np.asarray(to_image, float), np.asarray(inward))
        for view, to_image, inward in views
    ]


def _stubs(side: _Side, peak: float, shaft_width: float, prepared: Prepared) -> list[TracedHair]:
    deepest = MAX_DEPTH_MM * prepared.px_per_mm
    strip = side.view[: int(deepest) + 2] >= DARK_SHARE * peak
    shapes, _ = ndimage.label(strip)
    # A dark shape reaching deeper than a stub is a hair lying across the border.
    deep = np.setdiff1d(np.unique(shapes[-1]), [0])
    edge = side.view[:EDGE_ROWS].mean(axis=0) >= DARK_SHARE * peak
    edge &= ~side.blocked[: len(strip)].any(axis=0)  # an overlay's edge, not skin
    stubs = []
    runs, _ = ndimage.label(edge)
    for (run,) in ndimage.find_objects(runs):
        start, stop = run.start, run.stop
        if stop - start < MIN_STUB_WIDTHS * shaft_width:
            continue
        if np.isin(shapes[:EDGE_ROWS, start:stop], deep).any():
            continue
        count = int(np.clip(round((stop - start) / shaft_width), 1, MAX_HAIRS_PER_RUN))
        width = (stop - start) / count
        for index in range(count):
            middle = start + (index + 0.5) * width
            depth = _depth(side.view, middle, width, peak)
            if 1.0 <= depth <= deepest:
                stubs.append(_stub(side, middle, depth, (width, peak), prepared, count > 1))
    return stubs


def _depth(view: np.ndarray, middle: float, width: float, peak: float) -> float:
    """How far in from the edge the stub's middle stays dark."""
    reach = max(1, int(round(width / 4)))
    centre = int(round(middle))
    column = view[:, max(0, centre - reach) : centre + reach + 1].mean(axis=1)
    light = np.flatnonzero(column < DARK_SHARE * peak)
    return float(light[0]) if light.size else float(len(column))


def _stub(
    side: _Side,
    middle: float,
    depth: float,
    shaft: tuple[float, float],
    prepared: Prepared,
    shared: bool,
) -> TracedHair:
    width, peak = shaft
    edge_point = np.array([0.0, middle, 1.0]) @ side.to_image
    exit_point = np.array([depth - 0.5, middle, 1.0]) @ side.to_image
    cut = HairEnd(point=edge_point, outward=-side.inward, shared=False, cut=True)
    opening = HairEnd(point=exit_point, outward=side.inward, shared=shared, cut=False)
    half_width = max(1.0, width / 2)
    opening.shadow = shadow_beyond(prepared.shadow, opening, half_width, prepared.px_per_mm)
    return TracedHair(
        points=np.vstack([edge_point, exit_point]),
        ends=(cut, opening),
        width_px=width,
        peak=peak,
        exit_index=1,
    )


def _near(point: np.ndarray, traced: list[np.ndarray], shaft_width: float) -> bool:
    limit = TRACED_WIDTHS * shaft_width
    return any(float(np.hypot(*(points - point).T).min()) <= limit for points in traced)
