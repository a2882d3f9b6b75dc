"""Pictures for the demo: stylised clinical photographs drawn with Pillow (more strokes of hair
where the patient has more hair) and trichoscopy fields from the imaging package's synthetic
generator, whose ground truth lets the demo make realistic corrections."""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from mesotrack.outcomes.codes import PhotoView

PHOTO_SIZE = (320, 240)
SKIN_TONES = [(233, 196, 170), (214, 170, 136), (184, 138, 104), (141, 98, 72), (98, 66, 48)]
HAIR_COLOURS = [(30, 24, 20), (58, 40, 28), (92, 64, 40), (140, 110, 80), (120, 118, 116)]
BACKGROUND = (226, 232, 238)
# 8 × 6 mm of scalp (0.48 cm²) at 70 px/mm: a 60 µm hair spans about four pixels.
TRICHOSCOPY_SIZE = (560, 420)
TRICHOSCOPY_PX_PER_MM = 70.0
STROKES_PER_UNIT = 1100  # strokes at a density factor of 1.0 over a full head of hair


@dataclass(frozen=True)
class Look:
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    pattern: str  # "male" or "female"


def look_for(rng: random.Random, male: bool) -> Look:
    return Look(rng.choice(SKIN_TONES), rng.choice(HAIR_COLOURS), "male" if male else "female")


def _strokes(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    count: int,
    inside: Callable[[float, float], bool],
    box: tuple[int, int, int, int],
    direction: Callable[[float, float], float],
    colour: tuple[int, int, int],
) -> None:
    left, top, right, bottom = box
    drawn = tries = 0
    while drawn < count and tries < count * 6:
        tries += 1
        x, y = rng.uniform(left, right), rng.uniform(top, bottom)
        if not inside(x, y):
            continue
        angle = direction(x, y) + rng.uniform(-0.35, 0.35)
        length = rng.uniform(5, 10)
        end = (x + length * math.cos(angle), y + length * math.sin(angle))
        draw.line([(x, y), end], fill=colour, width=1)
        drawn += 1


def _frontal(draw: ImageDraw.ImageDraw, rng: random.Random, look: Look, density: float) -> None:
    draw.ellipse((105, 70, 215, 225), fill=look.skin)  # face
    recession = 18 if look.pattern == "male" else 4
    top = 60 + (1.0 - min(density, 1.2)) * 25

    def in_hair(x: float, y: float) -> bool:
        inside_head = ((x - 160) / 62) ** 2 + ((y - 110) / 70) ** 2 <= 1
        hairline = top + recession * (abs(x - 160) / 55) ** 2 + 35
        return inside_head and y < hairline

    _strokes(
        draw,
        rng,
        int(STROKES_PER_UNIT * 0.55 * density),
        in_hair,
        (95, 35, 225, 160),
        lambda x, y: -math.pi / 2 + (x - 160) / 90,
        look.hair,
    )


def _vertex(draw: ImageDraw.ImageDraw, rng: random.Random, look: Look, density: float) -> None:
    draw.ellipse((80, 40, 240, 200), fill=look.skin)
    thinning = max(0.0, 1.15 - density) * (60 if look.pattern == "male" else 35)

    def in_hair(x: float, y: float) -> bool:
        distance = math.hypot(x - 160, y - 120)
        return distance <= 80 and (distance >= thinning or rng.random() < 0.25)

    _strokes(
        draw,
        rng,
        int(STROKES_PER_UNIT * density),
        in_hair,
        (80, 40, 240, 200),
        lambda x, y: math.atan2(y - 120, x - 160) + 0.6,
        look.hair,
    )


def _side(
    draw: ImageDraw.ImageDraw, rng: random.Random, look: Look, density: float, left: bool
) -> None:
    centre = 150 if left else 170
    draw.ellipse((centre - 75, 40, centre + 75, 200), fill=look.skin)
    ear_x = centre + (18 if left else -18)
    draw.ellipse((ear_x - 12, 110, ear_x + 12, 145), fill=tuple(int(c * 0.9) for c in look.skin))
    face_side = -1 if left else 1

    def in_hair(x: float, y: float) -> bool:
        inside = ((x - centre) / 75) ** 2 + ((y - 120) / 80) ** 2 <= 1
        behind_face = (x - centre) * face_side < 30 or y < 75
        above_ear = y < 108 or (x - ear_x) * face_side < -14
        return inside and behind_face and above_ear and y < 170

    _strokes(
        draw,
        rng,
        int(STROKES_PER_UNIT * 0.6 * density),
        in_hair,
        (centre - 75, 40, centre + 75, 170),
        lambda x, y: math.pi / 2 + face_side * 0.8,
        look.hair,
    )


def photo_jpeg(view: str, look: Look, density: float, rng: random.Random) -> bytes:
    """A 320×240 stylised photograph of one standard view; `density` 1.0 is a full head."""
    image = Image.new("RGB", PHOTO_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    if view == PhotoView.FRONTAL:
        _frontal(draw, rng, look, density)
    elif view == PhotoView.VERTEX:
        _vertex(draw, rng, look, density)
    else:
        _side(draw, rng, look, density, left=view == PhotoView.LEFT)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@dataclass(frozen=True)
class Field:
    png: bytes
    pixels: np.ndarray
    true_exits: list[tuple[float, float]]  # hairs that count
    all_exits: list[tuple[float, float]]  # every hair drawn


def trichoscopy_field(density_per_cm2: float, seed: int) -> Field:
    from mesotrack.imaging.synthetic import FieldSpec, make_image

    spec = FieldSpec(
        width=TRICHOSCOPY_SIZE[0],
        height=TRICHOSCOPY_SIZE[1],
        px_per_mm=TRICHOSCOPY_PX_PER_MM,
        density_per_cm2=density_per_cm2,
        glare_spots=1,
    )
    pixels, truth = make_image(spec, seed=seed)
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels)).save(buffer, format="PNG")
    return Field(
        png=buffer.getvalue(),
        pixels=np.asarray(pixels),
        true_exits=[hair.exit_point for hair in truth.counted],
        all_exits=[hair.exit_point for hair in truth.hairs],
    )
