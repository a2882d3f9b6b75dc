"""The real-image benchmark's hair-by-hair matching (bench/trichoscopy_boxes.py)."""

from __future__ import annotations

import importlib.util
import math
import sys
from itertools import pairwise
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "trichoscopy_boxes.py"
_spec = importlib.util.spec_from_file_location("trichoscopy_boxes", BENCH)
assert _spec and _spec.loader
boxes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(boxes)
# The rules screen imports the matching module by name, as the benchmark does from bench/.
sys.modules.setdefault("trichoscopy_boxes", boxes)
_rules_spec = importlib.util.spec_from_file_location(
    "trichoscopy_rules", BENCH.with_name("trichoscopy_rules.py")
)
assert _rules_spec and _rules_spec.loader
rules = importlib.util.module_from_spec(_rules_spec)
_rules_spec.loader.exec_module(rules)

ANNOTATION = """<annotation><size><width>1280</width><height>1024</height></size>
<object><class>premium</class><bndbox>
<xmin>400</xmin><ymin>330</ymin><xmax>300</xmax><ymax>200</ymax></bndbox></object>
<object><class>single</class><bndbox>
<xmin>700</xmin><ymin>500</ymin><xmax>900</xmax><ymax>512</ymax></bndbox></object>
</annotation>"""


def _hair(  # type: ignore[no-untyped-def]
    path: tuple[tuple[float, float], ...], touches_border: bool = False, diameter_um: float = 80.0
):
    length_px = sum(math.dist(a, b) for a, b in pairwise(path))
    return boxes.FoundHair(boxes.path_box(path), touches_border, length_px / 360.0, diameter_um)


def test_boxes_are_read_with_their_corners_in_order(tmp_path: Path) -> None:
    (tmp_path / "Annotations").mkdir()
    (tmp_path / "Annotations" / "230219_A001_1.xml").write_text(ANNOTATION)

    found = boxes.dataset_boxes(tmp_path, "230219_A001_1")

    # The dataset sometimes gives a box's corners the wrong way round.
    assert found == [
        boxes.Boxed("premium", (300.0, 200.0, 400.0, 330.0)),
        boxes.Boxed("single", (700.0, 500.0, 900.0, 512.0)),
    ]


def test_a_hair_lying_along_a_thin_box_matches_it() -> None:
    # A nearly level hair: its box is a few pixels high, and the traced centre line runs
    # just outside it, so the two boxes only overlap once both are grown.
    thin_box = (700.0, 500.0, 900.0, 504.0)
    traced = _hair(((705.0, 509.0), (800.0, 510.0), (895.0, 511.0)))

    result = boxes.tally("230219_A001_1", [boxes.Boxed("single", thin_box)], [traced], 1)

    assert result.found == {"single": 1}
    assert result.extra_inside == result.extra_at_border == 0


def test_a_unit_traced_as_one_hair_finds_one_box_and_misses_the_other_beside_it() -> None:
    unit = [
        boxes.Boxed("premium", (300.0, 200.0, 400.0, 330.0)),
        boxes.Boxed("premium", (310.0, 210.0, 395.0, 340.0)),
    ]
    one_line = _hair(((302.0, 202.0), (350.0, 265.0), (398.0, 328.0)))

    result = boxes.tally("220106_A001_1", unit, [one_line], 1)

    assert result.year == "2022"
    assert result.boxes == {"premium": 2}
    assert result.found == {"premium": 1}
    assert result.missed_beside == {"premium": 1}
    assert result.error == -1


def test_hairs_matching_no_box_are_told_apart_by_the_border_and_by_length() -> None:
    short_inside = _hair(((600.0, 600.0), (650.0, 660.0)))  # 0.22 mm
    long_inside = _hair(((200.0, 600.0), (300.0, 700.0)))  # 0.39 mm
    at_edge = _hair(((2.0, 100.0), (60.0, 150.0)), touches_border=True)
    far_box = boxes.Boxed("single", (1000.0, 100.0, 1100.0, 200.0))

    result = boxes.tally("230219_A001_1", [far_box], [short_inside, long_inside, at_edge], 3)

    assert result.found == {}
    assert result.missed_beside == {}
    assert (result.extra_inside, result.extra_at_border, result.extra_short) == (2, 1, 1)
    assert result.missed_fine_alone == 0


