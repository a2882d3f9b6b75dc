"""Hand-placed hair layouts for tests: one crossing, one follicular unit, one border cut."""

from __future__ import annotations

import math

import numpy as np

from mesotrack.imaging.synthetic import (
    FieldSpec,
    GroundTruth,
    ScalpField,
    SyntheticHair,
    make_field_image,
)

PX_PER_MM = 200.0
SPEC = FieldSpec(width=400, height=300, px_per_mm=PX_PER_MM, glare_spots=0, flakes=0, noise=0.008)


def hair(
    exit_mm: tuple[float, float],
    angle_deg: float,
    *,
    unit: int = 0,
    length_mm: float = 0.9,
    diameter_um: float = 70.0,
    vellus: bool = False,
) -> SyntheticHair:
    return SyntheticHair(
        id=0,
        unit_id=unit,
        exit_mm=exit_mm,
        angle=math.radians(angle_deg),
        length_mm=length_mm,
        curvature_per_mm=0.0,
        diameter_um=diameter_um,
        is_vellus=vellus,
        colour=(0.15, 0.11, 0.08),
        opacity=0.6 if vellus else 0.92,
        shadow_mm=0.25,
    )


def scene(*hairs: SyntheticHair, spec: FieldSpec = SPEC) -> tuple[np.ndarray, GroundTruth]:
    numbered = tuple(
        SyntheticHair(**{**item.__dict__, "id": number}) for number, item in enumerate(hairs)
    )
    field = ScalpField(spec=spec, hairs=numbered, skin_tone=(0.85, 0.72, 0.64), flow_angle=0.0)
    return make_field_image(field, seed=1)
