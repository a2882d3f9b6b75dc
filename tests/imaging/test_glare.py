import cv2
import numpy as np

from mesotrack.imaging import Calibration, analyze
from mesotrack.imaging.preprocess import prepare
from mesotrack.imaging.synthetic import GroundTruth
from tests.imaging.scenes import PX_PER_MM, hair, scene


def _with_glare_spot(image: np.ndarray, centre: tuple[int, int], axes: tuple[int, int]) -> None:
    cv2.ellipse(image, centre, axes, 20, 0, 360, (255, 255, 255), -1)


def _exit_error_of_the_one_hair(image: np.ndarray, truth: GroundTruth) -> float:
    """How far (px) the exit of the only hair found lies from the true exit."""
    analysis = analyze(image, Calibration(PX_PER_MM))
    assert analysis.hair_count == 1
    found, true = analysis.hairs[0], truth.counted[0]
    return float(np.hypot(*np.subtract(found.exit_point, true.exit_point)))


def test_a_hair_broken_by_a_large_glare_spot_is_counted_once_at_its_exit() -> None:
    image, truth = scene(hair((0.4, 0.75), 0, length_mm=1.3))
    _with_glare_spot(image, (int(1.05 * PX_PER_MM), int(0.75 * PX_PER_MM)), (26, 18))

    assert _exit_error_of_the_one_hair(image, truth) < 0.05 * PX_PER_MM


def test_hairs_ending_at_one_glare_spot_from_different_directions_stay_two() -> None:
    image, truth = scene(
        hair((0.3, 0.6), 0, length_mm=0.65), hair((1.3, 1.0), -130, length_mm=0.45)
    )
    _with_glare_spot(image, (int(0.98 * PX_PER_MM), int(0.62 * PX_PER_MM)), (24, 24))

    assert analyze(image, Calibration(PX_PER_MM)).hair_count == truth.count == 2


def test_bright_pink_skin_whose_red_channel_saturates_is_not_glare() -> None:
    image = np.empty((200, 300, 3), dtype=np.uint8)
    image[:] = (255, 206, 182)
    cv2.line(image, (20, 100), (280, 90), (60, 40, 30), 12)
    _with_glare_spot(image, (150, 40), (10, 8))

    glare = prepare(image, PX_PER_MM).glare

    assert glare[40, 150]  # the white spot
    assert glare.mean() < 0.01  # and nothing else


def test_an_opening_under_a_glare_spot_is_placed_halfway_across_the_spot() -> None:
    # The spot (0.44 mm across) hides the opening and the first 0.2 mm of the hair; the hair
    # leaves the skin somewhere under it, and the middle is the best guess. At the spot's edge
    # the exit would be 0.11 mm off.
    image, truth = scene(hair((0.6, 0.75), 0, length_mm=1.0))
    _with_glare_spot(image, (int(0.6 * PX_PER_MM), int(0.75 * PX_PER_MM)), (44, 34))

    assert _exit_error_of_the_one_hair(image, truth) < 0.075 * PX_PER_MM
