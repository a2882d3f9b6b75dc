"""Lab flags at each threshold of the lab_thresholds table (clinical_rules.md §5)."""

import dataclasses

import pytest

from mesotrack.screening import tables
from mesotrack.screening.labs import LabThresholds, default_lab_thresholds, lab_flags
from mesotrack.screening.profile import LabReading


def flagged(lab: str, value: float, unit: str, sex: str = "female", **overrides: float) -> list:
    thresholds = default_lab_thresholds().with_overrides(overrides)
    return [f.code for f in lab_flags({lab: LabReading(value, unit)}, sex, thresholds)]


@pytest.mark.parametrize(
    "lab,value,unit,sex,expected",
    [
        ("ferritin", 15, "µg/L", "female", "ferritin_deficient"),  # at or below 15
        ("ferritin", 15.1, "µg/L", "female", "ferritin_low"),
        ("ferritin", 29.9, "µg/L", "male", "ferritin_low"),
        ("ferritin", 30, "µg/L", "male", None),
        ("vitamin_d_25oh", 19.9, "ng/mL", "female", "vitamin_d_deficient"),
        ("vitamin_d_25oh", 20, "ng/mL", "female", "vitamin_d_insufficient"),
        ("vitamin_d_25oh", 29.9, "ng/mL", "female", "vitamin_d_insufficient"),
        ("vitamin_d_25oh", 30, "ng/mL", "female", None),
        ("vitamin_d_25oh", 49.9, "nmol/L", "male", "vitamin_d_deficient"),  # 19.99 ng/mL
        ("vitamin_d_25oh", 50, "nmol/L", "male", "vitamin_d_insufficient"),  # 20.03 ng/mL
        ("zinc", 69.9, "µg/dL", "female", "zinc_low"),
        ("zinc", 70, "µg/dL", "female", None),
        ("zinc", 73.9, "µg/dL", "male", "zinc_low"),
        ("zinc", 74, "µg/dL", "male", None),
        ("zinc", 10.7, "µmol/L", "female", "zinc_low"),  # 69.9 µg/dL
        ("zinc", 10.71, "umol/L", "female", None),  # 70 µg/dL
        ("b12", 199.9, "pg/mL", "male", "b12_deficient"),
        ("b12", 200, "pg/mL", "male", "b12_borderline"),
        ("b12", 147.6, "pmol/L", "male", "b12_borderline"),  # 200 pg/mL
        ("b12", 299.9, "pg/mL", "male", "b12_borderline"),
        ("b12", 300, "pg/mL", "male", None),
        ("tsh", 0.449, "mIU/L", "female", "tsh_low"),
        ("tsh", 0.45, "mIU/L", "female", None),
        ("tsh", 4.5, "mIU/L", "female", None),
        ("tsh", 4.51, "µIU/mL", "female", "tsh_high"),
        ("haemoglobin", 11.9, "g/dL", "female", "haemoglobin_low"),
        ("haemoglobin", 12, "g/dL", "female", None),
        ("haemoglobin", 12.9, "g/dL", "male", "haemoglobin_low"),
        ("haemoglobin", 130, "g/L", "male", None),
    ],
)
def test_it_flags_each_band_at_its_threshold(lab, value, unit, sex, expected):
    assert flagged(lab, value, unit, sex) == ([expected] if expected else [])


@pytest.mark.parametrize(
    "lab,value,expected", [("zinc", 72, "zinc_low"), ("haemoglobin", 12.5, "haemoglobin_low")]
)
def test_without_a_female_or_male_sex_it_uses_the_more_cautious_threshold(lab, value, expected):
    unit = tables.lab_test(lab).canonical_unit
    assert flagged(lab, value, unit, "unknown") == [expected]
    assert flagged(lab, value, unit, "female") == []


def test_a_clinic_may_raise_the_ferritin_threshold_within_the_sourced_range():
    assert flagged("ferritin", 45, "µg/L") == []
    assert flagged("ferritin", 45, "µg/L", ferritin_low=60) == ["ferritin_low"]


def test_it_refuses_a_threshold_outside_its_range_or_an_unknown_one():
    with pytest.raises(
        ValueError, match="Ferritin: low for hair below — choose a value from 15 to 70 µg/L."
    ):
        default_lab_thresholds().with_overrides({"ferritin_low": 90})
    with pytest.raises(ValueError, match="“ferritin_high” is not a lab threshold."):
        default_lab_thresholds().with_overrides({"ferritin_high": 90})


def test_the_defaults_are_the_rule_table_values():
    assert default_lab_thresholds() == LabThresholds()
    fields = {f.name for f in dataclasses.fields(LabThresholds)}
    assert fields == set(tables.lab_thresholds())


def test_a_value_is_never_rounded_across_its_threshold():
    flags = lab_flags({"ferritin": LabReading(29.96, "µg/L")}, "female")
    assert flags[0].message.startswith("Ferritin 29.96 µg/L is below 30 µg/L")


def test_lab_flags_inform_and_never_block():
    severities = {
        f.severity
        for f in lab_flags(
            {
                "ferritin": LabReading(3, "µg/L"),
                "vitamin_d_25oh": LabReading(3, "ng/mL"),
                "zinc": LabReading(20, "µg/dL"),
                "b12": LabReading(50, "pg/mL"),
                "tsh": LabReading(50, "mIU/L"),
                "haemoglobin": LabReading(5, "g/dL"),
            },
            "female",
        )
    }
    assert severities == {"warn"}


@pytest.mark.parametrize(
    "lab,reading,reason",
    [
        ("ferritin", LabReading(float("nan"), "µg/L"), "the value is not a number of zero or more"),
        ("ferritin", LabReading(-1, "µg/L"), "the value is not a number of zero or more"),
        ("cortisol", LabReading(10, "nmol/L"), "it is not a test the screening reads"),
    ],
)
def test_it_reports_what_it_cannot_read(lab, reading, reason):
    [flag] = lab_flags({lab: reading}, "male")
    assert (flag.code, flag.severity) == ("lab_not_interpreted", "info")
    assert flag.message.endswith(f"{reason}.")
