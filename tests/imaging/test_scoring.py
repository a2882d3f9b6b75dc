from dataclasses import replace

from mesotrack.imaging import Calibration, analyze
from mesotrack.imaging.synthetic.scoring import matched_pairs, score
from tests.imaging.scenes import PX_PER_MM, hair, scene


def test_each_true_hair_is_paired_once_and_only_within_a_tenth_of_a_millimetre() -> None:
    image, truth = scene(hair((0.5, 0.5), 0), hair((1.5, 1.0), 180))
    analysis = analyze(image, Calibration(PX_PER_MM))
    first, second = truth.counted
    (x1, y1), (x2, y2) = first.exit_point, second.exit_point
    template = analysis.hairs[0]
    near = replace(template, exit_point=(x1 + 0.05 * PX_PER_MM, y1))
    also_near = replace(template, exit_point=(x1, y1 + 0.06 * PX_PER_MM))
    too_far = replace(template, exit_point=(x2 + 0.15 * PX_PER_MM, y2))
    found = replace(analysis, hairs=(also_near, too_far, near))

    pairs = matched_pairs(found, truth)

    assert [(hair_found.exit_point, true_hair.id) for hair_found, true_hair in pairs] == [
        (near.exit_point, first.id)
    ]
    assert score(found, truth).matched == 1
