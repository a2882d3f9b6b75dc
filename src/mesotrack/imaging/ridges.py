"""Hessian ridge filter with non-maximum suppression: the centre lines of bright bars.

A shaft of width w is a bright bar on the darkness map. Smoothed at sigma and scaled by
sigma², the negative second derivative across the bar peaks on its axis; a bar wider than
about 3.5 sigma shows two ridges, one near each edge, which is what keeps two shafts lying
side by side apart.
"""

from __future__ import annotations

import cv2
import numpy as np

# Response of an ideal bar at sigma = width / 2: sigma² · |f''| = 2·exp(-1/2)/sqrt(2π) ≈ 0.484
# times its darkness. Dividing by it puts the ridge strength in darkness units.
BAR_RESPONSE = 0.484


def ridge_at(darkness: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Ridge strength (scale-normalised, blobs suppressed) and unit normal (row, col)."""
    shrink = 1
    while sigma / (shrink * 2) >= 2.5:
        shrink *= 2
    image = darkness
    if shrink > 1:
        size = (max(1, darkness.shape[1] // shrink), max(1, darkness.shape[0] // shrink))
        image = cv2.resize(darkness, size, interpolation=cv2.INTER_AREA)
    local_sigma = sigma / shrink
    smooth = cv2.GaussianBlur(image, (0, 0), local_sigma)
    dxx = cv2.Sobel(smooth, cv2.CV_32F, 2, 0, ksize=3, scale=0.25)
    dyy = cv2.Sobel(smooth, cv2.CV_32F, 0, 2, ksize=3, scale=0.25)
    dxy = cv2.Sobel(smooth, cv2.CV_32F, 1, 1, ksize=3, scale=0.25)
    half_trace = (dxx + dyy) * 0.5
    root = cv2.magnitude((dxx - dyy) * 0.5, dxy)
    across = half_trace - root  # most negative eigenvalue: across a bright bar
    along = half_trace + root
    strength = np.maximum(-across - 0.5 * np.abs(along), 0.0) * (local_sigma**2 / BAR_RESPONSE)
    # Eigenvector of `across`: (x, y) = (dxy, across - dxx); on flat ground any unit vector.
    normal_x = dxy
    normal_y = across - dxx
    length = cv2.magnitude(normal_x, normal_y)
    flat = length < 1e-9
    normal_x = np.where(flat, 1.0, normal_x / np.maximum(length, 1e-9))
    normal_y = np.where(flat, 0.0, normal_y / np.maximum(length, 1e-9))
    normal = cv2.merge([normal_y.astype(np.float32), normal_x.astype(np.float32)])
    if shrink > 1:
        size = (darkness.shape[1], darkness.shape[0])
        strength = cv2.resize(strength, size, interpolation=cv2.INTER_LINEAR)
        normal = cv2.resize(normal, size, interpolation=cv2.INTER_NEAREST)
    return strength, normal


def suppress_non_maxima(strength: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Keep pixels that are at least as strong as both neighbours across the ridge."""
    height, width = strength.shape
    cols = np.broadcast_to(np.arange(width, dtype=np.float32)[None, :], (height, width))
    rows = np.broadcast_to(np.arange(height, dtype=np.float32)[:, None], (height, width))
    keep = strength > 0
    for sign in (1.0, -1.0):
        map_x = cols + sign * normal[:, :, 1]
        map_y = rows + sign * normal[:, :, 0]
        neighbour = cv2.remap(
            strength, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        keep &= strength >= neighbour
    return keep
