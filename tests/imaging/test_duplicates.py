"""One shaft, one hair: extra centre lines inside other hairs' shafts are dropped."""

import itertools
from dataclasses import replace

import numpy as np

from mesotrack.imaging.duplicates import drop_twins
from mesotrack.imaging.ends import HairEnd, TracedHair

WIDTH = 12.0


def line(row: float, start: float = 20.0, stop: float = 180.0, edge: int = 0) -> TracedHair:
    cols = np.arange(start, stop)
    points = np.column_stack([np.full(len(cols), row), cols])
    end = HairEnd(point=points[0], outward=np.array([0.0, -1.0]), shared=False, cut=False)
    tip = HairEnd(point=points[-1], outward=np.array([0.0, 1.0]), shared=False, cut=False)
    return TracedHair(
        points=points, ends=(end, tip), width_px=WIDTH, peak=0.7, edges=frozenset({edge})
    )


def shafts(*rows: int, seams: bool) -> np.ndarray:
    """Dark horizontal shafts WIDTH wide; with `seams`, a lighter line where two meet."""
    darkness = np.zeros((120, 200))
    for row in rows:
        darkness[int(row - WIDTH / 2) : int(row + WIDTH / 2), 10:190] = 0.7
    if seams:
        for upper, lower in itertools.pairwise(rows):
            darkness[(upper + lower) // 2, 10:190] = 0.4
    return darkness


def test_a_piece_hopping_across_two_touching_hairs_is_dropped() -> None:
    # Neither hair alone covers it, and it runs at a slant to both; together they do.
    first, second = line(50, edge=1), line(62, edge=2)
    steps = np.linspace(0.0, 1.0, 24)
    hop = replace(
        first, points=np.column_stack([50 + 12 * steps, 80 + 20 * steps]), edges=frozenset({3})
    )

    kept = drop_twins([first, hop, second], shafts(50, 62, seams=False), WIDTH)

    assert kept == [first, second]


def test_a_second_ridge_along_one_wide_shaft_is_dropped() -> None:
    shaft, ridge = line(50, edge=1), line(53, start=30, stop=170, edge=2)

    assert drop_twins([ridge, shaft], shafts(50, seams=False), WIDTH) == [shaft]


def test_two_hairs_touching_with_a_seam_between_them_both_stay() -> None:
    first, second = line(50, edge=1), line(58, start=30, stop=170, edge=2)

    assert drop_twins([first, second], shafts(50, 58, seams=True), WIDTH) == [first, second]


def test_lines_split_from_one_stretch_of_centre_line_keep_each_other() -> None:
    shared = line(50, edge=1)
    branch = line(52, start=30, stop=170, edge=1)

    assert drop_twins([shared, branch], shafts(50, seams=False), WIDTH) == [shared, branch]


def test_one_hair_traced_twice_from_one_exit_along_a_shared_line_is_counted_once() -> None:
    # A fork in the centre line let two routes leave the same opening along the same shaft.
    hair, retraced = line(50, edge=1), line(51, stop=150, edge=1)

    assert drop_twins([retraced, hair], shafts(50, seams=False), WIDTH) == [hair]


def test_side_by_side_hairs_leaving_one_opening_both_stay_when_a_seam_shows() -> None:
    first, second = line(50, edge=1), line(55, stop=150, edge=1)

    assert drop_twins([first, second], shafts(50, 55, seams=True), WIDTH) == [first, second]


def test_a_short_crossing_hair_is_not_covered_by_the_one_it_crosses() -> None:
    long = line(50, edge=1)
    rows = np.arange(10.0, 110.0)
    crossing = TracedHair(
        points=np.column_stack([rows, np.full(len(rows), 100.0)]),
        ends=long.ends,
        width_px=WIDTH,
        peak=0.7,
        edges=frozenset({2}),
    )
    darkness = shafts(50, seams=False)
    darkness[10:110, 94:106] = 0.7

    assert drop_twins([long, crossing], darkness, WIDTH) == [long, crossing]
