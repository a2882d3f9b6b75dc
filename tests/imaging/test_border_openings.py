from dataclasses import replace

import numpy as np
import pytest

from mesotrack.imaging import Calibration, analyze
from mesotrack.imaging.synthetic.scoring import matched_pairs
from tests.imaging.scenes import PX_PER_MM, SPEC, hair, scene

WIDE = replace(SPEC, width=800, height=600)
CALIBRATION = Calibration(PX_PER_MM)
# Hairs seen whole, which show this image's shadow at an opening and at a cut tip.
WHOLE = [hair((x, y), 0, length_mm=0.6) for x in (0.4, 2.4) for y in (1.2, 1.7, 2.2, 2.7)]


def test_the_hairs_of_a_unit_whose_openings_lie_at_the_border_are_counted() -> None:
    # Two hairs leave the skin 0.03 mm inside the top border and run out of the picture.
    unit = [hair((x, 0.03), -90, unit=1, length_mm=0.6) for x in (1.9, 2.0)]
    image, truth = scene(*WHOLE, *unit, spec=WIDE)

    analysis = analyze(image, CALIBRATION)

    assert analysis.hair_count == truth.count == 10
    found_ids = {true_hair.id for _, true_hair in matched_pairs(analysis, truth)}
    assert {8, 9} <= found_ids


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_openings_at_every_side_of_the_picture_are_counted(quarter_turns: int) -> None:
    unit = [hair((x, 0.03), -90, unit=1, length_mm=0.6) for x in (1.9, 2.0)]
    image, truth = scene(*WHOLE, *unit, spec=WIDE)

    analysis = analyze(np.ascontiguousarray(np.rot90(image, quarter_turns)), CALIBRATION)

    assert analysis.hair_count == truth.count == 10


def test_a_cut_tip_at_the_border_is_not_an_opening() -> None:
    # The hair leaves the skin outside the picture; only its tip shows, 0.03 mm deep.
    tip = hair((1.9, -0.57), 90, length_mm=0.6)
    image, truth = scene(*WHOLE, tip, spec=WIDE)

    analysis = analyze(image, CALIBRATION)

    assert truth.count == 8
    assert analysis.hair_count == 8
