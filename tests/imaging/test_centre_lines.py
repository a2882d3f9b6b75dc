"""Centre lines: a fine vellus shaft beside a thick one, and the thick one's own edges."""

import cv2
import numpy as np

from mesotrack.imaging.segment import centre_lines, hair_mask

PX_PER_MM = 200.0
TYPICAL_SHAFT_PX = 15.0


def darkness(vellus_row: int | None) -> np.ndarray:
    """A thick shaft (rows 92–101) and, if asked, a faint vellus one three rows wide."""
    values = np.zeros((200, 300), np.float32)
    values[92:102, 20:280] = 0.6
    if vellus_row is not None:
        values[vellus_row - 1 : vellus_row + 2, 60:240] = 0.35
    noise = np.random.default_rng(0).normal(0.0, 0.01, values.shape).astype(np.float32)
    return np.clip(cv2.GaussianBlur(values, (0, 0), 0.8) + noise, 0.0, 1.0)


def rows_crossed_at_column(lines: np.ndarray, column: int) -> list[int]:
    return [int(row) for row in np.nonzero(lines[:, column])[0]]


def test_a_vellus_shaft_parted_from_a_thick_one_by_a_lighter_seam_gets_a_centre_line() -> None:
    # Its centre is 8.5 px from the thick shaft's, inside the zone where the fine filter's
    # answers are usually the thick shaft's own edges; the seam shows it is a hair of its own.
    scalp = darkness(vellus_row=105)

    lines = centre_lines(scalp, hair_mask(scalp, PX_PER_MM), TYPICAL_SHAFT_PX, PX_PER_MM)

    crossed = rows_crossed_at_column(lines, 150)
    assert len(crossed) == 2
    assert abs(crossed[1] - 105) <= 1


def test_a_thick_shaft_alone_has_one_centre_line_not_one_per_edge() -> None:
    scalp = darkness(vellus_row=None)

    lines = centre_lines(scalp, hair_mask(scalp, PX_PER_MM), TYPICAL_SHAFT_PX, PX_PER_MM)

    assert rows_crossed_at_column(lines, 150) == [97]
