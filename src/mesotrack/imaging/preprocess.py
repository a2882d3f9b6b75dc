"""From RGB pixels to darkness maps with the skin's uneven lighting taken out.

Hair shafts are dark in every colour channel. The shaft's continuation under the skin looks
blue-grey (dark in red, hardly in blue) and capillaries are red (dark in green and blue, not in
red), so the darkness of a pixel is taken as its *least* darkness over the three channels:
only what is dark in all three counts as hair.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Analyse at no more than 200 px/mm (5 µm per pixel): a 10 µm vellus shaft still spans two
# pixels, and larger images cost time without adding hairs.
WORK_PX_PER_MM = 200.0
# Closing with a disc wider than the thickest shafts (about 100 µm) erases the hairs and
# leaves the skin: the background against which darkness is measured.
BACKGROUND_DISC_MM = 0.26
GLARE_LEVEL = 235  # in every channel
GLARE_RADIUS_PX = 3
# Margin around a glare spot that holds everything its inpainting can look at.
GLARE_WINDOW_PX = 8


@dataclass(frozen=True)
class Prepared:
    scale: float  # work pixels per input pixel
    px_per_mm: float  # at work scale
    rgb: np.ndarray  # float32 0–1, work scale
    darkness: np.ndarray  # min-channel darkness 0–1
    shadow: np.ndarray  # red-minus-blue darkness: the blue-grey shaft under the skin
    glare: np.ndarray  # bool, saturated pixels
    overlay: np.ndarray  # bool, device text and scale bars


def prepare(rgb: np.ndarray, px_per_mm: float, hidden: np.ndarray | None = None) -> Prepared:
    """Darkness maps at work scale; `hidden` marks input pixels covered by device overlays."""
    scale = min(1.0, WORK_PX_PER_MM / px_per_mm)
    work = rgb
    size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
    if scale < 1.0:
        work = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    # Glare is white. Bright skin can saturate one channel (pink skin in red, the bluish light
    # of some scopes in blue); painting over it would smear hairs into the skin.
    glare = np.all(work >= GLARE_LEVEL, axis=2)
    covered = device_overlay(rgb)
    if hidden is not None:
        covered |= hidden
    overlay = cv2.resize(covered.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
    filled = _fill_glare(work, glare)
    if overlay.any():
        filled = filled.copy()
        filled[overlay] = (
            np.median(filled[::4, ::4][~overlay[::4, ::4]], axis=0) if (~overlay).any() else 128
        )
    image = filled.astype(np.float32) / 255.0
    work_ppm = px_per_mm * scale
    darkness_by_channel = [_darkness(image[:, :, channel], work_ppm) for channel in range(3)]
    darkness = np.minimum(
        np.minimum(darkness_by_channel[0], darkness_by_channel[1]), darkness_by_channel[2]
    )
    shadow = np.clip(darkness_by_channel[0] - darkness_by_channel[2], 0.0, 1.0)
    darkness[overlay] = 0.0
    return Prepared(scale, work_ppm, image, darkness, shadow, glare, overlay)


def _fill_glare(rgb: np.ndarray, glare: np.ndarray) -> np.ndarray:
    """Paint over specular spots from their surroundings so a spot on a hair does not cut it."""
    if not glare.any():
        return rgb
    mask = cv2.dilate(glare.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=2)
    # Inpainting works on the whole frame however small the spots are; each spot only needs
    # its own surroundings, so paint them one window at a time.
    filled = np.ascontiguousarray(rgb).copy()
    reach = np.ones((2 * GLARE_WINDOW_PX + 1, 2 * GLARE_WINDOW_PX + 1), np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(mask, reach))
    for x, y, width, height, _area in stats[1:]:
        window = (slice(y, y + height), slice(x, x + width))
        filled[window] = cv2.inpaint(
            np.ascontiguousarray(filled[window]),
            np.ascontiguousarray(mask[window]),
            GLARE_RADIUS_PX,
            cv2.INPAINT_TELEA,
        )
    return filled


def _darkness(channel: np.ndarray, px_per_mm: float) -> np.ndarray:
    background = _background(channel, px_per_mm)
    darkness = 1.0 - channel / np.maximum(background, 1e-3)
    return cv2.GaussianBlur(np.clip(darkness, 0.0, 1.0), (0, 0), 0.7)


def _background(channel: np.ndarray, px_per_mm: float) -> np.ndarray:
    height, width = channel.shape
    shrink = max(1, int(px_per_mm * BACKGROUND_DISC_MM / 12))
    small = cv2.resize(
        channel, (max(1, width // shrink), max(1, height // shrink)), interpolation=cv2.INTER_AREA
    )
    disc = max(3, int(round(px_per_mm * BACKGROUND_DISC_MM / shrink)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (disc, disc))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REFLECT)
    closed = cv2.GaussianBlur(closed, (0, 0), disc / 3.0)
    return cv2.resize(closed, (width, height), interpolation=cv2.INTER_LINEAR)


def device_overlay(rgb: np.ndarray) -> np.ndarray:
    """Grey bars and boxes burnt into the image by the capture software.

    Their pixels are exactly grey and perfectly flat, which skin never is. Text and lines
    drawn over the picture itself are not found here: a DeviceProfile lists where they are.
    """
    red, green, blue = cv2.split(rgb)
    spread = cv2.subtract(cv2.max(cv2.max(red, green), blue), cv2.min(cv2.min(red, green), blue))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    flat = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) <= 2
    mid_grey = (grey >= 45) & (grey <= 235)
    candidates = ((spread <= 3) & flat & mid_grey).astype(np.uint8)
    seed = cv2.morphologyEx(candidates, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    return (cv2.dilate(seed, np.ones((15, 15), np.uint8)) > 0) & (spread <= 6)
