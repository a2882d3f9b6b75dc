import numpy as np

from mesotrack.imaging.ends import HairEnd, TracedHair
from mesotrack.imaging.pipeline import _looks_like_hair, _without_shadows

SHAFT_PX = 10.0
PX_PER_MM = 200.0


def traced(points: list[tuple[float, float]], width: float, peak: float) -> TracedHair:
    path = np.asarray(points, dtype=float)
    ends = (
        HairEnd(point=path[0], outward=np.array([0.0, -1.0]), shared=False, cut=False),
        HairEnd(point=path[-1], outward=np.array([0.0, 1.0]), shared=False, cut=False),
    )
    return TracedHair(points=path, ends=ends, width_px=width, peak=peak)


def bar(width: float, peak: float, row: float = 0.0) -> TracedHair:
    return traced([(row, float(col)) for col in range(0, 80, 2)], width, peak)


def test_faint_shaft_wide_traces_are_shadows_but_faint_thin_ones_are_vellus() -> None:
    hairs = [bar(SHAFT_PX, 0.5, row) for row in (0, 30, 60)]
    shadow = bar(SHAFT_PX, 0.15, 90)
    vellus = bar(0.3 * SHAFT_PX, 0.15, 120)

    kept = _without_shadows([*hairs, shadow, vellus], SHAFT_PX)

    kept_ids = {id(hair) for hair in kept}
    assert id(shadow) not in kept_ids
    assert id(vellus) in kept_ids
    assert all(id(hair) in kept_ids for hair in hairs)


def test_a_bent_trace_counts_only_if_it_is_as_dark_as_the_image_s_hairs() -> None:
    # Two straight legs at a right angle: chord / length = 0.71.
    points = [(float(step), 0.0) for step in range(0, 40, 2)]
    points += [(40.0, float(step)) for step in range(0, 42, 2)]

    dark = traced(points, SHAFT_PX, 0.5)
    faint = traced(points, SHAFT_PX, 0.3)

    assert _looks_like_hair(dark, SHAFT_PX, PX_PER_MM, typical_peak=0.5)
    assert not _looks_like_hair(faint, SHAFT_PX, PX_PER_MM, typical_peak=0.5)
