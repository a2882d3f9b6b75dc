"""The shape of an intake's answers, checked against the rule tables.

`validate_answers` is the one way in: it returns the normalised answers (lab values converted to
their canonical unit, as-entered value kept) or raises IntakeAnswersInvalid naming every field at
fault, as dotted paths such as `labs.0.unit`.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from mesotrack.core.errors import DomainError
from mesotrack.rules import load_table
from mesotrack.rules.schemas import LabTestRow, PriorTreatmentRow

# Stored answers are read back with this context: codes a later table edit removed, or dates that
# were valid when written, must not make an old signed intake unreadable.
STORED = {"stored": True}


def _is_stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _in_table(table: str, what: str) -> AfterValidator:
    def check(code: str, info: ValidationInfo) -> str:
        if not _is_stored(info) and code not in load_table(table):
            raise PydanticCustomError(
                "unknown_code",
                "“{code}” is not on the list of {what}.",
                {"code": code, "what": what},
            )
        return code

    return AfterValidator(check)


def _not_future(day: dt.date, info: ValidationInfo) -> dt.date:
    if not _is_stored(info) and day > timezone.localdate():
        raise PydanticCustomError("future_date", "Enter a date that is not in the future.")
    return day


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


PastDay = Annotated[dt.date, AfterValidator(_not_future)]
ConditionCode = Annotated[str, _in_table("medical_history_conditions", "medical conditions")]
MedicationClass = Annotated[str, _in_table("medication_classes", "medicine classes")]
AllergyClass = Annotated[str, _in_table("allergy_classes", "allergy classes")]
TriggerCode = Annotated[str, _in_table("hair_loss_triggers", "hair-loss triggers")]
PatternCode = Annotated[str, _in_table("hair_loss_patterns", "hair-loss patterns")]
TreatmentCode = Annotated[str, _in_table("prior_treatments", "treatments")]
ResponseCode = Annotated[str, _in_table("treatment_responses", "responses")]
LabTestCode = Annotated[str, _in_table("lab_tests", "lab tests")]
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]


ONSET_SPEEDS = {"gradual": "Gradually", "sudden": "Suddenly"}
SHEDDING_LEVELS = {
    "none": "No more than usual",
    "more_than_usual": "More than usual",
    "heavy": "Heavy (handfuls, clumps in the shower or on the pillow)",
}
FAMILY_HISTORY = {
    "none": "No one in the family",
    "father_side": "Father's side",
    "mother_side": "Mother's side",
    "both_sides": "Both sides",
    "unknown": "Not known",
}


def field_error(field: str, message: str) -> PydanticCustomError:
    """An error raised by a model validator that belongs to one of the model's fields."""
    return PydanticCustomError("invalid_answer", message, {"field": field})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HairLossHistory(_Section):
    onset_on: PastDay | None = None
    onset_speed: Literal["", "gradual", "sudden"] = ""
    duration_months: int | None = Field(default=None, ge=0, le=1200)
    patterns: Annotated[list[PatternCode], AfterValidator(_unique)] = []
    shedding: Literal["", "none", "more_than_usual", "heavy"] = ""
    family_history: Literal["", "none", "father_side", "mother_side", "both_sides", "unknown"] = ""
    family_history_notes: ShortText = ""
    triggers: Annotated[list[TriggerCode], AfterValidator(_unique)] = []
    trigger_notes: Text = ""
    notes: Text = ""


class PriorTreatment(_Section):
    treatment: TreatmentCode
    started_on: PastDay | None = None
    stopped_on: PastDay | None = None
    response: Literal[""] | ResponseCode = ""
    graft_count: int | None = Field(default=None, ge=1, le=15000)
    details: ShortText = ""

    @model_validator(mode="after")
    def _dates_and_grafts(self, info: ValidationInfo) -> "PriorTreatment":
        if _is_stored(info) or self.treatment not in load_table("prior_treatments"):
            return self
        if self.started_on and self.stopped_on and self.stopped_on < self.started_on:
            raise field_error("stopped_on", "The stop date is before the start date.")
        row = load_table("prior_treatments").get(self.treatment)
        records_grafts = isinstance(row, PriorTreatmentRow) and row.records_grafts
        if records_grafts and self.started_on is None:
            raise field_error(
                "started_on", "Give the date of the transplant (approximate is fine)."
            )
        if self.graft_count is not None and not records_grafts:
            raise field_error("graft_count", "A graft count only applies to a hair transplant.")
        return self


class MedicalHistory(_Section):
    conditions: Annotated[list[ConditionCode], AfterValidator(_unique)] = []
    notes: Text = ""

    @model_validator(mode="after")
    def _no_contradictions(self, info: ValidationInfo) -> "MedicalHistory":
        chosen = set(self.conditions)
        for one, other in (
            ("diabetes_controlled", "diabetes_uncontrolled"),
            ("hypertension_controlled", "hypertension_uncontrolled"),
        ):
            if not _is_stored(info) and {one, other} <= chosen:
                table = load_table("medical_history_conditions")
                raise field_error(
                    "conditions",
                    f"Choose either “{table.label(one)}” or “{table.label(other)}”, not both.",
                )
        return self


class Medication(_Section):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    medication_class: MedicationClass
    dose: Annotated[str, Field(max_length=100)] = ""
    since: PastDay | None = None


