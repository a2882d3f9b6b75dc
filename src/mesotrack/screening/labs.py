"""Lab flags: results compared with the thresholds of clinical_rules.md §5.

Defaults come from the lab_thresholds rule table (each row cites its source and the range a clinic
may set it to); a clinic's own values are applied with `LabThresholds.with_overrides`. Readings
are converted to the canonical unit of the lab_tests table before comparing, so 45 nmol/L of
vitamin D is read as 18 ng/mL. Lab flags warn or inform; they never block (clinical_rules.md §8:
"flag, not diagnose"). The platelet count is the exception: it is checked by the screening rule
low_platelets (mesotrack.screening.checks) with the threshold `platelets_low` kept here.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mesotrack.rules.schemas import LabTestRow, LabThresholdRow, ScreeningRuleRow
from mesotrack.screening import tables
from mesotrack.screening.flags import Flag, flag_from_rule, in_sentence, number
from mesotrack.screening.profile import LabReading

# The checks of the screening_rules table this module evaluates.
LAB_CHECKS = frozenset({"lab", "lab_not_interpreted"})


@dataclass(frozen=True)
class LabThresholds:
    """Thresholds in each lab's canonical unit. Defaults = the lab_thresholds rule table."""

    ferritin_low: float = 30.0
    ferritin_deficient: float = 15.0
    vitamin_d_deficient: float = 20.0
    vitamin_d_insufficient: float = 30.0
    zinc_low_female: float = 70.0
    zinc_low_male: float = 74.0
    b12_deficient: float = 200.0
    b12_borderline: float = 300.0
    tsh_low: float = 0.45
    tsh_high: float = 4.5
    haemoglobin_low_female: float = 12.0
    haemoglobin_low_male: float = 13.0
    platelets_low: float = 100.0

    def with_overrides(self, overrides: Mapping[str, float]) -> "LabThresholds":
        """A copy with a clinic's own values; ValueError names an unknown or out-of-range one."""
        rows = tables.lab_thresholds()
        for name, value in overrides.items():
            row = rows.get(name)
            if row is None:
                raise ValueError(f"“{name}” is not a lab threshold.")
            low, high = float(row.allowed_min), float(row.allowed_max)
            if not (isinstance(value, int | float) and low <= value <= high):
                raise ValueError(
                    f"{row.label} — choose a value from {number(low)} to {number(high)} {row.unit}."
                )
        return dataclasses.replace(self, **{k: float(v) for k, v in overrides.items()})


def default_lab_thresholds() -> LabThresholds:
    """The thresholds of the lab_thresholds rule table."""
    return LabThresholds(
        **{code: float(row.value) for code, row in tables.lab_thresholds().items()}
    )


@dataclass(frozen=True)
class CanonicalReading:
    value: float
    unit: str
    entered: str  # " (entered as 45 nmol/L)" when the unit was not the canonical one


class LabNotInterpreted(ValueError):
    """The reading cannot be compared; the message says why, for the practitioner."""


def canonical_reading(code: str, reading: LabReading) -> CanonicalReading:
    """`reading` in its lab's canonical unit; LabNotInterpreted says why it cannot be."""
    test = tables.lab_test(code)
    if test is None or test.canonical_unit is None:
        raise LabNotInterpreted("it is not a test the screening reads")
    unit = test.unit_named(reading.unit) if isinstance(reading.unit, str) else None
    if unit is None:
        accepted = ", ".join(u.unit for u in test.units)
        raise LabNotInterpreted(f"the unit “{reading.unit}” is not one of {accepted}")
    value = _finite(reading.value)
    canonical = float(value / unit.per_canonical)
    entered = ""
    if unit.unit != test.canonical_unit:
        entered = f" (entered as {number(float(value))} {unit.unit})"
    return CanonicalReading(canonical, test.canonical_unit, entered)


def _finite(value: object) -> Decimal:
    try:
        number_value = Decimal(str(value)) if isinstance(value, int | float) else None
    except InvalidOperation:
        number_value = None
    if number_value is None or not number_value.is_finite() or number_value < 0:
        raise LabNotInterpreted("the value is not a number of zero or more")
    return number_value


def _threshold_rows(lab: str, sex_at_birth: str, limits: LabThresholds) -> list[LabThresholdRow]:
    rules = tables.screening_rules()
    rows = [
        row
        for row in tables.lab_thresholds().values()
        if row.lab == lab and rules[row.flag].check == "lab"
    ]
    if sex_at_birth in {"female", "male"}:
        return [row for row in rows if row.sex in {None, sex_at_birth}]
    return [row for row in rows if row.sex is None or row is _most_cautious(row, rows, limits)]


def _most_cautious(
    row: LabThresholdRow, rows: list[LabThresholdRow], limits: LabThresholds
) -> LabThresholdRow:
    # Sex not recorded as female or male: of the sex-specific rows, the one that flags most.
    rivals = [r for r in rows if r.flag == row.flag and r.sex is not None]
    if row.comparison == "above":
        return min(rivals, key=lambda r: getattr(limits, r.code))
    return max(rivals, key=lambda r: getattr(limits, r.code))


def crosses(row: LabThresholdRow, value: float, threshold: float) -> bool:
    if row.comparison == "at_or_below":
        return value <= threshold
    if row.comparison == "below":
        return value < threshold
    return value > threshold


def lab_flags(
    labs: Mapping[str, LabReading], sex_at_birth: str, thresholds: LabThresholds | None = None
) -> list[Flag]:
    """One flag per lab at most (the most severe band: deficient before low), in lab order."""
    limits = thresholds or default_lab_thresholds()
    rules = tables.screening_rules()
    flags: list[Flag] = []
    for code, reading in labs.items():
        try:
            canonical = canonical_reading(code, reading)
        except LabNotInterpreted as reason:
            lab_row = tables.labs().get(code) if isinstance(code, str) else None
            label = in_sentence(lab_row.label) if lab_row else f"“{code}”"
            flags.append(_flag(rules["lab_not_interpreted"], lab=label, reason=str(reason)))
            continue
        for row in _threshold_rows(code, sex_at_birth, limits):
            threshold = getattr(limits, row.code)
            if crosses(row, canonical.value, threshold):
                flags.append(_lab_flag(row, canonical, threshold))
                break
    return flags


def _lab_flag(row: LabThresholdRow, reading: CanonicalReading, threshold: float) -> Flag:
    test = tables.lab_test(row.lab)
    shown = reading.value
    # Rounded as the lab reports it, with more decimals only if rounding would hide the crossing.
    for decimals in range(test.decimals if isinstance(test, LabTestRow) else 4, 5):
        shown = round(reading.value, decimals)
        if crosses(row, shown, threshold):
            break
    return _flag(
        tables.screening_rules()[row.flag],
        value=number(shown),
        unit=reading.unit,
        entered=reading.entered,
        threshold=number(threshold),
    )


def _flag(rule: ScreeningRuleRow, **values: str) -> Flag:
    return flag_from_rule(rule, modalities=rule.modalities, **values)
