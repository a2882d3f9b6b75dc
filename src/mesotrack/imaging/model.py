"""Plain data classes that go in and out of the trichoscopy analyser.

Pixel coordinates are (x, y) with the origin at the top-left corner of the input image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Trichoscopy texts put the vellus/terminal cut-off at 30 µm (Rakowska); TrichoScan uses 40 µm.
DEFAULT_VELLUS_THRESHOLD_UM = 30.0
# A follicular unit holds 1–4 hairs (rarely 5); larger units are reported in the 4 bin.
MAX_HAIRS_PER_UNIT = 4


@dataclass(frozen=True)
class Calibration:
    """How many image pixels make one millimetre of scalp."""

    px_per_mm: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.px_per_mm) or self.px_per_mm <= 0:
            raise ValueError("The calibration must be a positive number of pixels per millimetre.")

    @property
    def um_per_px(self) -> float:
        return 1000.0 / self.px_per_mm


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "circle", "cx": self.cx, "cy": self.cy, "r": self.r}


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "polygon", "points": [list(point) for point in self.points]}


Region = Circle | Polygon


@dataclass(frozen=True)
class DeviceProfile:
    """A saved dermatoscope set-up: its calibration, and where its software draws overlays."""

    name: str
    px_per_mm: float
    magnification: str = ""
    notes: str = ""
    overlays: tuple[Region, ...] = ()

    @property
    def calibration(self) -> Calibration:
        return Calibration(self.px_per_mm)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "px_per_mm": self.px_per_mm,
            "magnification": self.magnification,
            "notes": self.notes,
            "overlays": [overlay.to_dict() for overlay in self.overlays],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceProfile:
        overlays = tuple(region_from_dict(item) for item in data.get("overlays", []))
        profile = cls(
            name=str(data["name"]),
            px_per_mm=float(data["px_per_mm"]),
            magnification=str(data.get("magnification", "")),
            notes=str(data.get("notes", "")),
            overlays=tuple(overlay for overlay in overlays if overlay is not None),
        )
        profile.calibration  # noqa: B018 - validates px_per_mm
        return profile


def region_from_dict(data: dict[str, Any] | None) -> Region | None:
    if data is None:
        return None
    if data.get("kind") == "circle":
        return Circle(float(data["cx"]), float(data["cy"]), float(data["r"]))
    if data.get("kind") == "polygon":
        return Polygon(tuple((float(x), float(y)) for x, y in data["points"]))
    raise ValueError("A region is either a circle or a polygon.")


@dataclass(frozen=True)
class Hair:
    """One counted hair: its exit point (the follicle opening end) and its shaft."""

    id: int
    exit_point: tuple[float, float]
    tip_point: tuple[float, float]
    path: tuple[tuple[float, float], ...]
    length_px: float
    diameter_um: float
    is_vellus: bool
    follicular_unit_id: int
    touches_border: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "exit_point": _rounded(self.exit_point),
            "tip_point": _rounded(self.tip_point),
            "path": [_rounded(point) for point in self.path],
            "length_px": round(self.length_px, 1),
            "diameter_um": round(self.diameter_um, 1),
            "is_vellus": self.is_vellus,
            "follicular_unit_id": self.follicular_unit_id,
            "touches_border": self.touches_border,
        }


@dataclass(frozen=True)
class DiameterDistribution:
    bin_edges_um: tuple[float, ...]
    counts: tuple[int, ...]
    mean_um: float | None
    median_um: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "bin_edges_um": list(self.bin_edges_um),
            "counts": list(self.counts),
            "mean_um": _maybe_round(self.mean_um),
            "median_um": _maybe_round(self.median_um),
        }


@dataclass(frozen=True)
class QualityFlags:
    """Reasons to distrust an image, with the measurements behind them."""

    blurred: bool
    glare: bool
    too_few_pixels_per_hair: bool
    too_dark: bool
    sharpness: float
    glare_fraction: float
    px_per_shaft: float
    mean_brightness: float
    messages: tuple[str, ...] = ()
    # The hairs' median width lies outside what scalp hair measures: the calibration is off.
    implausible_widths: bool = False
    median_diameter_um: float | None = None

    @property
    def ok(self) -> bool:
        return not (
            self.blurred
            or self.glare
            or self.too_few_pixels_per_hair
            or self.too_dark
            or self.implausible_widths
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "blurred": self.blurred,
            "glare": self.glare,
            "too_few_pixels_per_hair": self.too_few_pixels_per_hair,
            "too_dark": self.too_dark,
            "implausible_widths": self.implausible_widths,
            "sharpness": round(self.sharpness, 2),
            "glare_fraction": round(self.glare_fraction, 4),
            "px_per_shaft": round(self.px_per_shaft, 2),
            "mean_brightness": round(self.mean_brightness, 3),
            "median_diameter_um": _maybe_round(self.median_diameter_um),
            "messages": list(self.messages),
        }


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one trichoscopy field."""

    width: int
    height: int
    px_per_mm: float
    region: Region | None
    area_mm2: float
    vellus_threshold_um: float
    hairs: tuple[Hair, ...]
    quality: QualityFlags
    diameters: DiameterDistribution
    hairs_per_unit: dict[int, int] = field(default_factory=dict)
    # Hairs seen in the region but not counted: their exit lies outside it or cannot be seen.
    passing_hairs: int = 0

    @property
    def hair_count(self) -> int:
        return len(self.hairs)

    @property
    def density_per_cm2(self) -> float:
        return self.hair_count / (self.area_mm2 / 100.0) if self.area_mm2 > 0 else 0.0

    @property
    def vellus_count(self) -> int:
        return sum(1 for hair in self.hairs if hair.is_vellus)

    @property
    def terminal_count(self) -> int:
        return self.hair_count - self.vellus_count

    @property
    def vellus_fraction(self) -> float:
        return self.vellus_count / self.hair_count if self.hairs else 0.0

    @property
    def mean_diameter_um(self) -> float | None:
        return self.diameters.mean_um

    @property
    def cumulative_thickness_mm_per_cm2(self) -> float:
        """Sum of shaft diameters per cm² ("hair mass" in TrichoScan reports)."""
        if self.area_mm2 <= 0:
            return 0.0
        total_mm = sum(hair.diameter_um for hair in self.hairs) / 1000.0
        return total_mm / (self.area_mm2 / 100.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "px_per_mm": self.px_per_mm,
            "region": self.region.to_dict() if self.region else None,
            "area_mm2": round(self.area_mm2, 4),
            "hair_count": self.hair_count,
            "density_per_cm2": round(self.density_per_cm2, 2),
            "terminal_count": self.terminal_count,
            "vellus_count": self.vellus_count,
            "vellus_fraction": round(self.vellus_fraction, 4),
            "vellus_threshold_um": self.vellus_threshold_um,
            "mean_diameter_um": _maybe_round(self.mean_diameter_um),
            "cumulative_thickness_mm_per_cm2": round(self.cumulative_thickness_mm_per_cm2, 3),
            "diameters": self.diameters.to_dict(),
            "hairs_per_unit": {str(size): n for size, n in sorted(self.hairs_per_unit.items())},
            "passing_hairs": self.passing_hairs,
            "quality": self.quality.to_dict(),
            "hairs": [hair.to_dict() for hair in self.hairs],
        }


def diameter_distribution(diameters_um: list[float], bin_um: float = 10.0) -> DiameterDistribution:
    top = max(120.0, math.ceil(max(diameters_um, default=0.0) / bin_um) * bin_um)
    edges = np.arange(0.0, top + bin_um, bin_um)
    counts, _ = np.histogram(np.asarray(diameters_um, dtype=float), bins=edges)
    return DiameterDistribution(
        bin_edges_um=tuple(float(edge) for edge in edges),
        counts=tuple(int(count) for count in counts),
        mean_um=float(np.mean(diameters_um)) if diameters_um else None,
        median_um=float(np.median(diameters_um)) if diameters_um else None,
    )


def _rounded(point: tuple[float, float]) -> list[float]:
    return [round(point[0], 1), round(point[1], 1)]


def _maybe_round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
