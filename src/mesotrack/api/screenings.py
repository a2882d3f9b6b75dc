"""`/api/v1/screenings` and `/api/v1/vocabulary`: the what-if screening for integrations.

A clinic's online pre-screening form (or any integration holding a staff token) sends a profile
and, optionally, a proposed treatment; the answer is the screening flags, whether the treatment is
blocked, and the ranked options of the decision aid (mesotrack.screening). Nothing is stored.

No audit event is written for a what-if call: it names no patient and reads no patient record, so
there is no patient data to account for (the audit trail records reads and writes of patient
data). Refusals (401/403) are still audited by the API's authentication as for every operation.

Input is checked in two passes: its shape and types first (pydantic), then every code against the
vocabulary; both answer 422 with the field at fault (`conditions.1`, `labs.ferritin.unit`, ...)
and a message naming the code.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict

from mesotrack.api.access import api_staff_required
from mesotrack.api.errors import ErrorOut
from mesotrack.rules import load_table
from mesotrack.screening import tables
from mesotrack.screening.engine import screen
from mesotrack.screening.options import Modality, rank_options
from mesotrack.screening.profile import LabReading, ProposedTreatment, ScreeningProfile, Stage
from mesotrack.screening.scales import SCALES
from mesotrack.screening.vocabulary import vocabulary

router = Router(tags=["screening"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
SEE_VOCABULARY = "see GET /api/v1/vocabulary"


class _In(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StageIn(_In):
    scale: str = Field(description="norwood, ludwig, sinclair, olsen or salt.")
    value: str = Field(
        min_length=1, description='A stage such as "IIIa" or "III vertex"; for SALT the total.'
    )


class LabIn(_In):
    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str = Field(min_length=1, description="The canonical unit or an accepted alternative.")


class ProposedIn(_In):
    modality: Literal["mesotherapy", "prp"]
    ingredients: list[str] = Field([], max_length=30, description="Ingredient codes.")
    anaesthetic: str | None = Field(None, description="Anaesthetic code, or null for none.")
    lidocaine_mg: float | None = Field(None, ge=0, allow_inf_nan=False)


class ScreeningIn(_In):
    sex_at_birth: Literal["female", "male"]
    age: int = Field(ge=0, le=120)
    weight_kg: float | None = Field(None, gt=0, le=350, allow_inf_nan=False)
    pregnant: bool = False
    breastfeeding: bool = False
    could_become_pregnant: bool = False
    trying_to_conceive: bool = False
    contraception: bool = Field(False, description="Reliable contraception is documented.")
    conditions: list[str] = Field([], max_length=100, description="Condition codes.")
    medications: list[str] = Field([], max_length=100, description="Medicine codes.")
    allergies: list[str] = Field([], max_length=100, description="Allergy codes.")
    diagnosis: str | None = Field(None, description="Diagnosis code, or null.")
    stage: StageIn | None = None
    transplant_date: dt.date | None = Field(None, description="Date of the last hair transplant.")
    transplant_grafts: int | None = Field(None, ge=1, le=15000)
    prior_treatments: dict[str, str] = Field(
        {},
        description="Treatments tried before (intake prior_treatments codes) → response "
        "(improved, stable, worse, stopped_side_effects, unknown).",
    )
    goals: list[str] = Field([], max_length=10, description="Goal codes.")
    labs: dict[str, LabIn] = Field({}, description='{lab code: {"value", "unit"}}')
    proposed: ProposedIn | None = None


class FlagOut(Schema):
    code: str
    severity: Literal["block", "postpone", "warn", "info"]
    ingredient: str | None
    message: str
    source: str
    label: str
    evidence: str = Field(description="P paper or label, S summary, C clinic page, V unverified.")


class OptionOut(Schema):
    modality: Modality
    rank: int = Field(description="1 is the first choice.")
    rationale: list[str]
    sources: list[str]
    contraindicated: bool
    suggested_protocol: str | None
    medical_options: list[str]


class ScreeningOut(Schema):
    flags: list[FlagOut]
    blocked: bool = Field(description="True when any flag is a block or a postpone.")
    options: list[OptionOut]


def _error(location: Iterable[Any], message: str, kind: str) -> dict[str, Any]:
    return {"loc": ("body", "payload", *location), "msg": message, "type": kind}


def _unknown_codes(
    field: tuple[Any, ...], codes: Iterable[str], known: Iterable[str], what: str
) -> list[dict[str, Any]]:
    allowed = set(known)
    return [
        _error((*field, index), f"“{code}” is not {what} ({SEE_VOCABULARY}).", "unknown_code")
        for index, code in enumerate(codes)
        if code not in allowed
    ]


def _code_errors(payload: ScreeningIn) -> list[dict[str, Any]]:
    lists = (
        ("conditions", payload.conditions, tables.conditions(), "a condition code"),
        ("medications", payload.medications, tables.medications(), "a medicine code"),
        ("allergies", payload.allergies, tables.allergy_codes(), "an allergy code"),
        ("goals", payload.goals, tables.goals(), "a goal code"),
    )
    errors = [
        error
        for field, codes, known, what in lists
        for error in _unknown_codes((field,), codes, known, what)
    ]
    if payload.diagnosis is not None and payload.diagnosis not in tables.diagnoses():
        message = f"“{payload.diagnosis}” is not a diagnosis code ({SEE_VOCABULARY})."
        errors.append(_error(("diagnosis",), message, "unknown_code"))
    for code, response in payload.prior_treatments.items():
        if code not in tables.prior_treatments():
            message = f"“{code}” is not a prior-treatment code ({SEE_VOCABULARY})."
            errors.append(_error(("prior_treatments", code), message, "unknown_code"))
        elif response not in load_table("treatment_responses"):
            message = f"“{response}” is not a treatment response ({SEE_VOCABULARY})."
            errors.append(_error(("prior_treatments", code), message, "unknown_code"))
    if payload.proposed is not None:
        errors += _proposal_errors(payload.proposed)
    return errors


def _proposal_errors(proposed: ProposedIn) -> list[dict[str, Any]]:
    errors = _unknown_codes(
        ("proposed", "ingredients"),
        proposed.ingredients,
        tables.ingredients(),
        "an ingredient code",
    )
    if proposed.anaesthetic is not None and proposed.anaesthetic not in tables.anaesthetics():
        message = f"“{proposed.anaesthetic}” is not an anaesthetic code ({SEE_VOCABULARY})."
        errors.append(_error(("proposed", "anaesthetic"), message, "unknown_code"))
    return errors


def _lab_errors(labs: dict[str, LabIn]) -> list[dict[str, Any]]:
    errors = []
    for code, lab in labs.items():
        test = tables.lab_test(code)
        if test is None or test.canonical_unit is None:
            message = f"“{code}” is not a lab code ({SEE_VOCABULARY})."
            errors.append(_error(("labs", code), message, "unknown_code"))
            continue
        unit = test.unit_named(lab.unit)
        if unit is None:
            accepted = ", ".join(spelling for u in test.units for spelling in u.spellings())
            message = f"“{lab.unit}” is not a unit for {test.label}; use one of: {accepted}."
            errors.append(_error(("labs", code, "unit"), message, "unknown_unit"))
            continue
        value = float(lab.value) / float(unit.per_canonical)
        low, high = float(test.plausible_min or 0), float(test.plausible_max or 0)
        if not low <= value <= high:
            message = (
                f"{test.label} {lab.value:g} {unit.unit} is outside the plausible range "
                f"{test.plausible_min}–{test.plausible_max} {test.canonical_unit}; check the value."
            )
            errors.append(_error(("labs", code, "value"), message, "implausible_value"))
    return errors


def _stage_errors(stage: StageIn | None, diagnosis: str | None) -> list[dict[str, Any]]:
    if stage is None:
        return []
    scale = SCALES.get(stage.scale)
    if scale is None:
        message = f"“{stage.scale}” is not a staging scale; use {', '.join(SCALES)}."
        return [_error(("stage", "scale"), message, "unknown_scale")]
    fitting = [s.code for s in SCALES.values() if diagnosis in s.diagnoses]
    if diagnosis in tables.diagnoses() and scale.code not in fitting:
        label = tables.diagnoses()[diagnosis or ""].label
        choices = ", ".join(fitting[:-1]) + " or " + fitting[-1] if len(fitting) > 1 else ""
        use = f"use {choices or ''.join(fitting)}" if fitting else "send stage as null"
        message = f"The {scale.name} scale does not stage {label.lower()}; {use}."
        return [_error(("stage", "scale"), message, "scale_mismatch")]
    if scale.stage(stage.value) is None:
        if scale.kind == "percent":
            message = f'A {scale.name} stage is the total from 0 to 100, such as "30".'
        else:
            values = ", ".join(s.value for s in scale.stages)
            message = f"“{stage.value}” is not a {scale.name} stage; use one of: {values}."
        return [_error(("stage", "value"), message, "unknown_stage")]
    return []


def _date_errors(payload: ScreeningIn) -> list[dict[str, Any]]:
    if payload.transplant_date and payload.transplant_date > timezone.localdate():
        message = "Enter a date that is not in the future."
        return [_error(("transplant_date",), message, "future_date")]
    return []


def _profile(payload: ScreeningIn, on_date: dt.date) -> ScreeningProfile:
    stage = Stage(payload.stage.scale, payload.stage.value) if payload.stage else None
    return ScreeningProfile(
        sex_at_birth=payload.sex_at_birth,
        age=payload.age,
        weight_kg=payload.weight_kg,
        pregnant=payload.pregnant,
        breastfeeding=payload.breastfeeding,
        could_become_pregnant=payload.could_become_pregnant,
        trying_to_conceive=payload.trying_to_conceive,
        conditions=frozenset(payload.conditions),
        medications=frozenset(payload.medications),
        allergies=frozenset(payload.allergies),
        diagnosis=payload.diagnosis,
        stage=stage,
        transplant_date=payload.transplant_date,
        transplant_grafts=payload.transplant_grafts,
        labs={code: LabReading(lab.value, lab.unit) for code, lab in payload.labs.items()},
        prior_treatments=dict(payload.prior_treatments),
        goals=frozenset(payload.goals),
        contraception=payload.contraception,
        on_date=on_date,
    )


def _proposed(payload: ScreeningIn) -> ProposedTreatment | None:
    proposed = payload.proposed
    if proposed is None:
        return None
    return ProposedTreatment(
        modality=proposed.modality,
        ingredients=tuple(dict.fromkeys(proposed.ingredients)),
        anaesthetic=proposed.anaesthetic,
        lidocaine_mg=proposed.lidocaine_mg,
    )


@router.post(
    "/screenings",
    response={200: ScreeningOut, **ERRORS},
    summary="Screen a profile and rank the options (what-if: nothing is stored)",
)
@api_staff_required()
def screening_what_if(request: HttpRequest, payload: ScreeningIn) -> dict[str, Any]:
    errors = [
        *_code_errors(payload),
        *_lab_errors(payload.labs),
        *_stage_errors(payload.stage, payload.diagnosis),
        *_date_errors(payload),
    ]
    if errors:
        raise ValidationError(errors)
    profile = _profile(payload, timezone.localdate())
    result = screen(profile, _proposed(payload))
    return {
        "flags": result.flags,
        "blocked": result.blocked,
        "options": rank_options(profile, result),
    }


VOCABULARY_HELP = """Every code the screening API reads or returns, each with its label and the
source it comes from: `conditions` (with `group`), `medications` (with `class`), `allergies`
(anaesthetic agents and every ingredient code), `ingredients` (with `group`), `anaesthetics`
(with `agents`), `diagnoses` (with `icd10`), `labs` (with the canonical `unit` and the
`accepted_units`), `goals`, `scales` (with `diagnoses` and `values`), `flags` (the screening
rules, with `severity`), `severities`, `modalities` (the decision aid's options),
`medical_options`, `prior_treatments` and `treatment_responses` (for the request's
`prior_treatments`) and `sexes`."""


@router.get(
    "/vocabulary",
    response={200: dict[str, list[dict[str, str]]], **ERRORS},
    summary="Every screening code, with labels and sources",
    description=VOCABULARY_HELP,
)
@api_staff_required()
def screening_vocabulary(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    return vocabulary()
