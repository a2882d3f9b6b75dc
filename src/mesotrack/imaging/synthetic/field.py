"""The geometry of a synthetic clipped-hair scalp field, in millimetres of scalp.

Follicular units of 1–4 hairs share one opening; their hairs leave it side by side and fan
out a little. Hairs in one patch of scalp point roughly the same way; a few stray hairs do not,
which makes crossings. Everything is drawn from one seeded numpy Generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Share of follicular units holding 1, 2, 3 and 4 hairs: a mean near 2 hairs per unit, the
# Caucasian/Asian range in the clinical notes (about 1.9–2.2).
UNIT_SIZE_WEIGHTS = (0.36, 0.38, 0.19, 0.07)
CROSSING_UNIT_SHARE = 0.15
VELLUS_DIAMETER_UM = (10.0, 30.0)
TERMINAL_DIAMETER_UM = (50.0, 100.0)
HAIR_COLOURS = (
    (0.10, 0.08, 0.07),  # black
    (0.16, 0.11, 0.08),  # dark brown
    (0.24, 0.16, 0.11),  # brown
    (0.30, 0.22, 0.15),  # light brown
)


@dataclass(frozen=True)
class FieldSpec:
    """What to render: image size, scale, density and how hard the field is."""

    width: int = 640
    height: int = 480
    px_per_mm: float = 200.0
    density_per_cm2: float = 150.0
    vellus_fraction: float = 0.15
    stray_fraction: float = 0.08
    terminal_length_mm: tuple[float, float] = (0.35, 1.1)
    vellus_length_mm: tuple[float, float] = (0.15, 0.45)
    max_curvature_per_mm: float = 0.6
    blur_sigma_px: float = 0.7
    noise: float = 0.012
    glare_spots: int = 2
    flakes: int = 6
    jpeg_quality: int | None = None


@dataclass(frozen=True)
class SyntheticHair:
    id: int
    unit_id: int
    exit_mm: tuple[float, float]
    angle: float
    length_mm: float
    curvature_per_mm: float
    diameter_um: float
    is_vellus: bool
    colour: tuple[float, float, float]
    opacity: float
    shadow_mm: float

    def centreline_mm(self, step_mm: float) -> np.ndarray:
        """Points from the exit to the cut tip along a circular arc, (n, 2) in mm."""
        steps = max(2, int(math.ceil(self.length_mm / step_mm)) + 1)
        s = np.linspace(0.0, self.length_mm, steps)
        heading = self.angle + self.curvature_per_mm * s
        if abs(self.curvature_per_mm) < 1e-6:
            dx, dy = s * math.cos(self.angle), s * math.sin(self.angle)
        else:
            k = self.curvature_per_mm
            dx = (np.sin(heading) - math.sin(self.angle)) / k
            dy = (math.cos(self.angle) - np.cos(heading)) / k
        return np.column_stack([self.exit_mm[0] + dx, self.exit_mm[1] + dy])


@dataclass(frozen=True)
class ScalpField:
    """All hairs of a patch of scalp larger than the image, so hairs run over its border."""

    spec: FieldSpec
    hairs: tuple[SyntheticHair, ...]
    skin_tone: tuple[float, float, float]
    flow_angle: float


def generate_field(spec: FieldSpec, rng: np.random.Generator) -> ScalpField:
    margin = spec.terminal_length_mm[1] + 0.2
    width_mm = spec.width / spec.px_per_mm
    height_mm = spec.height / spec.px_per_mm
    area_cm2 = (width_mm + 2 * margin) * (height_mm + 2 * margin) / 100.0
    hair_total = int(rng.poisson(spec.density_per_cm2 * area_cm2))
    flow = float(rng.uniform(0, 2 * math.pi))
    colour = HAIR_COLOURS[int(rng.integers(len(HAIR_COLOURS)))]
    openings = _place_openings(
        rng, hair_total, (-margin, -margin, width_mm + margin, height_mm + margin)
    )
    hairs: list[SyntheticHair] = []
    for unit_id, (opening, size) in enumerate(openings):
        hairs.extend(_unit_hairs(spec, rng, unit_id, opening, size, flow, colour, len(hairs)))
    tone = _skin_tone(rng)
    return ScalpField(spec=spec, hairs=tuple(hairs), skin_tone=tone, flow_angle=flow)


def _place_openings(
    rng: np.random.Generator, hair_total: int, box: tuple[float, float, float, float]
) -> list[tuple[tuple[float, float], int]]:
    """Follicle openings spread like real ones: random, but never closer than ~0.25 mm."""
    sizes: list[int] = []
    while sum(sizes) < hair_total:
        sizes.append(int(rng.choice(4, p=UNIT_SIZE_WEIGHTS)) + 1)
    if sizes:
        sizes[-1] -= sum(sizes) - hair_total
        if sizes[-1] == 0:
            sizes.pop()
    x0, y0, x1, y1 = box
    spacing = 0.25
    placed: list[tuple[float, float]] = []
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for _ in sizes:
        point = (float(rng.uniform(x0, x1)), float(rng.uniform(y0, y1)))
        for _attempt in range(30):
            if _far_enough(grid, point, spacing):
                break
            point = (float(rng.uniform(x0, x1)), float(rng.uniform(y0, y1)))
        placed.append(point)
        grid.setdefault(_cell(point, spacing), []).append(point)
    return list(zip(placed, sizes, strict=True))


def _cell(point: tuple[float, float], spacing: float) -> tuple[int, int]:
    return (int(math.floor(point[0] / spacing)), int(math.floor(point[1] / spacing)))


def _far_enough(
    grid: dict[tuple[int, int], list[tuple[float, float]]],
    point: tuple[float, float],
    spacing: float,
) -> bool:
    cx, cy = _cell(point, spacing)
    for gx in (cx - 1, cx, cx + 1):
        for gy in (cy - 1, cy, cy + 1):
            for other in grid.get((gx, gy), ()):
                if math.dist(point, other) < spacing:
                    return False
    return True


def _unit_hairs(
    spec: FieldSpec,
    rng: np.random.Generator,
    unit_id: int,
    opening: tuple[float, float],
    size: int,
    flow: float,
    colour: tuple[float, float, float],
    first_id: int,
) -> list[SyntheticHair]:
    stray = rng.random() < spec.stray_fraction
    unit_angle = float(rng.uniform(0, 2 * math.pi)) if stray else flow + rng.normal(0, 0.25)
    hairs = []
    # Hairs of one unit leave the opening side by side and fan out, 4–15° apart; mostly
    # each to its own side, sometimes crossing a neighbour just after the opening.
    fan = np.cumsum(np.deg2rad(rng.uniform(4, 15, size)))
    fan -= fan.mean()
    if rng.random() < CROSSING_UNIT_SHARE:
        fan = rng.permutation(fan)
    widths = [_diameter(spec, rng) for _ in range(size)]
    offsets = _side_by_side_offsets(widths, rng)
    for index in range(size):
        diameter, is_vellus = widths[index]
        angle = unit_angle + float(fan[index])
        side = offsets[index] / 1000.0
        exit_mm = (
            opening[0] - side * math.sin(unit_angle),
            opening[1] + side * math.cos(unit_angle),
        )
        low, high = spec.vellus_length_mm if is_vellus else spec.terminal_length_mm
        shade = 0.45 + 0.25 * rng.random() if is_vellus else 0.86 + 0.1 * rng.random()
        hairs.append(
            SyntheticHair(
                id=first_id + index,
                unit_id=unit_id,
                exit_mm=exit_mm,
                angle=angle,
                length_mm=float(rng.uniform(low, high)),
                curvature_per_mm=float(rng.uniform(-1, 1) * spec.max_curvature_per_mm),
                diameter_um=diameter,
                is_vellus=is_vellus,
                colour=_jitter_colour(colour, rng),
                opacity=float(shade),
                shadow_mm=float(rng.uniform(0.12, 0.35)),
            )
        )
    return hairs


def _diameter(spec: FieldSpec, rng: np.random.Generator) -> tuple[float, bool]:
    if rng.random() < spec.vellus_fraction:
        return float(rng.uniform(*VELLUS_DIAMETER_UM)), True
    low, high = TERMINAL_DIAMETER_UM
    return float(np.clip(rng.normal(72, 12), low, high)), False


def _side_by_side_offsets(
    widths: list[tuple[float, bool]], rng: np.random.Generator
) -> list[float]:
    """Lateral position (µm) of each hair in its opening: touching or a hair's width apart."""
    offsets = [0.0]
    for previous, current in zip(widths, widths[1:], strict=False):
        gap = float(rng.uniform(0.0, 0.6)) * min(previous[0], current[0])
        offsets.append(offsets[-1] + (previous[0] + current[0]) / 2 + gap)
    centre = (offsets[0] + offsets[-1]) / 2
    return [offset - centre for offset in offsets]


def _jitter_colour(
    colour: tuple[float, float, float], rng: np.random.Generator
) -> tuple[float, float, float]:
    scale = float(rng.uniform(0.85, 1.2))
    r, g, b = (min(1.0, channel * scale) for channel in colour)
    return (r, g, b)


def _skin_tone(rng: np.random.Generator) -> tuple[float, float, float]:
    tones = ((0.86, 0.72, 0.64), (0.80, 0.66, 0.56), (0.72, 0.58, 0.47), (0.83, 0.74, 0.70))
    base = tones[int(rng.integers(len(tones)))]
    r, g, b = (float(np.clip(channel + rng.normal(0, 0.02), 0, 1)) for channel in base)
    return (r, g, b)
