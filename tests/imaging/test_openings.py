"""A vellus hair cut short beside a terminal hair of its unit is carried on to the opening."""

import numpy as np

from mesotrack.imaging.ends import HairEnd, TracedHair
from mesotrack.imaging.openings import reach_shared_openings

PX_PER_MM = 200.0
SHAFT = 14.0


def straight_hair(row: float, start: float, stop: float, width: float) -> TracedHair:
    """A horizontal hair whose exit is at column `start` and tip at `stop`."""
    cols = np.arange(start, stop)
    points = np.column_stack([np.full(len(cols), row), cols])
    exit_end = HairEnd(point=points[0], outward=np.array([0.0, -1.0]), shared=False, cut=False)
    tip = HairEnd(point=points[-1], outward=np.array([0.0, 1.0]), shared=False, cut=False)
    return TracedHair(points=points, ends=(exit_end, tip), width_px=width, peak=0.5)


def scalp(vellus_from: int) -> np.ndarray:
    """A terminal shaft from column 40 and a vellus one alongside it from `vellus_from`."""
    darkness = np.zeros((100, 200))
    darkness[43:57, 40:190] = 0.7
    darkness[57:61, vellus_from:150] = 0.5
    return darkness


def test_a_vellus_exit_stopped_short_beside_a_terminal_opening_is_carried_to_it() -> None:
    terminal = straight_hair(50, 40, 190, SHAFT)
    vellus = straight_hair(59, 70, 150, 4.0)  # the line stops at 70; the shaft runs to 42

    reach_shared_openings([terminal, vellus], SHAFT, PX_PER_MM, scalp(vellus_from=42))

    assert abs(vellus.ends[0].point[1] - 40) <= 2
    assert vellus.points[0][1] == vellus.ends[0].point[1]
    assert terminal.ends[0].point[1] == 40


def test_a_vellus_hair_that_really_ends_short_of_the_opening_keeps_its_exit() -> None:
    vellus = straight_hair(59, 70, 150, 4.0)

    reach_shared_openings(
        [straight_hair(50, 40, 190, SHAFT), vellus], SHAFT, PX_PER_MM, scalp(vellus_from=70)
    )

    assert vellus.ends[0].point[1] == 70


def test_a_vellus_hair_far_from_any_opening_keeps_its_exit() -> None:
    vellus = straight_hair(59, 120, 180, 4.0)

    reach_shared_openings(
        [straight_hair(50, 40, 190, SHAFT), vellus], SHAFT, PX_PER_MM, scalp(vellus_from=42)
    )

    assert vellus.ends[0].point[1] == 120