class Allergy(_Section):
    allergy_class: AllergyClass
    substance: ShortText = ""
    reaction: ShortText = ""

    @model_validator(mode="after")
    def _other_is_named(self, info: ValidationInfo) -> "Allergy":
        if not _is_stored(info) and self.allergy_class == "other" and not self.substance:
            raise field_error("substance", "Name the substance for an allergy of another kind.")
        return self


class Reproductive(_Section):
    """None means "not asked / not recorded", which screening must not read as "no"."""

    pregnant: bool | None = None
    breastfeeding: bool | None = None
    could_become_pregnant: bool | None = None
    trying_to_conceive: bool | None = None
    contraception: ShortText = ""


class LabResult(_Section):
    test: LabTestCode
    name: Annotated[str, Field(max_length=100)] = ""
    value: Decimal = Field(max_digits=12, decimal_places=4)
    unit: Annotated[str, Field(max_length=30)] = ""
    taken_on: PastDay
    canonical_value: Decimal | None = None
    canonical_unit: str = ""

    @model_validator(mode="after")
    def _convert(self, info: ValidationInfo) -> "LabResult":
        if _is_stored(info):
            return self
        row = load_table("lab_tests").get(self.test)
        if not isinstance(row, LabTestRow):
            raise field_error("test", "This lab test has no units on record.")
        if row.is_free_form:
            return self._as_written()
        return self._to_canonical(row)

    def _as_written(self) -> "LabResult":
        if not self.name:
            raise field_error("name", "Name the test as written on the lab report.")
        if not self.unit:
            raise field_error("unit", "Give the unit as written on the lab report.")
        self.canonical_value, self.canonical_unit = self.value, self.unit
        return self

    def _to_canonical(self, row: LabTestRow) -> "LabResult":
        unit = row.unit_named(self.unit)
        if unit is None:
            accepted = " or ".join(u.unit for u in row.units)
            raise field_error("unit", f"{row.label} is recorded in {accepted}.")
        canonical = row.to_canonical(self.value, unit)
        low, high = row.plausible_min, row.plausible_max
        if low is not None and high is not None and not low <= canonical <= high:
            raise field_error(
                "value",
                f"{row.label} {self.value} {unit.unit} is outside the plausible range "
                f"{low}–{high} {row.canonical_unit}; check the lab report.",
            )
        self.unit, self.name = unit.unit, ""
        self.canonical_value, self.canonical_unit = canonical, row.canonical_unit or ""
        return self


class IntakeAnswers(_Section):
    hair_loss_history: HairLossHistory = HairLossHistory()
    prior_treatments: list[PriorTreatment] = Field(default=[], max_length=50)
    medical_history: MedicalHistory = MedicalHistory()
    medications: list[Medication] = Field(default=[], max_length=50)
    no_known_allergies: bool = False
    allergies: list[Allergy] = Field(default=[], max_length=50)
    reproductive: Reproductive = Reproductive()
    weight_kg: Decimal | None = Field(default=None, ge=20, le=350, decimal_places=1)
    labs: list[LabResult] = Field(default=[], max_length=100)

    @model_validator(mode="after")
    def _allergy_answer_is_consistent(self) -> "IntakeAnswers":
        if self.no_known_allergies and self.allergies:
            raise field_error(
                "no_known_allergies", "Untick “no known allergies”, or remove the allergies listed."
            )
        return self


class IntakeAnswersInvalid(DomainError):
    """Every problem with submitted answers, by dotted field path."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field, code="invalid_answers")
        self.errors = errors


def empty_answers() -> dict[str, Any]:
    return IntakeAnswers().model_dump(mode="json")


def validate_answers(raw: Mapping[str, Any]) -> IntakeAnswers:
    """Check submitted answers against the schema and the rule tables."""
    try:
        return IntakeAnswers.model_validate(dict(raw))
    except ValidationError as error:
        raise IntakeAnswersInvalid(_errors_by_field(error)) from None


def read_stored_answers(stored: Mapping[str, Any]) -> IntakeAnswers:
    """Answers as saved: no re-check against today's tables or today's date."""
    return IntakeAnswers.model_validate(dict(stored or {}), context=STORED)


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for detail in error.errors():
        location = [str(part) for part in detail["loc"]]
        extra_field = (detail.get("ctx") or {}).get("field")
        if extra_field:
            location.append(str(extra_field))
        found.setdefault(".".join(location) or "__all__", []).append(_message(detail))
    return found


_PLAIN_MESSAGES = {
    "missing": "This field is required.",
    "string_too_short": "This field is required.",
    "date_parsing": "Enter a valid date.",
    "date_from_datetime_parsing": "Enter a valid date.",
    "date_type": "Enter a valid date.",
    "decimal_parsing": "Enter a number.",
    "decimal_type": "Enter a number.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "bool_parsing": "Answer yes or no.",
    "literal_error": "Choose one of the listed options.",
    "extra_forbidden": "This question is not part of the intake.",
}


def _message(detail: ErrorDetails) -> str:
    kind, context = detail["type"], detail.get("ctx") or {}
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind]
    if kind in {"greater_than_equal", "greater_than"}:
        return f"Enter at least {context.get('ge', context.get('gt'))}."
    if kind in {"less_than_equal", "less_than"}:
        return f"Enter at most {context.get('le', context.get('lt'))}."
    if kind == "string_too_long":
        return f"Use at most {context.get('max_length')} characters."
    if kind == "too_long":
        return f"Too many entries (at most {context.get('max_length')})."
    if kind in {"decimal_max_places", "decimal_max_digits", "decimal_whole_digits"}:
        return "Enter the number with fewer digits."
    return detail["msg"]
