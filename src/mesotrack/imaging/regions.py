"""Regions of interest: which pixels they cover and whether a point lies inside."""

from __future__ import annotations

import cv2
import numpy as np

from mesotrack.imaging.model import Circle, Polygon, Region


def region_mask(region: Region | None, shape: tuple[int, int]) -> np.ndarray:
    """Boolean mask (H, W) of the pixels inside the region (the whole image if None)."""
    height, width = shape
    if region is None:
        return np.ones((height, width), dtype=bool)
    canvas = np.zeros((height, width), dtype=np.uint8)
    shift = 4
    scale = 1 << shift
    if isinstance(region, Circle):
        centre = (round(region.cx * scale), round(region.cy * scale))
        cv2.circle(canvas, centre, round(region.r * scale), 1, -1, cv2.LINE_8, shift)
    else:
        points = np.round(np.asarray(region.points, dtype=np.float64) * scale).astype(np.int32)
        cv2.fillPoly(canvas, [points], 1, cv2.LINE_8, shift)
    return canvas.astype(bool)


def region_area_px(region: Region | None, shape: tuple[int, int]) -> int:
    return int(region_mask(region, shape).sum())


def contains(region: Region | None, shape: tuple[int, int], point: tuple[float, float]) -> bool:
    """Whether a point lies inside the region and inside the image."""
    height, width = shape
    x, y = point
    if not (-0.5 <= x < width - 0.5 and -0.5 <= y < height - 0.5):
        return False
    if region is None:
        return True
    if isinstance(region, Circle):
        return bool((x - region.cx) ** 2 + (y - region.cy) ** 2 <= region.r**2)
    contour = np.asarray(region.points, dtype=np.float32).reshape(-1, 1, 2)
    return bool(cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0)


def validate_region(region: Region | None, shape: tuple[int, int]) -> None:
    if region is None:
        return
    if isinstance(region, Circle) and region.r <= 0:
        raise ValueError("The circle's radius must be positive.")
    if isinstance(region, Polygon) and len(region.points) < 3:
        raise ValueError("A polygon needs at least three points.")
    if region_area_px(region, shape) == 0:
        raise ValueError("The region does not cover any part of the image.")
