"""Reasons to distrust an image: blur, glare, too little resolution, too little light."""

from __future__ import annotations

import cv2
import numpy as np

from mesotrack.imaging.model import QualityFlags
from mesotrack.imaging.preprocess import Prepared

# Sharpness is the variance of the Laplacian of the darkness map around the hairs, divided by
# the hairs' squared darkness, so it does not depend on hair colour or exposure.
MIN_SHARPNESS = 0.003
MAX_GLARE_FRACTION = 0.02
# A 60 µm shaft (the lower end of terminal hair) should span at least 4 pixels.
MIN_PX_PER_SHAFT = 4.0
TYPICAL_SHAFT_MM = 0.06
MIN_BRIGHTNESS = 0.2


def assess(
    prepared: Prepared, mask: np.ndarray, px_per_mm: float, hair_darkness: float
) -> QualityFlags:
    sharpness = _sharpness(prepared, mask, hair_darkness)
    glare_fraction = float(prepared.glare.mean())
    px_per_shaft = px_per_mm * TYPICAL_SHAFT_MM
    brightness = float(prepared.rgb.mean())
    blurred = sharpness < MIN_SHARPNESS
    glare = glare_fraction > MAX_GLARE_FRACTION
    coarse = px_per_shaft < MIN_PX_PER_SHAFT
    dark = brightness < MIN_BRIGHTNESS
    messages = []
    if blurred:
        messages.append("The image is out of focus: hair edges are soft. Refocus and retake.")
    if glare:
        messages.append(
            f"{glare_fraction:.0%} of the image is glare. "
            "Use more contact fluid or polarised light."
        )
    if coarse:
        messages.append(
            f"A 60 µm hair spans only {px_per_shaft:.1f} pixels; use a higher magnification."
        )
    if dark:
        messages.append("The image is too dark to analyse reliably.")
    return QualityFlags(
        blurred=blurred,
        glare=glare,
        too_few_pixels_per_hair=coarse,
        too_dark=dark,
        sharpness=sharpness,
        glare_fraction=glare_fraction,
        px_per_shaft=px_per_shaft,
        mean_brightness=brightness,
        messages=tuple(messages),
    )


def _sharpness(prepared: Prepared, mask: np.ndarray, hair_darkness: float) -> float:
    laplacian = cv2.Laplacian(prepared.darkness, cv2.CV_32F, ksize=1)
    kernel = np.ones((5, 5), np.uint8)
    band = cv2.dilate(mask.astype(np.uint8), kernel) > cv2.erode(mask.astype(np.uint8), kernel)
    if band.sum() < 50 or hair_darkness <= 0.05:
        grey = prepared.rgb.mean(axis=2)
        contrast = max(float(grey.std()), 0.02)
        return float(cv2.Laplacian(grey, cv2.CV_32F, ksize=1).var()) / contrast**2 * 0.01
    return float(laplacian[band].var()) / hair_darkness**2
