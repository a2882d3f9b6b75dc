"""Synthetic clipped-hair trichoscopy fields with exact ground truth, for tests and benchmarks.

    image, truth = make_image(FieldSpec(px_per_mm=200, density_per_cm2=150), seed=7)
    first, second = make_pair(spec, seed=7)   # two captures of the same scalp

Deterministic: the same spec and seed give the same pixels and the same truth.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from mesotrack.imaging.model import Region, region_from_dict
from mesotrack.imaging.regions import contains, region_area_px
from mesotrack.imaging.synthetic.field import FieldSpec, ScalpField, SyntheticHair, generate_field
from mesotrack.imaging.synthetic.render import Lighting, hair_points_px, render

__all__ = [
    "FieldSpec",
    "GroundTruth",
    "Lighting",
    "ScalpField",
    "SyntheticHair",
    "TrueHair",
    "make_field_image",
    "make_image",
    "make_pair",
    "read_truth",
    "write_sample",
]


@dataclass(frozen=True)
class TrueHair:
    id: int
    unit_id: int
    exit_point: tuple[float, float]
    tip_point: tuple[float, float]
    path: tuple[tuple[float, float], ...]
    diameter_um: float
    is_vellus: bool
    in_region: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit_id": self.unit_id,
            "exit_point": list(self.exit_point),
            "tip_point": list(self.tip_point),
            "path": [list(point) for point in self.path],
            "diameter_um": self.diameter_um,
            "is_vellus": self.is_vellus,
            "in_region": self.in_region,
        }


@dataclass(frozen=True)
class GroundTruth:
    """What was drawn: every hair that shows in the image, and which of them count."""

    width: int
    height: int
    px_per_mm: float
    region: Region | None
    area_mm2: float
    hairs: tuple[TrueHair, ...]

    @property
    def counted(self) -> tuple[TrueHair, ...]:
        return tuple(hair for hair in self.hairs if hair.in_region)

    @property
    def count(self) -> int:
        return len(self.counted)

    @property
    def density_per_cm2(self) -> float:
        return self.count / (self.area_mm2 / 100.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "px_per_mm": self.px_per_mm,
            "region": self.region.to_dict() if self.region else None,
            "area_mm2": self.area_mm2,
            "count": self.count,
            "density_per_cm2": self.density_per_cm2,
            "hairs": [hair.to_dict() for hair in self.hairs],
        }


def make_image(
    spec: FieldSpec, seed: int, region: Region | None = None
) -> tuple[np.ndarray, GroundTruth]:
    """Render one field; the truth counts hairs whose exit point lies inside the region."""
    rng = np.random.default_rng(seed)
    field = generate_field(spec, rng)
    image = render(field, rng)
    return image, _truth(field, region, (0.0, 0.0))


def make_field_image(
    field: ScalpField, seed: int, region: Region | None = None
) -> tuple[np.ndarray, GroundTruth]:
    """Render a field whose hairs were placed by hand (for tests of particular layouts)."""
    image = render(field, np.random.default_rng(seed), lighting=Lighting())
    return image, _truth(field, region, (0.0, 0.0))


def make_pair(
    spec: FieldSpec, seed: int, region: Region | None = None, max_shift_mm: float = 0.1
) -> tuple[tuple[np.ndarray, GroundTruth], tuple[np.ndarray, GroundTruth]]:
    """Two captures of one scalp: same hairs, new noise and lighting, the camera moved a little."""
    rng = np.random.default_rng(seed)
    field = generate_field(spec, rng)
    first = render(field, rng)
    shift = tuple(float(v) for v in rng.uniform(-1, 1, 2) * max_shift_mm * spec.px_per_mm)
    shift_px = (shift[0], shift[1])
    second = render(field, rng, shift_px=shift_px, lighting=Lighting.random(rng))
    return (first, _truth(field, region, (0.0, 0.0))), (second, _truth(field, region, shift_px))


def write_sample(folder: Path, name: str, image: np.ndarray, truth: GroundTruth) -> Path:
    """Write NAME.png and NAME.json (the ground truth) into folder; return the image's path."""
    folder.mkdir(parents=True, exist_ok=True)
    image_path = folder / f"{name}.png"
    Image.fromarray(image).save(image_path)
    (folder / f"{name}.json").write_text(json.dumps(truth.to_dict()))
    return image_path


def read_truth(path: Path) -> GroundTruth:
    data = json.loads(path.read_text())
    hairs = tuple(
        TrueHair(
            id=int(item["id"]),
            unit_id=int(item["unit_id"]),
            exit_point=(float(item["exit_point"][0]), float(item["exit_point"][1])),
            tip_point=(float(item["tip_point"][0]), float(item["tip_point"][1])),
            path=tuple((float(x), float(y)) for x, y in item["path"]),
            diameter_um=float(item["diameter_um"]),
            is_vellus=bool(item["is_vellus"]),
            in_region=bool(item["in_region"]),
        )
        for item in data["hairs"]
    )
    return GroundTruth(
        width=int(data["width"]),
        height=int(data["height"]),
        px_per_mm=float(data["px_per_mm"]),
        region=region_from_dict(data["region"]),
        area_mm2=float(data["area_mm2"]),
        hairs=hairs,
    )


def _truth(field: ScalpField, region: Region | None, shift_px: tuple[float, float]) -> GroundTruth:
    spec = field.spec
    shape = (spec.height, spec.width)
    hairs = []
    for hair in field.hairs:
        curve = hair_points_px(hair, spec.px_per_mm, shift_px)
        if not _shows(curve, shape):
            continue
        hairs.append(_true_hair(hair, curve, contains(region, shape, tuple(curve[0]))))
    area_px = region_area_px(region, shape)
    return GroundTruth(
        width=spec.width,
        height=spec.height,
        px_per_mm=spec.px_per_mm,
        region=region,
        area_mm2=area_px / spec.px_per_mm**2,
        hairs=tuple(hairs),
    )


def _shows(curve: np.ndarray, shape: tuple[int, int]) -> bool:
    height, width = shape
    inside = (
        (curve[:, 0] >= 0)
        & (curve[:, 0] <= width - 1)
        & (curve[:, 1] >= 0)
        & (curve[:, 1] <= height - 1)
    )
    return bool(inside.any())


def _true_hair(hair: SyntheticHair, curve: np.ndarray, in_region: bool) -> TrueHair:
    stride = max(1, int(math.ceil(len(curve) / 24)))
    path = np.vstack([curve[::stride], curve[-1:]])
    return TrueHair(
        id=hair.id,
        unit_id=hair.unit_id,
        exit_point=(round(float(curve[0, 0]), 2), round(float(curve[0, 1]), 2)),
        tip_point=(round(float(curve[-1, 0]), 2), round(float(curve[-1, 1]), 2)),
        path=tuple((round(float(x), 2), round(float(y), 2)) for x, y in path),
        diameter_um=round(hair.diameter_um, 2),
        is_vellus=hair.is_vellus,
        in_region=in_region,
    )
