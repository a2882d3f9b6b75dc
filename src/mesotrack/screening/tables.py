"""Typed access to the screening rule tables in src/mesotrack/rules/data/.

The loader validates every row against its model in `mesotrack.rules.schemas`; these helpers
only hand the rows back with their types.
"""

from functools import cache
from typing import TypeVar, cast

from django.core.exceptions import ImproperlyConfigured

from mesotrack.rules import RuleRow, load_table
from mesotrack.rules.schemas import (
    AnaestheticRow,
    DecisionRuleRow,
    DiagnosisRow,
    IngredientRow,
    LabTestRow,
    LabThresholdRow,
    MedicalOptionRow,
    ParameterRow,
    PriorTreatmentRow,
    ScreeningAllergyRow,
    ScreeningConditionRow,
    ScreeningLabRow,
    ScreeningMedicationRow,
    ScreeningRuleRow,
    StagingScaleRow,
    TreatmentGoalRow,
    TreatmentProtocolRow,
)

Row = TypeVar("Row", bound=RuleRow)


def rows_of(name: str, model: type[Row]) -> dict[str, Row]:
    """The rows of table `name`, by code, in file order, checked to be of `model`."""
    rows = load_table(name).rows
    if not all(isinstance(row, model) for row in rows):
        raise ImproperlyConfigured(f"Rule table {name!r} is not read with {model.__name__}.")
    return {row.code: cast(Row, row) for row in rows}


@cache
def screening_rules() -> dict[str, ScreeningRuleRow]:
    return rows_of("screening_rules", ScreeningRuleRow)


@cache
def rule_order() -> dict[str, int]:
    return {code: index for index, code in enumerate(screening_rules())}


@cache
def conditions() -> dict[str, ScreeningConditionRow]:
    return rows_of("screening_conditions", ScreeningConditionRow)


@cache
def medications() -> dict[str, ScreeningMedicationRow]:
    return rows_of("screening_medications", ScreeningMedicationRow)


@cache
def allergies() -> dict[str, ScreeningAllergyRow]:
    return rows_of("screening_allergies", ScreeningAllergyRow)


@cache
def ingredients() -> dict[str, IngredientRow]:
    return rows_of("ingredients", IngredientRow)


@cache
def anaesthetics() -> dict[str, AnaestheticRow]:
    return rows_of("anaesthetics", AnaestheticRow)


@cache
def diagnoses() -> dict[str, DiagnosisRow]:
    return rows_of("diagnoses", DiagnosisRow)


@cache
def labs() -> dict[str, ScreeningLabRow]:
    return rows_of("screening_labs", ScreeningLabRow)


@cache
def _lab_tests() -> dict[str, LabTestRow]:
    return rows_of("lab_tests", LabTestRow)


def lab_test(code: str) -> LabTestRow | None:
    """The lab_tests row (units, conversion) for a screening lab code, if there is one."""
    row = labs().get(code)
    return _lab_tests().get(row.lab_test) if row else None


@cache
def lab_thresholds() -> dict[str, LabThresholdRow]:
    return rows_of("lab_thresholds", LabThresholdRow)


@cache
def goals() -> dict[str, TreatmentGoalRow]:
    return rows_of("treatment_goals", TreatmentGoalRow)


@cache
def staging_scales() -> dict[str, StagingScaleRow]:
    return rows_of("staging_scales", StagingScaleRow)


@cache
def examination_params(code: str) -> dict[str, float]:
    row = rows_of("examination_rules", ParameterRow)[code]
    return {key: float(value) for key, value in row.params.items()}


@cache
def protocols() -> dict[str, TreatmentProtocolRow]:
    return rows_of("treatment_protocols", TreatmentProtocolRow)


@cache
def decision_rules() -> dict[str, DecisionRuleRow]:
    return rows_of("decision_rules", DecisionRuleRow)


@cache
def prior_treatments() -> dict[str, PriorTreatmentRow]:
    return rows_of("prior_treatments", PriorTreatmentRow)


@cache
def medical_options() -> dict[str, MedicalOptionRow]:
    return rows_of("medical_options", MedicalOptionRow)


def allergy_codes() -> frozenset[str]:
    """Every allergy code: the allergy table's and every ingredient's."""
    return frozenset(allergies()) | frozenset(ingredients())


def label_of(code: str) -> str:
    """The label of any vocabulary code (conditions, medicines, allergies, ...), else the code."""
    for table in (conditions, medications, allergies, ingredients, anaesthetics, diagnoses, labs):
        row = table().get(code)
        if row is not None:
            return row.label
    return code
