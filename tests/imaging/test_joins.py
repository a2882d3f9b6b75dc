from dataclasses import replace

from mesotrack.imaging import Calibration, analyze
from mesotrack.imaging.synthetic.scoring import matched_pairs
from tests.imaging.scenes import PX_PER_MM, SPEC, hair, scene

WIDE = replace(SPEC, width=800, height=600)
CALIBRATION = Calibration(PX_PER_MM)
# Ten clipped hairs of one length, side by side in two columns.
CLIPPED = [hair((x, y), 0, length_mm=0.6) for x in (0.3, 2.3) for y in (0.3, 0.7, 1.1, 1.5, 1.9)]


def test_a_hair_whose_opening_lies_under_the_tip_of_another_is_counted_apart() -> None:
    first = hair((0.3, 2.5), 0, length_mm=0.6)
    second = hair((0.9, 2.5), 0, length_mm=0.6)  # leaves the skin where the first one ends
    image, truth = scene(*CLIPPED, first, second, spec=WIDE)

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == truth.count == 12
    found_ids = {true_hair.id for _, true_hair in matched_pairs(analysis, truth)}
    assert {10, 11} <= found_ids


def test_hairs_of_one_clipped_length_are_not_cut() -> None:
    image, truth = scene(*CLIPPED, hair((0.3, 2.5), 0, length_mm=0.6), spec=WIDE)

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == truth.count == 11
    assert len(matched_pairs(analysis, truth)) == 11
