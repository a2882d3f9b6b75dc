import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage
from skimage.morphology import skeletonize

from mesotrack.imaging.morphology import fill_holes, label_shapes, skeletonize_shapes

masks = arrays(
    dtype=bool,
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    elements=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(masks)
def test_fill_holes_matches_scipy_on_any_mask(mask: np.ndarray) -> None:
    assert np.array_equal(fill_holes(mask), ndimage.binary_fill_holes(mask))


def test_a_glint_inside_a_shaft_is_filled_but_a_gap_open_to_the_border_is_not() -> None:
    shaft = np.zeros((9, 20), dtype=bool)
    shaft[2:7, 2:18] = True
    shaft[4, 8:11] = False  # light reflection inside the shaft
    shaft[4, 15:] = False  # notch running out to the image border

    filled = fill_holes(shaft)

    assert filled[4, 8:11].all()
    assert not filled[4, 15:18].any()


@settings(max_examples=200, deadline=None)
@given(masks)
def test_shapes_are_the_ones_scipy_finds_with_their_boxes_and_areas(mask: np.ndarray) -> None:
    count, labels, stats = label_shapes(mask)

    expected, expected_count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    assert count == expected_count + 1
    boxes = ndimage.find_objects(expected)
    for label in range(1, count):
        shape = labels == label
        (same,) = np.unique(expected[shape])  # numbering may differ, the shapes may not
        assert np.array_equal(shape, expected == same)
        x, y, width, height, area = stats[label]
        assert (slice(y, y + height), slice(x, x + width)) == boxes[same - 1]
        assert area == shape.sum()


@settings(max_examples=200, deadline=None)
@given(masks, st.integers(0, 3))
def test_skeleton_shape_by_shape_matches_skimage_on_any_mask(
    mask: np.ndarray, thickening: int
) -> None:
    # Thickened noise gives blobs and bars of several widths, touching each other and the
    # border: the cases where thinning one shape at a time could differ from the whole frame.
    if thickening:
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=thickening)
        mask = mask.astype(bool)
    assert np.array_equal(skeletonize_shapes(mask), skeletonize(mask))


def test_crossing_shafts_and_a_lone_shaft_thin_to_the_same_lines_as_the_whole_frame() -> None:
    frame = np.zeros((120, 160), dtype=np.uint8)
    cv2.line(frame, (5, 10), (150, 110), 1, 9)
    cv2.line(frame, (10, 100), (140, 5), 1, 7)
    cv2.line(frame, (0, 60), (40, 119), 1, 11)  # runs off two borders

    skeleton = skeletonize_shapes(frame.astype(bool))

    assert np.array_equal(skeleton, skeletonize(frame.astype(bool)))
    assert 0 < skeleton.sum() < 0.1 * frame.sum()
