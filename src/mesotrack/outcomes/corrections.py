"""The corrected result of a trichoscopy analysis: the analyser's hairs with the practitioner's
corrections replayed in order. Pure functions over plain data.

Hairs added by hand have no measured diameter: they count in the hair count and density, and in
the vellus split as the reviewer marked them; the mean diameter is that of the analyser's
remaining hairs, and the cumulative thickness counts each added hair at that mean.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

ADD, REMOVE, RESTORE = "add", "remove", "restore"


class CorrectionLike(Protocol):
    pk: Any
    kind: str
    hair_ref: str
    x: float | None
    y: float | None
    is_vellus: bool


@dataclass(frozen=True)
class ReviewHair:
    ref: str
    number: int
    x: float
    y: float
    path: tuple[tuple[float, float], ...]
    diameter_um: float | None
    is_vellus: bool
    added: bool = False
    removed: bool = False


@dataclass(frozen=True)
class CorrectedResult:
    hairs: tuple[ReviewHair, ...]  # every hair shown, removed ones flagged
    area_mm2: float

    @property
    def counted(self) -> tuple[ReviewHair, ...]:
        return tuple(h for h in self.hairs if not h.removed)

    @property
    def hair_count(self) -> int:
        return len(self.counted)

    @property
    def vellus_count(self) -> int:
        return sum(1 for h in self.counted if h.is_vellus)

    @property
    def added_count(self) -> int:
        return sum(1 for h in self.hairs if h.added)

    @property
    def removed_count(self) -> int:
        return sum(1 for h in self.hairs if h.removed)

    @property
    def density_per_cm2(self) -> float:
        return self.hair_count / (self.area_mm2 / 100.0) if self.area_mm2 > 0 else 0.0

    @property
    def mean_diameter_um(self) -> float | None:
        measured = [h.diameter_um for h in self.counted if h.diameter_um is not None]
        return sum(measured) / len(measured) if measured else None

    @property
    def cumulative_thickness_mm_per_cm2(self) -> float | None:
        mean = self.mean_diameter_um
        if mean is None or self.area_mm2 <= 0:
            return None
        total_um = sum(h.diameter_um if h.diameter_um is not None else mean for h in self.counted)
        return (total_um / 1000.0) / (self.area_mm2 / 100.0)

    def find(self, ref: str) -> ReviewHair | None:
        return next((h for h in self.hairs if h.ref == ref), None)


def _point(values: Sequence[Any]) -> tuple[float, float]:
    return float(values[0]), float(values[1])


def auto_hairs(result: Mapping[str, Any] | None) -> list[ReviewHair]:
    """The analyser's hairs, numbered 1… in the order it reported them."""
    hairs = []
    for number, hair in enumerate((result or {}).get("hairs", []), start=1):
        x, y = _point(hair["exit_point"])
        hairs.append(
            ReviewHair(
                ref=f"auto:{hair['id']}",
                number=number,
                x=x,
                y=y,
                path=tuple(_point(p) for p in hair.get("path", [])),
                diameter_um=float(hair["diameter_um"]) if hair.get("diameter_um") else None,
                is_vellus=bool(hair.get("is_vellus")),
            )
        )
    return hairs


def corrected_result(
    result: Mapping[str, Any] | None, corrections: Sequence[CorrectionLike], area_mm2: float
) -> CorrectedResult:
    hairs = {hair.ref: hair for hair in auto_hairs(result)}
    number = len(hairs)
    for correction in corrections:
        current = hairs.get(correction.hair_ref)
        if correction.kind == ADD and correction.x is not None and correction.y is not None:
            number += 1
            ref = f"added:{correction.pk}"
            hairs[ref] = ReviewHair(
                ref=ref,
                number=number,
                x=correction.x,
                y=correction.y,
                path=(),
                diameter_um=None,
                is_vellus=correction.is_vellus,
                added=True,
            )
        elif correction.kind == REMOVE and current is not None:
            if current.added:
                del hairs[current.ref]
            else:
                hairs[current.ref] = replace(current, removed=True)
        elif correction.kind == RESTORE and current is not None:
            hairs[current.ref] = replace(current, removed=False)
    return CorrectedResult(hairs=tuple(hairs.values()), area_mm2=area_mm2)
