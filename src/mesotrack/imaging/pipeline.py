"""The trichoscopy analyser: count clipped hairs, measure them, and say how far to trust it.

Pipeline (each step in its own module):
1. preprocess: darkness maps (least darkness over the three channels, against a closing
   background), glare painted over, device overlays masked;
2. segment: hysteresis hair mask; typical shaft width; centre lines from a Hessian ridge
   filter tuned to that width (plus a fine one for vellus hairs and skeletons of dark areas
   no ridge explains); skeleton graph with spurs, loops and sideways links removed, gaps at
   crossings bridged, shallow X-crossings merged and V-shaped openings split (topology);
3. measure/profiles: each edge's half-maximum width and peak darkness across the shaft, and
   how many hairs lie side by side in it (seams);
4. strands: pair branches at junctions by direction, so crossings and forks resolve into hairs;
   glare: the two pieces of a hair broken by a large glare spot are joined again, and an exit
   that stops at a spot is put halfway across it;
5. hairs/ends/flow: each hair's exit point (shared opening, the blue-grey shaft under the skin
   beyond it, and the direction the clearly judged hairs of the image point), counted once if
   the exit lies in the region; duplicates: one shaft, one hair (two touching hairs stay two);
   faint traces as wide as a shaft (the shaft under the skin, the rim of an opening) and faint
   winding ones are not hairs; joins: a line much longer than the image's long hairs is two
   hairs lying end to end, parted where the shadow of the second one's opening shows beside
   it; openings: a vellus hair cut short beside a terminal hair of its unit has its exit
   carried on to their opening.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from mesotrack.imaging.border_openings import border_openings
from mesotrack.imaging.duplicates import drop_twins
from mesotrack.imaging.ends import TracedHair, hair_length
from mesotrack.imaging.hairs import (
    simplify_path,
    to_input_coords,
    trace_hairs,
    unit_histogram,
    unit_ids,
)
from mesotrack.imaging.joins import part_joined_hairs
from mesotrack.imaging.loading import as_rgb_array
from mesotrack.imaging.measure import assign_multiplicity, measure_edges
from mesotrack.imaging.model import (
    DEFAULT_VELLUS_THRESHOLD_UM,
    MAX_HAIRS_PER_UNIT,
    Analysis,
    Calibration,
    DeviceProfile,
    Hair,
    Region,
    diameter_distribution,
)
from mesotrack.imaging.openings import reach_shared_openings
from mesotrack.imaging.preprocess import Prepared, prepare
from mesotrack.imaging.quality import assess
from mesotrack.imaging.regions import contains, region_mask, validate_region
from mesotrack.imaging.segment import (
    MIN_HAIR_MM,
    centre_lines,
    hair_mask,
    skeleton_graph,
    typical_width,
)
from mesotrack.imaging.strands import pair_lanes, trace_strands

Progress = Callable[[float], None]
# A piece of centre line shorter than this, hanging off other hairs, is part of their bodies.
FRAGMENT_WIDTHS = 1.5
# Clipped hairs are at least about twice as long as they are wide, and nearly straight.
MIN_LENGTH_WIDTHS = 1.8
MIN_STRAIGHTNESS = 0.6
# Faint winding traces are mostly the rims of openings and shadows under the skin.
FAINT_MIN_STRAIGHTNESS = 0.75
FAINT_PEAK_SHARE = 0.8
# The blue-grey shaft under the skin and the rim of an opening trace as shaft-wide bars that
# are far fainter than the image's hairs; faint vellus hairs are as faint, but thin.
SHADOW_PEAK_SHARE = 0.6
SHADOW_MIN_WIDTH_SHARE = 0.6
# A hair running in from the border shows as a bar several shafts long; shorter dark pieces
# at the border are mostly shadows and the ends of hairs whose bodies lie outside.
PASSING_MIN_WIDTHS = 6.5


def analyze(
    image: np.ndarray | bytes | Path,
    calibration: Calibration | DeviceProfile,
    region: Region | None = None,
    *,
    vellus_threshold_um: float = DEFAULT_VELLUS_THRESHOLD_UM,
    exclude: Sequence[Region] = (),
    progress: Progress | None = None,
) -> Analysis:
    """Count and measure the hairs of one trichoscopy field.

    A hair counts if its exit point (the end where it leaves the skin) lies inside `region`
    (the whole image if None); hairs cut by the border count only if their exit is visible.
    `exclude` lists areas the camera's own overlays cover (text banners, scale bars): they are
    treated like the image border and left out of the area.
    """
    report = progress or (lambda fraction: None)
    rgb = as_rgb_array(image)
    if isinstance(calibration, DeviceProfile):
        exclude = (*exclude, *calibration.overlays)
        calibration = calibration.calibration
    shape = rgb.shape[:2]
    validate_region(region, shape)
    hidden = _hidden(exclude, shape)
    report(0.05)
    prepared = prepare(rgb, calibration.px_per_mm, hidden)
    report(0.3)
    mask = hair_mask(prepared.darkness, prepared.px_per_mm)
    traced = _trace(mask, prepared)
    report(0.8)
    hairs, passing = _counted_hairs(traced, prepared, region, hidden, vellus_threshold_um)
    peak = float(np.median([hair.peak for hair in traced])) if traced else 0.0
    quality = assess(
        prepared, mask, calibration.px_per_mm, peak, [hair.diameter_um for hair in hairs]
    )
    report(1.0)
    return Analysis(
        width=shape[1],
        height=shape[0],
        px_per_mm=calibration.px_per_mm,
        region=region,
        area_mm2=int((region_mask(region, shape) & ~hidden).sum()) / calibration.px_per_mm**2,
        vellus_threshold_um=vellus_threshold_um,
        hairs=tuple(hairs),
        quality=quality,
        diameters=diameter_distribution([hair.diameter_um for hair in hairs]),
        hairs_per_unit=unit_histogram(
            [hair.follicular_unit_id for hair in hairs], MAX_HAIRS_PER_UNIT
        ),
        passing_hairs=passing,
    )


def _trace(mask: np.ndarray, prepared: Prepared) -> list[TracedHair]:
    ppm = prepared.px_per_mm
    radius = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    single_width = typical_width(prepared.darkness, mask, ppm)
    centre = centre_lines(prepared.darkness, mask, single_width, ppm)
    graph = skeleton_graph(centre, radius, prepared.darkness, single_width, ppm)
    shaft_width = measure_edges(graph, prepared.darkness, single_width)
    assign_multiplicity(graph, prepared.darkness, shaft_width)
    links = pair_lanes(graph, reach=max(4.0, 0.05 * prepared.px_per_mm))
    strands = trace_strands(graph, links)
    traced = trace_hairs(graph, strands, prepared)
    typical_peak = float(np.median([hair.peak for hair in traced])) if traced else 0.0
    traced = [
        hair
        for hair in traced
        if _looks_like_hair(hair, shaft_width, prepared.px_per_mm, typical_peak)
    ]
    traced = _without_shadows(drop_twins(traced, prepared.darkness, shaft_width), shaft_width)
    traced = part_joined_hairs(traced, prepared.shadow, shaft_width)
    traced = reach_shared_openings(traced, shaft_width, prepared.px_per_mm, prepared.darkness)
    return traced + border_openings(traced, prepared, shaft_width)


def _without_shadows(traced: list[TracedHair], shaft_width: float) -> list[TracedHair]:
    if not traced:
        return traced
    floor = SHADOW_PEAK_SHARE * float(np.median([hair.peak for hair in traced]))
    wide = SHADOW_MIN_WIDTH_SHARE * shaft_width
    return [hair for hair in traced if hair.peak >= floor or hair.width_px < wide]


def _looks_like_hair(
    hair: TracedHair, shaft_width: float, px_per_mm: float, typical_peak: float
) -> bool:
    """Clipped shafts are straight-ish bars several widths long; skin texture and the scale
    around an opening make short or winding pieces."""
    length = hair_length(hair.points)
    shortest = MIN_HAIR_MM * px_per_mm
    # An opening right at the border leaves only a stub in view: there its exit decides.
    border_stub = hair.exit_visible and any(end.cut for end in hair.ends) and not hair.attached
    if not border_stub:
        shortest = max(shortest, MIN_LENGTH_WIDTHS * min(shaft_width, 2.0 * hair.width_px))
    if hair.attached:
        shortest = max(shortest, FRAGMENT_WIDTHS * hair.attached * shaft_width)
    chord = float(np.hypot(*(hair.points[-1] - hair.points[0])))
    faint = hair.peak < FAINT_PEAK_SHARE * typical_peak
    straightness = FAINT_MIN_STRAIGHTNESS if faint else MIN_STRAIGHTNESS
    return length >= shortest and chord >= straightness * length


def _hidden(exclude: Sequence[Region], shape: tuple[int, int]) -> np.ndarray:
    hidden = np.zeros(shape, dtype=bool)
    for area in exclude:
        hidden |= region_mask(area, shape)
    return hidden


def _counted_hairs(
    traced: list[TracedHair],
    prepared: Prepared,
    region: Region | None,
    hidden: np.ndarray,
    vellus_threshold_um: float,
) -> tuple[list[Hair], int]:
    """The hairs whose exit lies in the region, and how many others only pass through it."""
    shape = hidden.shape
    chosen = []
    passing = 0
    for hair in traced:
        exit_end = hair.ends[hair.exit_index]
        exit_xy = to_input_coords(exit_end.point, prepared.scale)
        visible = hair.exit_visible and contains(region, shape, exit_xy)
        if visible and not hidden[_pixel(exit_xy, shape)]:
            chosen.append((hair, exit_xy))
        elif _crosses(hair.points, prepared.scale, region, shape) and _substantial(hair):
            passing += 1
    units = unit_ids([np.asarray(xy) for _, xy in chosen], prepared.px_per_mm / prepared.scale)
    hairs = []
    for number, ((hair, exit_xy), unit) in enumerate(zip(chosen, units, strict=True), start=1):
        points = hair.points if hair.exit_index == 0 else hair.points[::-1]
        tip = hair.ends[1 - hair.exit_index]
        diameter_um = hair.width_px / prepared.px_per_mm * 1000.0
        hairs.append(
            Hair(
                id=number,
                exit_point=exit_xy,
                tip_point=to_input_coords(tip.point, prepared.scale),
                path=simplify_path(points, prepared.scale),
                length_px=hair_length(points) / prepared.scale,
                diameter_um=diameter_um,
                is_vellus=diameter_um < vellus_threshold_um,
                follicular_unit_id=unit,
                touches_border=tip.cut,
            )
        )
    return hairs, passing


def _substantial(hair: TracedHair) -> bool:
    """A hair running in from the border is worth reporting if more than a stub shows."""
    return hair_length(hair.points) >= PASSING_MIN_WIDTHS * hair.width_px


def _crosses(
    points: np.ndarray, scale: float, region: Region | None, shape: tuple[int, int]
) -> bool:
    return any(contains(region, shape, to_input_coords(point, scale)) for point in points[::4])


def _pixel(point: tuple[float, float], shape: tuple[int, int]) -> tuple[int, int]:
    row = min(max(int(round(point[1])), 0), shape[0] - 1)
    col = min(max(int(round(point[0])), 0), shape[1] - 1)
    return row, col
