"""Screen a counting rule on the real set in seconds, before writing it into the analyser.

Every candidate rule so far either drops counted hairs or adds some, judged by what the
counted hair looks like (length, shaft width, whether it touches the border). With each
counted hair matched to a box (trichoscopy_boxes.py), two tables show how often hairs of
each kind are extra, and how many boxes each kind hides beside it. The third table applies
rules to the counts directly: a hair a rule drops is taken off its image's count, a hair it
parts into two adds one. A rule written into the analyser gives nearly the same MAE (two
were checked on `train`, within 0.01), but then also has to hold on the synthetic set.

Used by `trichoscopy_real.py --rules`.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from itertools import pairwise

from trichoscopy_boxes import HairRow, Tally, print_error_table

LENGTH_BANDS_MM = (0.0, 0.1, 0.2, 0.3, 0.5, 99.0)
WIDTH_SHARE_BANDS = (0.0, 0.6, 0.8, 1.2, 99.0)
DIAMETER_BANDS_UM = (0.0, 70.0, 90.0, 110.0, 130.0, 999.0)
PAIR_LENGTH_BANDS_MM = (0.0, 0.3, 0.5, 0.8, 99.0)
FIELD_NAMES = {"length_mm": "length", "width_share": "width", "diameter_um": "shaft width"}

# The rules screened: a hair they drop (-1) or part into two (+1).
THIN_SHARE, THIN_MM = 0.8, 0.15
PAIR_UM, PAIR_MM = 110.0, 0.4
STUB_WIDTHS = 4.0
Rule = Callable[[HairRow], int]


def thin_and_short(row: HairRow) -> int:
    thin = row.width_share < THIN_SHARE and row.length_mm < THIN_MM
    return -int(thin and not row.touches_border)


def wide_as_two(row: HairRow) -> int:
    wide = row.diameter_um >= PAIR_UM and row.length_mm >= PAIR_MM
    return int(wide and not row.touches_border)


def border_stub(row: HairRow) -> int:
    widths = row.length_mm * 1000.0 / max(row.diameter_um, 1.0)
    return -int(row.touches_border and widths < STUB_WIDTHS)


RULES: tuple[tuple[str, Sequence[Rule]], ...] = (
    ("as it is", ()),
    (
        f"a trace under {THIN_SHARE} of the median width and {THIN_MM} mm long dropped",
        (thin_and_short,),
    ),
    (
        f"a shaft at least {PAIR_UM:.0f} µm wide and {PAIR_MM} mm long counted as two",
        (wide_as_two,),
    ),
    (f"a hair at the border under {STUB_WIDTHS:.0f} shaft widths long dropped", (border_stub,)),
    ("all three", (thin_and_short, wide_as_two, border_stub)),
)


def print_rule_tables(tallies: list[Tally]) -> None:
    rows = [row for item in tallies for row in item.rows]
    inside = [row for row in rows if not row.touches_border]
    print("\nHairs clear of the border that match no box: extra / counted, by length and width")
    print("(width as a share of the image's median)\n")
    _grid(
        inside,
        ("length_mm", LENGTH_BANDS_MM, "mm"),
        ("width_share", WIDTH_SHARE_BANDS, "×"),
        lambda cell: f"{sum(not row.matched for row in cell)} / {len(cell)}",
    )
    print("\nBoxes missed beside a matched hair, per matched hair, by shaft width and length\n")
    _grid(
        [row for row in inside if row.matched],
        ("diameter_um", DIAMETER_BANDS_UM, "µm"),
        ("length_mm", PAIR_LENGTH_BANDS_MM, "mm"),
        lambda cell: f"{statistics.fmean(row.beside for row in cell):.2f} (n {len(cell)})",
    )
    print_rule_what_if(tallies)


def print_rule_what_if(tallies: list[Tally]) -> None:
    """MAE (bias) per capture year with each rule applied to the counted hairs."""
    rows = [(label, lambda item, rules=rules: rule_error(item, rules)) for label, rules in RULES]
    print_error_table("Rule (applied to the counts)", rows, tallies)


def rule_error(item: Tally, rules: Sequence[Rule]) -> int:
    """The image's count error had the rules been part of the analyser."""
    return item.error + sum(rule(row) for row in item.rows for rule in rules)


def _grid(
    rows: list[HairRow],
    down: tuple[str, tuple[float, ...], str],
    across: tuple[str, tuple[float, ...], str],
    cell_text: Callable[[list[HairRow]], str],
) -> None:
    down_field, down_bands, down_unit = down
    field, bands, unit = across
    heads = _bands(bands, unit)
    print(f"| {FIELD_NAMES[down_field]} \\ {FIELD_NAMES[field]} | {' | '.join(heads)} |")
    print(f"|---|{'---|' * len(heads)}")
    for label, low, high in zip(
        _bands(down_bands, down_unit), down_bands[:-1], down_bands[1:], strict=True
    ):
        band = [row for row in rows if low <= getattr(row, down_field) < high]
        cells = []
        for across_low, across_high in pairwise(bands):
            cell = [row for row in band if across_low <= getattr(row, field) < across_high]
            cells.append(cell_text(cell) if cell else "–")
        print(f"| {label} | {' | '.join(cells)} |")


def _bands(edges: tuple[float, ...], unit: str) -> list[str]:
    """Labels of the bands between edges: the first and last are open-ended."""
    inner = [f"{low:g}–{high:g} {unit}" for low, high in pairwise(edges[1:-1])]
    return [f"< {edges[1]:g} {unit}", *inner, f"≥ {edges[-2]:g} {unit}"]
