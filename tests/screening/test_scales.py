"""Staging scales and examination scores (clinical_rules.md §4, §6)."""

import pytest

from mesotrack.screening.scales import (
    SALT_REGIONS,
    SCALES,
    asfs_total,
    pull_test_positive,
    salt_class,
    salt_score,
    scales_for_diagnosis,
)


def test_the_norwood_scale_has_its_twelve_types_in_order_with_drawings():
    norwood = SCALES["norwood"]
    assert [s.value for s in norwood.stages] == [
        "I", "II", "IIa", "III", "IIIa", "III vertex", "IV", "IVa", "V", "Va", "VI", "VII",
    ]  # fmt: skip
    assert norwood.stage("III vertex").drawing == "assessment/stages/norwood-III-vertex.svg"
    assert norwood.stage("IIa").drawing == "assessment/stages/norwood-IIa.svg"
    assert norwood.stage("IX") is None


def test_each_female_scale_has_its_stages():
    assert [s.value for s in SCALES["ludwig"].stages] == ["I", "II", "III"]
    assert [s.value for s in SCALES["sinclair"].stages] == ["1", "2", "3", "4", "5"]
    assert [s.value for s in SCALES["olsen"].stages] == ["1", "2", "3"]
    assert SCALES["sinclair"].stage("3").drawing == "assessment/stages/sinclair-3.svg"
    assert "[V]" in SCALES["sinclair"].source


def test_the_scale_follows_the_diagnosis():
    assert [s.code for s in scales_for_diagnosis("aga_male")] == ["norwood"]
    assert [s.code for s in scales_for_diagnosis("fphl")] == ["ludwig", "sinclair", "olsen"]
    assert [s.code for s in scales_for_diagnosis("alopecia_areata")] == ["salt"]
    assert scales_for_diagnosis("telogen_effluvium") == []


def test_salt_weights_the_four_regions():
    assert dict(SALT_REGIONS) == {"vertex": 0.40, "posterior": 0.24, "right": 0.18, "left": 0.18}
    assert salt_score({"vertex": 50, "posterior": 25, "left": 100}) == (44.0, "S2")
    assert salt_score({}) == (0.0, "S0")
    assert salt_score(dict.fromkeys(SALT_REGIONS, 100)) == (100.0, "S5")


@pytest.mark.parametrize(
    "total,expected",
    [(0, "S0"), (0.5, "S1"), (24.9, "S1"), (25, "S2"), (49.9, "S2"), (50, "S3"), (74.9, "S3"),
     (75, "S4"), (99.9, "S4"), (100, "S5")],
)  # fmt: skip
def test_salt_classes(total, expected):
    assert salt_class(total) == expected


def test_a_salt_stage_value_is_the_total():
    assert SCALES["salt"].stage("30").value == "S2"
    assert SCALES["salt"].stage("130") is None
    assert SCALES["salt"].stage("many") is None
    assert SCALES["salt"].stage("30").drawing == "assessment/stages/salt-regions.svg"


@pytest.mark.parametrize(
    "regions,message",
    [
        ({"crown": 10}, "Unknown SALT region(s): crown."),
        ({"vertex": 120}, "Loss in the vertex region must be a percentage from 0 to 100."),
        ({"left": float("nan")}, "Loss in the left region must be a percentage from 0 to 100."),
    ],
)
def test_salt_refuses_bad_input(regions, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        salt_score(regions)


@pytest.mark.parametrize(
    "held,out,positive",
    [(60, 6, True), (60, 5, False), (20, 3, True), (20, 2, False), (40, 0, False)],
)
def test_the_pull_test_is_positive_above_10_percent_or_from_6_hairs(held, out, positive):
    assert pull_test_positive(held, out) is positive


@pytest.mark.parametrize("held,out", [(0, 0), (10, 11), (10, -1)])
def test_the_pull_test_refuses_impossible_counts(held, out):
    with pytest.raises(
        ValueError, match="Hairs out must be between 0 and the number of hairs held."
    ):
        pull_test_positive(held, out)


def test_asfs_sums_eight_octants():
    assert asfs_total([10] * 8) == 80
    assert asfs_total([0, 1, 2, 3, 4, 5, 6, 7]) == 28
    with pytest.raises(ValueError, match="Score all 8 octants."):
        asfs_total([1] * 7)
    with pytest.raises(ValueError, match="Each octant scores from 0 to 10."):
        asfs_total([11, 0, 0, 0, 0, 0, 0, 0])
