import json

import numpy as np

from mesotrack.imaging import Circle
from mesotrack.imaging.synthetic import FieldSpec, make_image, make_pair, read_truth, write_sample

SMALL = FieldSpec(width=320, height=240, px_per_mm=200, density_per_cm2=200)


def test_the_same_seed_gives_the_same_pixels_and_truth() -> None:
    first_image, first_truth = make_image(SMALL, seed=5)
    second_image, second_truth = make_image(SMALL, seed=5)

    assert np.array_equal(first_image, second_image)
    assert first_truth == second_truth
    assert not np.array_equal(first_image, make_image(SMALL, seed=6)[0])


def test_truth_counts_only_hairs_leaving_the_skin_inside_the_region() -> None:
    region = Circle(160, 120, 80)
    _, truth = make_image(SMALL, seed=3, region=region)

    inside = [
        hair
        for hair in truth.hairs
        if (hair.exit_point[0] - 160) ** 2 + (hair.exit_point[1] - 120) ** 2 <= 80**2
    ]
    assert truth.count == len(inside) == len(truth.counted)
    assert abs(truth.area_mm2 - np.pi * 80**2 / 200**2) < 0.01
    assert truth.density_per_cm2 == truth.count / (truth.area_mm2 / 100)


def test_generated_hairs_span_vellus_and_terminal_widths() -> None:
    _, truth = make_image(FieldSpec(width=640, height=480, vellus_fraction=0.3), seed=2)

    vellus = [hair.diameter_um for hair in truth.hairs if hair.is_vellus]
    terminal = [hair.diameter_um for hair in truth.hairs if not hair.is_vellus]
    assert vellus and terminal
    assert all(10 <= diameter <= 30 for diameter in vellus)
    assert all(50 <= diameter <= 100 for diameter in terminal)
    units = [hair.unit_id for hair in truth.hairs]
    assert max(units.count(unit) for unit in units) >= 2


def test_two_captures_show_the_same_hairs_moved_and_relit() -> None:
    (first, first_truth), (second, second_truth) = make_pair(SMALL, seed=4)

    assert not np.array_equal(first, second)
    shared = {hair.id for hair in first_truth.hairs} & {hair.id for hair in second_truth.hairs}
    assert shared
    hair_id = min(shared)
    before = next(hair for hair in first_truth.hairs if hair.id == hair_id).exit_point
    after = next(hair for hair in second_truth.hairs if hair.id == hair_id).exit_point
    shift = np.hypot(after[0] - before[0], after[1] - before[1])
    assert 0 < shift <= 0.1 * 200 * np.sqrt(2) + 0.01


def test_a_sample_is_written_as_png_and_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    image, truth = make_image(SMALL, seed=1)

    path = write_sample(tmp_path, "field", image, truth)

    assert path.name == "field.png"
    assert json.loads((tmp_path / "field.json").read_text())["count"] == truth.count
    assert read_truth(tmp_path / "field.json") == truth
