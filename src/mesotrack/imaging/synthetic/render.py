"""Pixels for a synthetic field: skin, the shafts' shadows under the skin, hairs, glare, camera."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.spatial import cKDTree

from mesotrack.imaging.synthetic.field import ScalpField, SyntheticHair

SAMPLE_STEP_PX = 0.25


@dataclass(frozen=True)
class Lighting:
    """How the camera saw the field this time."""

    gain: float = 1.0
    vignetting: float = 0.12
    gradient: float = 0.05
    gradient_angle: float = 0.0

    @classmethod
    def random(cls, rng: np.random.Generator) -> Lighting:
        return cls(
            gain=float(rng.uniform(0.9, 1.06)),
            vignetting=float(rng.uniform(0.04, 0.22)),
            gradient=float(rng.uniform(0.0, 0.08)),
            gradient_angle=float(rng.uniform(0, 2 * math.pi)),
        )


def hair_points_px(
    hair: SyntheticHair, px_per_mm: float, shift_px: tuple[float, float]
) -> np.ndarray:
    """Centreline of a hair in image pixels, exit first, sampled every SAMPLE_STEP_PX."""
    points = hair.centreline_mm(SAMPLE_STEP_PX / px_per_mm) * px_per_mm
    return points + np.asarray(shift_px)


def render(
    field: ScalpField,
    rng: np.random.Generator,
    *,
    shift_px: tuple[float, float] = (0.0, 0.0),
    lighting: Lighting | None = None,
) -> np.ndarray:
    spec = field.spec
    shape = (spec.height, spec.width)
    image = _skin(shape, field.skin_tone, spec.px_per_mm, rng)
    _draw_vessels(image, spec.px_per_mm, rng)
    curves = [hair_points_px(hair, spec.px_per_mm, shift_px) for hair in field.hairs]
    _draw_shadows(image, field.hairs, curves, spec.px_per_mm)
    for hair, curve in zip(field.hairs, curves, strict=True):
        _draw_hair(image, hair, curve, spec.px_per_mm)
    _draw_flakes(image, spec.flakes, spec.px_per_mm, rng)
    _draw_glare(image, spec.glare_spots, spec.px_per_mm, curves, rng)
    if spec.blur_sigma_px > 0:
        image = cv2.GaussianBlur(image, (0, 0), spec.blur_sigma_px)
    image *= _illumination(shape, lighting or Lighting.random(rng))[:, :, None]
    image += rng.normal(0.0, spec.noise, image.shape).astype(np.float32)
    pixels = np.clip(image * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if spec.jpeg_quality is not None:
        _, encoded = cv2.imencode(
            ".jpg", pixels[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, spec.jpeg_quality]
        )
        decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
        if decoded is not None:
            pixels = np.ascontiguousarray(decoded[:, :, ::-1])
    return pixels


def _noise_layer(shape: tuple[int, int], scale_px: float, rng: np.random.Generator) -> np.ndarray:
    height, width = shape
    grid = (max(2, int(height / scale_px) + 2), max(2, int(width / scale_px) + 2))
    coarse = rng.normal(0.0, 1.0, grid).astype(np.float32)
    return cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)


def _skin(
    shape: tuple[int, int],
    tone: tuple[float, float, float],
    px_per_mm: float,
    rng: np.random.Generator,
) -> np.ndarray:
    height, width = shape
    shade = np.ones(shape, dtype=np.float32)
    for scale_mm, amplitude in ((0.8, 0.05), (0.25, 0.03), (0.06, 0.02)):
        shade += amplitude * _noise_layer(shape, scale_mm * px_per_mm, rng)
    shade += _skin_lines(shape, px_per_mm, rng)
    image = np.empty((height, width, 3), dtype=np.float32)
    for channel, value in enumerate(tone):
        image[:, :, channel] = value * shade
    redness = 0.03 * _noise_layer(shape, 0.5 * px_per_mm, rng)
    image[:, :, 0] += redness
    return image


def _skin_lines(shape: tuple[int, int], px_per_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Fine criss-cross furrows of the skin surface: oriented, filtered noise."""
    height, width = shape
    small = (max(8, height // 2), max(8, width // 2))
    texture = np.zeros(small, dtype=np.float32)
    length = max(5, int(0.12 * px_per_mm / 2) | 1)
    for _ in range(2):
        angle = rng.uniform(0, math.pi)
        kernel = np.zeros((length, length), dtype=np.float32)
        centre = length // 2
        dx, dy = math.cos(angle) * centre, math.sin(angle) * centre
        cv2.line(
            kernel,
            (round(centre - dx), round(centre - dy)),
            (round(centre + dx), round(centre + dy)),
            1.0,
            1,
            cv2.LINE_AA,
        )
        kernel /= kernel.sum()
        noise = rng.normal(0.0, 1.0, small).astype(np.float32)
        texture += cv2.filter2D(noise, -1, kernel)
    texture *= 0.06 / max(float(texture.std()), 1e-6) * 0.5
    return cv2.resize(texture, (width, height), interpolation=cv2.INTER_LINEAR)


def _draw_vessels(image: np.ndarray, px_per_mm: float, rng: np.random.Generator) -> None:
    """A few faint red capillary loops: red, so they must not be taken for hairs."""
    height, width = image.shape[:2]
    for _ in range(int(rng.integers(0, 3))):
        points = np.cumsum(rng.normal(0, 0.08 * px_per_mm, (8, 2)), axis=0)
        points += (rng.uniform(0, width), rng.uniform(0, height))
        layer = np.zeros((height, width), dtype=np.float32)
        thickness = max(1, round(0.015 * px_per_mm))
        cv2.polylines(
            layer, [np.round(points).astype(np.int32)], False, 1.0, thickness, cv2.LINE_AA
        )
        layer = cv2.GaussianBlur(layer, (0, 0), 1.0) * 0.25
        image[:, :, 1] *= 1 - layer
        image[:, :, 2] *= 1 - 0.8 * layer


def _band(
    curve: np.ndarray, half_width: float, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Pixel coordinates (ys, xs) within half_width + 2 px of the curve's bounding box."""
    height, width = shape
    pad = half_width + 2.0
    x0 = max(0, int(math.floor(curve[:, 0].min() - pad)))
    x1 = min(width - 1, int(math.ceil(curve[:, 0].max() + pad)))
    y0 = max(0, int(math.floor(curve[:, 1].min() - pad)))
    y1 = min(height - 1, int(math.ceil(curve[:, 1].max() + pad)))
    if x0 > x1 or y0 > y1:
        return None
    local = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    nodes = np.vstack([curve[::8], curve[-1:]])
    stroke = np.round((nodes - (x0, y0)) * 16).astype(np.int32)
    cv2.polylines(local, [stroke], False, 1, int(2 * pad) + 2, cv2.LINE_8, 4)
    ys, xs = np.nonzero(local)
    if ys.size == 0:
        return None
    return ys + y0, xs + x0


def _coverage(
    curve: np.ndarray, widths: np.ndarray, ys: np.ndarray, xs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Anti-aliased coverage of a flat-ended shaft and each pixel's distance across it (0–1)."""
    points = np.column_stack([xs, ys]).astype(np.float64)
    distance, index = cKDTree(curve).query(points)
    half = widths[index] / 2.0
    lateral = distance.copy()
    alpha = np.ones(len(points))
    for end, neighbour in ((0, 1), (len(curve) - 1, len(curve) - 2)):
        at_end = index == end
        if not np.any(at_end):
            continue
        outward = curve[end] - curve[neighbour]
        outward /= max(float(np.hypot(*outward)), 1e-9)
        offset = points[at_end] - curve[end]
        beyond = offset @ outward
        lateral[at_end] = np.abs(offset[:, 0] * outward[1] - offset[:, 1] * outward[0])
        alpha[at_end] = np.clip(0.5 - beyond, 0.0, 1.0)
    alpha *= np.clip(half - lateral + 0.5, 0.0, 1.0)
    return alpha, np.clip(lateral / np.maximum(half, 1e-6), 0.0, 1.0)


def _hair_widths(hair: SyntheticHair, count: int, px_per_mm: float) -> np.ndarray:
    width = hair.diameter_um / 1000.0 * px_per_mm
    widths = np.full(count, width)
    if hair.is_vellus:
        # Uncut vellus hairs end in a natural, tapering tip over their last quarter.
        start = int(count * 0.75)
        widths[start:] = width * np.linspace(1.0, 0.4, count - start)
    return widths


def _draw_hair(image: np.ndarray, hair: SyntheticHair, curve: np.ndarray, px_per_mm: float) -> None:
    widths = _hair_widths(hair, len(curve), px_per_mm)
    band = _band(curve, float(widths.max()) / 2.0, image.shape[:2])
    if band is None:
        return
    ys, xs = band
    alpha, across = _coverage(curve, widths, ys, xs)
    keep = alpha > 0
    ys, xs, alpha, across = ys[keep], xs[keep], alpha[keep], across[keep]
    # A round shaft looks a little lighter at its edges than along its core.
    colour = np.asarray(hair.colour, dtype=np.float32)[None, :] * (1.0 + 0.6 * across[:, None] ** 2)
    weight = (alpha * hair.opacity)[:, None].astype(np.float32)
    image[ys, xs] = image[ys, xs] * (1.0 - weight) + weight * colour


def _draw_shadows(
    image: np.ndarray, hairs: tuple[SyntheticHair, ...], curves: list[np.ndarray], px_per_mm: float
) -> None:
    """The shaft runs on under the skin from its opening: a soft blue-grey shadow."""
    height, width = image.shape[:2]
    layer = np.zeros((height, width), dtype=np.float32)
    for hair, curve in zip(hairs, curves, strict=True):
        direction = curve[0] - curve[min(len(curve) - 1, 8)]
        direction /= max(float(np.hypot(*direction)), 1e-9)
        length = hair.shadow_mm * px_per_mm
        steps = np.linspace(0.0, 1.0, 12)
        strength = 0.55 if hair.is_vellus else 1.0
        thickness = max(1, round(1.3 * hair.diameter_um / 1000.0 * px_per_mm))
        for start, stop in zip(steps[:-1], steps[1:], strict=True):
            a = curve[0] + direction * length * start
            b = curve[0] + direction * length * stop
            value = strength * (1.0 - start)
            cv2.line(layer, _int_point(a), _int_point(b), value, thickness, cv2.LINE_AA, 4)
    sigma = max(1.0, 0.03 * px_per_mm)
    blurred = np.minimum(cv2.GaussianBlur(layer, (0, 0), sigma), 1.0)
    for channel, tint in enumerate((0.42, 0.34, 0.18)):
        image[:, :, channel] *= 1.0 - tint * blurred


def _int_point(point: np.ndarray) -> tuple[int, int]:
    return (round(float(point[0]) * 16), round(float(point[1]) * 16))


def _draw_flakes(image: np.ndarray, count: int, px_per_mm: float, rng: np.random.Generator) -> None:
    """White scales of dead skin, lying on top of everything."""
    height, width = image.shape[:2]
    for _ in range(int(rng.poisson(count))):
        centre = (rng.uniform(0, width), rng.uniform(0, height))
        axes = rng.uniform(0.02, 0.12, 2) * px_per_mm
        _blend_ellipse(image, centre, axes, rng.uniform(0, 180), 0.35, (0.97, 0.96, 0.94))


def _draw_glare(
    image: np.ndarray,
    count: int,
    px_per_mm: float,
    curves: list[np.ndarray],
    rng: np.random.Generator,
) -> None:
    """Specular spots from skin oil; about half of them sit on a hair."""
    height, width = image.shape[:2]
    for _ in range(count):
        if curves and rng.random() < 0.5:
            curve = curves[int(rng.integers(len(curves)))]
            centre = tuple(curve[int(rng.integers(len(curve)))])
        else:
            centre = (rng.uniform(0, width), rng.uniform(0, height))
        axes = rng.uniform(0.03, 0.15, 2) * px_per_mm
        _blend_ellipse(image, centre, axes, rng.uniform(0, 180), 1.0, (1.15, 1.15, 1.15))


def _blend_ellipse(
    image: np.ndarray,
    centre: tuple[float, float],
    axes: np.ndarray,
    angle: float,
    strength: float,
    colour: tuple[float, float, float],
) -> None:
    height, width = image.shape[:2]
    reach = int(max(axes) * 3) + 3
    x0, y0 = max(0, int(centre[0]) - reach), max(0, int(centre[1]) - reach)
    x1, y1 = min(width, int(centre[0]) + reach), min(height, int(centre[1]) + reach)
    if x0 >= x1 or y0 >= y1:
        return
    patch = np.zeros((y1 - y0, x1 - x0), dtype=np.float32)
    local = np.asarray(centre) - (x0, y0)
    scaled_axes = (round(float(axes[0]) * 16), round(float(axes[1]) * 16))
    cv2.ellipse(patch, _int_point(local), scaled_axes, angle, 0, 360, 1.0, -1, cv2.LINE_AA, 4)
    patch = cv2.GaussianBlur(patch, (0, 0), max(0.8, float(min(axes)) * 0.3))
    weight = (strength * patch)[:, :, None]
    tint = np.asarray(colour, dtype=np.float32)
    image[y0:y1, x0:x1] = image[y0:y1, x0:x1] * (1 - weight) + weight * tint


def _illumination(shape: tuple[int, int], lighting: Lighting) -> np.ndarray:
    height, width = shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    radius = (xs - cx) ** 2 + (ys - cy) ** 2
    radius /= max(float(radius.max()), 1.0)
    along = (xs - cx) * math.cos(lighting.gradient_angle) + (ys - cy) * math.sin(
        lighting.gradient_angle
    )
    along /= max(width, height) / 2
    gain = lighting.gain * (1.0 - lighting.vignetting * radius) * (1.0 + lighting.gradient * along)
    return gain.astype(np.float32)
