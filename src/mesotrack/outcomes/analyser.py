"""The one bridge to the trichoscopy analyser (`mesotrack.imaging`: pure functions, no Django).

The imaging package pulls in OpenCV and scikit-image, so it is imported on first use rather
than when Django starts: pages that never touch an image do not pay for it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


class ImageRefused(ValueError):
    """The imaging package refused the file; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AnalyserOutput:
    result: dict[str, Any]
    overlay_png: bytes


def load_pixels(data: bytes, *, max_bytes: int, max_pixels: int) -> np.ndarray:
    """Decode an image after checking its type, size and declared pixel count."""
    from mesotrack.imaging import ImageRejected, load_image

    try:
        return load_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    except ImageRejected as error:
        raise ImageRefused(error.message) from None


def region_error(region: Mapping[str, Any] | None, width: int, height: int) -> str | None:
    """Why a region cannot be analysed on an image of this size, or None if it can."""
    from mesotrack.imaging.model import region_from_dict
    from mesotrack.imaging.regions import validate_region

    if region is None:
        return None
    try:
        validate_region(region_from_dict(dict(region)), (height, width))
    except ValueError as error:
        return str(error)
    except (KeyError, TypeError):
        return "The region is not complete: a circle needs cx, cy and r; a polygon, points."
    return None


def in_region(
    region: Mapping[str, Any] | None, width: int, height: int, x: float, y: float
) -> bool:
    """Whether a point lies in the image and in the region (the whole image if None)."""
    from mesotrack.imaging.model import region_from_dict
    from mesotrack.imaging.regions import contains

    parsed = region_from_dict(dict(region)) if region else None
    return contains(parsed, (height, width), (x, y))


def run(
    pixels: np.ndarray,
    *,
    px_per_mm: float,
    region: Mapping[str, Any] | None,
    vellus_threshold_um: float,
    progress: Callable[[float], None],
) -> AnalyserOutput:
    from mesotrack.imaging import Calibration, analyze, overlay_png
    from mesotrack.imaging.model import region_from_dict

    analysis = analyze(
        pixels,
        Calibration(px_per_mm),
        region_from_dict(dict(region)) if region else None,
        vellus_threshold_um=vellus_threshold_um,
        progress=progress,
    )
    return AnalyserOutput(result=analysis.to_dict(), overlay_png=overlay_png(pixels, analysis))
