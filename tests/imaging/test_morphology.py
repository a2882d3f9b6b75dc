import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from mesotrack.imaging.morphology import fill_holes

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
