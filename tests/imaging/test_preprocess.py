import cv2
import numpy as np

from mesotrack.imaging.preprocess import GLARE_LEVEL, GLARE_RADIUS_PX, _fill_glare


def test_glare_spots_are_painted_exactly_as_whole_frame_inpainting_would() -> None:
    rng = np.random.default_rng(3)
    image = rng.integers(90, 200, size=(120, 160, 3), dtype=np.uint8)
    cv2.line(image, (0, 60), (159, 40), (40, 30, 25), 6)  # a shaft running under the spots
    for centre, radius in (((30, 50), 6), ((40, 56), 4), ((2, 2), 3), ((150, 110), 8)):
        cv2.circle(image, centre, radius, (255, 255, 255), -1)
    glare = np.all(image >= GLARE_LEVEL, axis=2)
    mask = cv2.dilate(glare.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=2)

    whole_frame = cv2.inpaint(image, mask, GLARE_RADIUS_PX, cv2.INPAINT_TELEA)

    assert np.array_equal(_fill_glare(image, glare), whole_frame)
    assert _fill_glare(image, glare)[50, 30].max() < 250  # the spot is gone
