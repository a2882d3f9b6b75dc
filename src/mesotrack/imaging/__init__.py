"""Trichoscopy image analysis: pure functions, no Django.

from mesotrack.imaging import Calibration, analyze, overlay_png
analysis = analyze(image_bytes, Calibration(px_per_mm=200))
analysis.hair_count, analysis.density_per_cm2, analysis.to_dict()
"""

from mesotrack.imaging.loading import ImageRejected, load_image
from mesotrack.imaging.model import (
    Analysis,
    Calibration,
    Circle,
    DeviceProfile,
    DiameterDistribution,
    Hair,
    Polygon,
    QualityFlags,
    Region,
)
from mesotrack.imaging.overlay import overlay_png
from mesotrack.imaging.pipeline import analyze

__all__ = [
    "Analysis",
    "Calibration",
    "Circle",
    "DeviceProfile",
    "DiameterDistribution",
    "Hair",
    "ImageRejected",
    "Polygon",
    "QualityFlags",
    "Region",
    "analyze",
    "load_image",
    "overlay_png",
]
