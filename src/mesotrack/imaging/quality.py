"""Reasons to distrust an image: blur, glare, too little resolution, too little light, and
hair widths no scalp shows (a calibration that does not fit the magnification used)."""

from __future__ import annotations

from collections.abc import Sequence

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
# Scalp hairs measure under about 0.03 mm (vellus) to 0.06–0.1 mm (terminal), and imaging
# widens them by up to about 0.03 mm (clinical_rules.md §6, trichoscopy.md): a field whose
# median hair measures outside this range was taken at another magnification than its px/mm.
MEDIAN_DIAMETER_RANGE_UM = (20.0, 160.0)
MIN_HAIRS_TO_JUDGE_SCALE = 10


def assess(
    prepared: Prepared,
    mask: np.ndarray,
    px_per_mm: float,
    hair_darkness: float,
    diameters_um: Sequence[float] = (),
) -> QualityFlags:
    sharpness = _sharpness(prepared, mask, hair_darkness)
    glare_fraction = float(prepared.glare.mean())
    px_per_shaft = px_per_mm * TYPICAL_SHAFT_MM
    brightness = float(prepared.rgb.mean())
    blurred = sharpness < MIN_SHARPNESS
    glare = glare_fraction > MAX_GLARE_FRACTION
    coarse = px_per_shaft < MIN_PX_PER_SHAFT
    dark = brightness < MIN_BRIGHTNESS
    median_um = float(np.median(diameters_um)) if diameters_um else None
    off_scale = _off_scale(median_um, len(diameters_um))
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
    if off_scale:
        low, high = MEDIAN_DIAMETER_RANGE_UM
        messages.append(
            f"The hairs measure {median_um:.0f} µm across (median); scalp hairs measure "
            f"{low:.0f}–{high:.0f} µm. Check that the calibration ({px_per_mm:.0f} px per mm) "
            "matches the magnification the image was taken at."
        )
    return QualityFlags(
        blurred=blurred,
        glare=glare,
        too_few_pixels_per_hair=coarse,
        too_dark=dark,
        implausible_widths=off_scale,
        sharpness=sharpness,
        glare_fraction=glare_fraction,
        px_per_shaft=px_per_shaft,
        mean_brightness=brightness,
        median_diameter_um=median_um,
        messages=tuple(messages),
    )


def _off_scale(median_um: float | None, hairs: int) -> bool:
    if median_um is None or hairs < MIN_HAIRS_TO_JUDGE_SCALE:
        return False
    low, high = MEDIAN_DIAMETER_RANGE_UM
    return not low <= median_um <= high


def _sharpness(prepared: Prepared, mask: np.ndarray, hair_darkness: float) -> float:
    laplacian = cv2.Laplacian(prepared.darkness, cv2.CV_32F, ksize=1)
    kernel = np.ones((5, 5), np.uint8)
    band = cv2.dilate(mask.astype(np.uint8), kernel) > cv2.erode(mask.astype(np.uint8), kernel)
    if band.sum() < 50 or hair_darkness <= 0.05:
        grey = prepared.rgb.mean(axis=2)
        contrast = max(float(grey.std()), 0.02)
        return float(cv2.Laplacian(grey, cv2.CV_32F, ksize=1).var()) / contrast**2 * 0.01
    return float(laplacian[band].var()) / hair_darkness**2
