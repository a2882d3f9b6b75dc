"""`/api/v1`: treatment sessions and their injection records, with the pages' rules and audit.

Sessions live under their patient (`/patients/{patient_id}/sessions`), so another clinic's
patient is a 404. Writes answer 400 with the field at fault when a rule refuses them (no valid
consent, a screening block, an unusable lot, volumes that do not reconcile).
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.errors import ErrorOut
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting import selectors, services
from mesotrack.charting.models import InjectionRecord, SessionCosign, TreatmentSession
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import Appointment
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_get_for_user

router = Router(tags=["sessions"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ZoneCode = Literal[
    "frontal_hairline",
    "frontal",
    "mid_scalp",
    "vertex",
    "left_temporal",
    "right_temporal",
    "left_parietal",
    "right_parietal",
    "occipital",
]
TechniqueCode = Literal["nappage", "point_by_point", "linear", "meso_gun", "microneedling"]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PointIn(StrictIn):
    x: float = Field(ge=0, le=100)
    y: float = Field(ge=0, le=100)
    view: Literal["top", "front", "back", "left", "right"] = "top"


class InjectionIn(StrictIn):
    # Optional in the schema so that the patient is looked up (404) before input is judged;
    # the service names a missing field with its own message.
    zone: ZoneCode | None = None
    technique: TechniqueCode | None = None
    volume_ml: Decimal | None = Field(default=None, gt=0, max_digits=5, decimal_places=2)
    depth_mm: Decimal | None = Field(default=None, gt=0, max_digits=3, decimal_places=1)
    needle: str = Field(default="", max_length=40)
    points: int = Field(default=0, ge=0, le=500)
    point_coordinates: list[PointIn] = Field(default_factory=list, max_length=500)


class InjectionOut(Schema):
    id: int
    zone: str
    technique: str
    points: int
    volume_ml: Decimal
    depth_mm: Decimal
    needle: str
    point_coordinates: list[dict[str, Any]]


class LotUseOut(Schema):
    id: int
    lot_id: int | None
    batch_id: int | None
    syringes: int
    volume_ml: Decimal


class SessionOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    appointment_id: int | None
    course_id: int | None
    modality: str
    recipe_version_id: int | None
    practitioner_id: int
    assisting_nurse_id: int | None
    status: str
    checked_in_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    signed_at: dt.datetime | None
    signed_by_id: int | None
    pain_nrs: int | None
    immediate_reactions: str


class AddendumOut(Schema):
    text: str
    written_by_id: int
    written_at: dt.datetime


class CosignOut(Schema):
    cosigned_by_id: int
    cosigned_at: dt.datetime
    comment: str


class SessionFullOut(SessionOut):
    injections: list[InjectionOut]
    lot_uses: list[LotUseOut]
    addenda: list[AddendumOut]
    cosign: CosignOut | None


class SessionIn(StrictIn):
    modality: Literal["mesotherapy", "prp"] | None = None
    practitioner_id: int | None = None
    appointment_id: int | None = None
    assisting_nurse_id: int | None = None


def patient_for(request: HttpRequest, patient_id: int) -> Patient:
    return patient_get_for_user(user=request.user, patient_id=patient_id)


def session_for(request: HttpRequest, patient: Patient, session_id: int) -> TreatmentSession:
    return selectors.session_get_for_user(
        user=request.user, session_id=session_id, patient=patient, audit=False
    )


def full_session(session: TreatmentSession) -> dict[str, Any]:
    data = SessionOut.from_orm(session).model_dump()
    data["injections"] = list(session.injections.all())
    data["lot_uses"] = list(session.lot_uses.all())
    data["addenda"] = list(session.addenda.all())
    data["cosign"] = SessionCosign.objects.filter(session=session).first()
    return data


@router.get(
    "/patients/{int:patient_id}/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="A patient's sessions, newest first",
)
@api_staff_required(*CLINICAL_ROLES)
def session_list(request: HttpRequest, patient_id: int) -> list[TreatmentSession]:
    patient = patient_for(request, patient_id)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=patient,
        detail={"list": "sessions"},
    )
    return list(selectors.sessions_for_patient(patient=patient))


def _staff(patient: Patient, user_id: int | None) -> Any:
    if user_id is None:
        return None
    return (
        selectors.staff_at(clinic_id=patient.clinic_id, roles=list(Role)).filter(pk=user_id).first()
    )


@router.post(
    "/patients/{int:patient_id}/sessions",
    response={201: SessionFullOut, **ERRORS},
    summary="Check a patient in (from a course appointment, or walk-in)",
)
@api_staff_required(*CLINICAL_ROLES)
def session_create(request: HttpRequest, patient_id: int, payload: SessionIn) -> Any:
    patient = patient_for(request, patient_id)
    appointment = None
    if payload.appointment_id is not None:
        appointment = Appointment.objects.filter(patient=patient, pk=payload.appointment_id).first()
        if appointment is None:
            raise DomainError("No such appointment for this patient.", field="appointment_id")
    practitioner = _staff(patient, payload.practitioner_id)
    if payload.practitioner_id is not None and practitioner is None:
        raise DomainError("No such practitioner at this clinic.", field="practitioner_id")
    session = services.session_check_in(
        actor=api_user(request),
        patient=patient,
        appointment=appointment,
        modality=payload.modality or "",
        practitioner=practitioner,
        assisting_nurse=_staff(patient, payload.assisting_nurse_id),
    )
    return Status(201, full_session(session_for(request, patient, session.pk)))


@router.get(
    "/patients/{int:patient_id}/sessions/{int:session_id}",
    response={200: SessionFullOut, **ERRORS},
    summary="Read a session with its injections and lots",
)
@api_staff_required(*CLINICAL_ROLES)
def session_read(request: HttpRequest, patient_id: int, session_id: int) -> dict[str, Any]:
    patient = patient_for(request, patient_id)
    session = selectors.session_get_for_user(
        user=request.user, session_id=session_id, patient=patient
    )
    return full_session(session)


class CheckInIn(StrictIn):
    identity_confirmed: bool = False
    pregnant: bool | None = None
    new_medications: list[str] = Field(default_factory=list, max_length=20)
    active_scalp_infection: bool = False
    fever: bool = False
    numbing_agent: Literal["", "emla", "lidocaine", "ice"] = ""
    numbing_amount_g: Decimal | None = None
    numbing_lidocaine_mg: Decimal | None = None
    numbing_area: str = ""
    numbing_applied_at: dt.datetime | None = None


@router.post(
    "/patients/{int:patient_id}/sessions/{int:session_id}/checklist",
    response={200: SessionFullOut, **ERRORS},
    summary="Complete the pre-procedure checklist (consent, today's screening, numbing)",
)
@api_staff_required(*CLINICAL_ROLES)
def session_checklist(
    request: HttpRequest, patient_id: int, session_id: int, payload: CheckInIn
) -> dict[str, Any]:
    patient = patient_for(request, patient_id)
    session = session_for(request, patient, session_id)
    services.session_checklist_complete(
        actor=api_user(request),
        session=session,
        identity_confirmed=payload.identity_confirmed,
        today=services.TodayInput(
            pregnant=payload.pregnant,
            new_medications=tuple(payload.new_medications),
            active_scalp_infection=payload.active_scalp_infection,
            fever=payload.fever,
        ),
        numbing_agent=payload.numbing_agent,
        numbing_amount_g=payload.numbing_amount_g,
        numbing_lidocaine_mg=payload.numbing_lidocaine_mg,
        numbing_area=payload.numbing_area,
        numbing_applied_at=payload.numbing_applied_at,
    )
    return full_session(session_for(request, patient, session_id))


@router.post(
    "/patients/{int:patient_id}/sessions/{int:session_id}/sign",
    response={200: SessionFullOut, **ERRORS},
    summary="Sign a session: stock moves, aftercare is sent, follow-up calls are booked",
)
@api_staff_required(*CLINICAL_ROLES)
def session_sign(request: HttpRequest, patient_id: int, session_id: int) -> dict[str, Any]:
    patient = patient_for(request, patient_id)
    session = session_for(request, patient, session_id)
    services.session_sign(session=session, signed_by=api_user(request))
    return full_session(session_for(request, patient, session_id))


@router.get(
    "/patients/{int:patient_id}/sessions/{int:session_id}/injections",
    response={200: list[InjectionOut], **ERRORS},
    summary="A session's injection records, one per zone",
)
@api_staff_required(*CLINICAL_ROLES)
def injection_list(request: HttpRequest, patient_id: int, session_id: int) -> list[Any]:
    patient = patient_for(request, patient_id)
    session = selectors.session_get_for_user(
        user=request.user, session_id=session_id, patient=patient
    )
    return list(session.injections.all())


@router.post(
    "/patients/{int:patient_id}/sessions/{int:session_id}/injections",
    response={201: InjectionOut, **ERRORS},
    summary="Chart (or re-chart) one zone of a session in procedure",
)
@api_staff_required(*CLINICAL_ROLES)
def injection_create(
    request: HttpRequest, patient_id: int, session_id: int, payload: InjectionIn
) -> Any:
    patient = patient_for(request, patient_id)
    session = session_for(request, patient, session_id)
    record: InjectionRecord = services.injection_record_set(
        actor=api_user(request),
        session=session,
        zone=payload.zone or "",
        technique=payload.technique or "",
        volume_ml=payload.volume_ml or "",
        depth_mm=payload.depth_mm or "",
        needle=payload.needle,
        points=payload.points,
        point_coordinates=[p.model_dump() for p in payload.point_coordinates],
    )
    return Status(201, record)
