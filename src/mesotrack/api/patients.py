"""`/api/v1/patients`: the registry, with the same scoping and audit trail as the pages."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, field_validator

from mesotrack.accounts.models import Clinic, User
from mesotrack.accounts.selectors import clinics_for
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.errors import DuplicateOut, ErrorOut
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.patients import selectors, services
from mesotrack.patients.models import Patient, SexAtBirth

router = Router(tags=["patients"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _max_length(field: str) -> int | None:
    return getattr(Patient._meta.get_field(field), "max_length", None)


class PatientOut(Schema):
    id: int
    record_number: str
    clinic: str = Field(description="The clinic's code, e.g. LDS.")
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex_at_birth: SexAtBirth
    gender: str
    email: str
    phone: str
    address: str
    preferred_language: str
    emergency_contact_name: str
    emergency_contact_phone: str
    emergency_contact_relationship: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_clinic(patient: Patient) -> str:
        return patient.clinic.code


class PatientPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PatientOut]


class PatientListParams(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="A name, record number, phone number or date of birth, as on the list page.",
    )
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0)


class PatientIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clinic: str | None = Field(
        None,
        coerce_numbers_to_str=True,
        description="Code or id of the clinic; may be left out by staff of a single clinic.",
    )
    confirm_not_duplicate: bool = Field(
        False, description="Set after checking a 409: this is a different person."
    )
    given_name: str = Field(min_length=1, max_length=_max_length("given_name"))
    family_name: str = Field(min_length=1, max_length=_max_length("family_name"))
    date_of_birth: dt.date
    sex_at_birth: SexAtBirth
    gender: str = Field("", max_length=_max_length("gender"))
    email: str = Field("", max_length=_max_length("email"))
    phone: str = Field("", max_length=_max_length("phone"))
    address: str = ""
    preferred_language: str = Field("English", max_length=_max_length("preferred_language"))
    emergency_contact_name: str = Field("", max_length=_max_length("emergency_contact_name"))
    emergency_contact_phone: str = Field("", max_length=_max_length("emergency_contact_phone"))
    emergency_contact_relationship: str = Field(
        "", max_length=_max_length("emergency_contact_relationship")
    )


class PatientPatch(Schema):
    """Only the fields sent are changed; send "" to clear an optional field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: str | None = Field(None, min_length=1, max_length=_max_length("given_name"))
    family_name: str | None = Field(None, min_length=1, max_length=_max_length("family_name"))
    date_of_birth: dt.date | None = None
    sex_at_birth: SexAtBirth | None = None
    gender: str | None = Field(None, max_length=_max_length("gender"))
    email: str | None = Field(None, max_length=_max_length("email"))
    phone: str | None = Field(None, max_length=_max_length("phone"))
    address: str | None = None
    preferred_language: str | None = Field(None, max_length=_max_length("preferred_language"))
    emergency_contact_name: str | None = Field(
        None, max_length=_max_length("emergency_contact_name")
    )
    emergency_contact_phone: str | None = Field(
        None, max_length=_max_length("emergency_contact_phone")
    )
    emergency_contact_relationship: str | None = Field(
        None, max_length=_max_length("emergency_contact_relationship")
    )

    @field_validator("*", mode="before")
    @classmethod
    def refuse_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("This field cannot be null.")
        return value


@router.get("", response={200: PatientPageOut, **ERRORS}, summary="List or search patients")
@api_staff_required()
def patient_list(request: HttpRequest, params: Query[PatientListParams]) -> dict[str, Any]:
    patients = selectors.patient_list_for_user(user=request.user, query=params.q)
    items = list(patients[params.offset : params.offset + params.limit])
    if items:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            detail={"list": "patients", "query": params.q, "patient_ids": [p.pk for p in items]},
        )
    return {
        "count": patients.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": items,
    }


@router.post(
    "",
    response={201: PatientOut, 409: DuplicateOut, **ERRORS},
    summary="Register a patient",
)
@api_staff_required()
def patient_create(request: HttpRequest, payload: PatientIn) -> Status[Patient]:
    user = api_user(request)
    patient = services.patient_create(
        actor=user,
        clinic=_clinic_for_registration(user, payload.clinic),
        data=payload.model_dump(include=set(services.EDITABLE_FIELDS)),
        confirm_not_duplicate=payload.confirm_not_duplicate,
    )
    return Status(201, patient)


@router.get(
    "/{int:patient_id}",
    response={200: PatientOut, 404: ErrorOut, **ERRORS},
    summary="Read a patient",
)
@api_staff_required()
def patient_read(request: HttpRequest, patient_id: int) -> Patient:
    patient = selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=patient)
    return patient


@router.patch(
    "/{int:patient_id}",
    response={200: PatientOut, 404: ErrorOut, **ERRORS},
    summary="Change a patient's details",
)
@api_staff_required()
def patient_update(request: HttpRequest, patient_id: int, payload: PatientPatch) -> Patient:
    patient = selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    last_saved = patient.updated_at
    patient = services.patient_update(
        actor=api_user(request), patient=patient, data=payload.model_dump(exclude_unset=True)
    )
    if patient.updated_at == last_saved:
        # Nothing changed, so the service wrote no event; the answer still shows the record.
        audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=patient)
    return patient


def _clinic_for_registration(user: User, requested: str | None) -> Clinic:
    clinics = clinics_for(user)
    if requested is None:
        if len(clinics) == 1:
            return clinics[0]
        codes = ", ".join(sorted(c.code for c in clinics))
        raise DomainError(f"You work at several clinics: say which one ({codes}).", field="clinic")
    for clinic in clinics:
        if requested.casefold() in {clinic.code.casefold(), str(clinic.pk)}:
            return clinic
    raise DomainError("You do not work at a clinic with that code or id.", field="clinic")