def test_a_fine_hair_with_nothing_near_it_is_a_miss_of_its_own_kind() -> None:
    fine = boxes.Boxed("undersize", (1000.0, 100.0, 1100.0, 200.0))
    near_one = boxes.Boxed("abnormal", (200.0, 600.0, 300.0, 700.0))
    beside = _hair(((205.0, 640.0), (260.0, 700.0)))

    result = boxes.tally("230219_A001_1", [fine, near_one], [beside], 1)

    assert result.missed_fine_alone == 1
    assert result.error == -1


def test_each_counted_hair_keeps_its_match_and_the_boxes_it_hides() -> None:
    unit = [
        boxes.Boxed("premium", (300.0, 200.0, 400.0, 330.0)),
        boxes.Boxed("premium", (310.0, 210.0, 395.0, 340.0)),
    ]
    wide = _hair(((302.0, 202.0), (350.0, 265.0), (398.0, 328.0)), diameter_um=120.0)
    stray = _hair(((900.0, 800.0), (960.0, 850.0)), diameter_um=40.0)

    result = boxes.tally("220106_A001_1", unit, [wide, stray], 2)

    assert [(row.matched, row.beside) for row in result.rows] == [(True, 1), (False, 0)]
    # Widths are judged against the image's own median hair.
    assert [row.width_share for row in result.rows] == [1.5, 0.5]


def test_screened_rules_change_an_image_count_as_the_analyser_would() -> None:
    box = boxes.Boxed("single", (1000.0, 100.0, 1100.0, 200.0))
    speck = _hair(((600.0, 600.0), (630.0, 620.0)), diameter_um=20.0)  # 0.10 mm, thin
    pair = _hair(((200.0, 300.0), (330.0, 430.0)), diameter_um=130.0)  # 0.51 mm, wide
    stub = _hair(((2.0, 100.0), (40.0, 120.0)), touches_border=True)  # 0.12 mm: 1.5 widths
    wide_at_border = _hair(((2.0, 500.0), (182.0, 560.0)), touches_border=True, diameter_um=130.0)
    hairs = [speck, pair, stub, wide_at_border]

    result = boxes.tally("230219_A001_1", [box], hairs, len(hairs))

    assert result.error == 3
    assert rules.rule_error(result, [rules.thin_and_short]) == 2
    # The wide shaft at the border is not split: only whole hairs are judged by width.
    assert rules.rule_error(result, [rules.wide_as_two]) == 4
    assert rules.rule_error(result, [rules.border_stub]) == 2
    assert (
        rules.rule_error(result, [rules.thin_and_short, rules.wide_as_two, rules.border_stub]) == 2
    )


def test_the_rule_table_prints_one_row_per_rule_with_each_year(capsys) -> None:  # type: ignore[no-untyped-def]
    box = boxes.Boxed("single", (1000.0, 100.0, 1100.0, 200.0))
    found = _hair(((1005.0, 105.0), (1095.0, 195.0)))
    speck = _hair(((600.0, 600.0), (630.0, 620.0)), diameter_um=20.0)
    tallies = [
        boxes.tally("220106_A001_1", [box], [found, speck], 2),
        boxes.tally("230219_A001_1", [box], [found], 1),
    ]

    rules.print_rule_what_if(tallies)

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "| Rule (applied to the counts) | 2022 | 2023 | all |"
    assert lines[2] == "| as it is | 1.00 (+1.00) | 0.00 (+0.00) | 0.50 (+0.50) |"
    assert lines[3].endswith("| 0.00 (+0.00) | 0.00 (+0.00) | 0.00 (+0.00) |")
    assert len(lines) == 2 + len(rules.RULES)
