"""A picture of what was counted, for the practitioner to review."""

from __future__ import annotations

import cv2
import numpy as np

from mesotrack.imaging.loading import as_rgb_array
from mesotrack.imaging.model import Analysis, Circle

TERMINAL_COLOUR = (40, 220, 60)
VELLUS_COLOUR = (255, 170, 0)
EXIT_COLOUR = (0, 220, 255)
REGION_COLOUR = (80, 120, 255)
_SHIFT = 4


def overlay_png(image: np.ndarray | bytes, analysis: Analysis) -> bytes:
    """The input image with every counted hair drawn over it, as PNG bytes of the same size.

    Terminal hairs are green, vellus hairs orange; a cyan ring marks each exit point.
    """
    canvas = as_rgb_array(image).copy()
    scale = max(canvas.shape[:2]) / 1000.0
    thickness = max(1, round(2 * scale))
    ring = max(3, round(5 * scale))
    _draw_region(canvas, analysis, thickness)
    for hair in analysis.hairs:
        colour = VELLUS_COLOUR if hair.is_vellus else TERMINAL_COLOUR
        points = np.round(np.asarray(hair.path) * (1 << _SHIFT)).astype(np.int32)
        cv2.polylines(canvas, [points], False, colour, thickness, cv2.LINE_AA, _SHIFT)
    for hair in analysis.hairs:
        centre = _fixed(hair.exit_point)
        cv2.circle(canvas, centre, ring << _SHIFT, EXIT_COLOUR, thickness, cv2.LINE_AA, _SHIFT)
    ok, encoded = cv2.imencode(".png", canvas[:, :, ::-1])
    if not ok:
        raise RuntimeError("The overlay could not be encoded as PNG.")
    return encoded.tobytes()


def _draw_region(canvas: np.ndarray, analysis: Analysis, thickness: int) -> None:
    region = analysis.region
    if region is None:
        return
    if isinstance(region, Circle):
        centre = _fixed((region.cx, region.cy))
        radius = round(region.r * (1 << _SHIFT))
        cv2.circle(canvas, centre, radius, REGION_COLOUR, thickness, cv2.LINE_AA, _SHIFT)
        return
    points = np.round(np.asarray(region.points) * (1 << _SHIFT)).astype(np.int32)
    cv2.polylines(canvas, [points], True, REGION_COLOUR, thickness, cv2.LINE_AA, _SHIFT)


def _fixed(point: tuple[float, float]) -> tuple[int, int]:
    return (round(point[0] * (1 << _SHIFT)), round(point[1] * (1 << _SHIFT)))
