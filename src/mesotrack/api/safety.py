"""`/api/v1/patients/{id}/adverse-events` and `/api/v1/safety-signals`: adverse events (list,
record, read, review) and safety-signal rates, with the same roles, scoping, rules and audit trail
as the pages. A serious or grade ≥ 3 event recorded here alerts the managers as on the page."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.errors import ErrorOut
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import TreatmentSession
from mesotrack.core.errors import DomainError
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_get_for_user
from mesotrack.safety import selectors, services
from mesotrack.safety.models import AdverseEvent
from mesotrack.safety.services import AdverseEventInput
from mesotrack.safety.signals import SIGNAL_ROLES, safety_signal_report

router = Router(tags=["safety"])

CLINICAL = tuple(CLINICAL_ROLES)
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AdverseEventIn(_In):
    session_id: int | None = None
    # Required by the rules, not the schema, so a patient out of reach is a 404 before any 400.
    term: str = Field("", description="A code of the adverse_event_terms rule table.")
    other_term: str = ""
    grade: int | None = Field(None, description="CTCAE grade 1–5.")
    pain_nrs: int | None = None
    onset_at: dt.datetime | None = None
    duration_hours: int | None = Field(None, ge=0)
    outcome: str = "unknown"
    seriousness: list[str] = Field([], max_length=5)
    causality: str = Field("", description="certain, probable, possible or unlikely")
    suspected_lot_ids: list[int] = Field([], max_length=20)
    suspected_ingredients: list[str] = Field([], max_length=30)
    zones: list[str] = Field([], max_length=9)
    practitioner_id: int | None = None
    description: str = ""
    actions_taken: str = ""


class ReviewIn(_In):
    notes: str = ""


class AdverseEventOut(Schema):
    id: int
    patient_id: int
    session_id: int | None
    term: str
    term_label: str
    meddra_preferred_term: str
    grade: int
    pain_nrs: int | None
    onset_at: dt.datetime | None = None
    duration_hours: int | None
    outcome: str
    seriousness: list[str]
    serious: bool
    causality: str = Field("", description="certain, probable, possible or unlikely")
    suspected_lot_ids: list[int]
    suspected_ingredients: list[str]
    zones: list[str]
    practitioner_id: int | None
    description: str
    actions_taken: str
    reported_by_id: int
    blocks_sessions: bool
    reviewed_at: dt.datetime | None
    reviewed_by_id: int | None
    review_notes: str


class IntervalOut(Schema):
    low: float
    high: float


class SignalRowOut(Schema):
    clinic: str
    key: str
    label: str
    sessions: int
    sessions_with_event: int
    rate_per_100: float
    ci95_per_100: IntervalOut
    clinic_rate_per_100: float
    p_value: float
    flagged: bool


class SignalReportOut(Schema):
    grouping: str
    start: dt.date
    end: dt.date
    own_sessions_only: bool
    rows: list[SignalRowOut]


def _out(event: AdverseEvent) -> dict[str, Any]:
    return {
        **{
            name: getattr(event, name)
            for name in AdverseEventOut.model_fields
            if hasattr(event, name) and name not in {"suspected_lot_ids"}
        },
        "term_label": event.term_label,
        "meddra_preferred_term": event.meddra_label,
        "suspected_lot_ids": sorted(lot.pk for lot in event.suspected_lots.all()),
        "blocks_sessions": event.is_blocking,
    }


def _patient(request: HttpRequest, patient_id: int) -> Patient:
    return patient_get_for_user(user=request.user, patient_id=patient_id, roles=CLINICAL_ROLES)


def _session(request: HttpRequest, session_id: int | None) -> TreatmentSession | None:
    if session_id is None:
        return None
    try:
        return selectors.session_get_for_user(user=request.user, session_id=session_id)
    except TreatmentSession.DoesNotExist:
        raise DomainError("There is no such session.", field="session_id") from None


def _practitioner(patient: Patient, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(
        pk=user_id,
        memberships__clinic_id=patient.clinic_id,
        memberships__role__in=[Role.PRACTITIONER, Role.MANAGER],
    ).first()
    if user is None:
        raise DomainError("Choose a practitioner of the patient's clinic.", field="practitioner_id")
    return user


def _input(patient: Patient, payload: AdverseEventIn) -> AdverseEventInput:
    onset = payload.onset_at
    if onset is None:
        raise DomainError("Enter when the event began.", field="onset_at")
    data = payload.model_dump(exclude={"session_id", "practitioner_id"})
    data["grade"] = payload.grade or 0
    data["onset_at"] = onset if timezone.is_aware(onset) else timezone.make_aware(onset)
    data["practitioner"] = _practitioner(patient, payload.practitioner_id)
    return AdverseEventInput(**data)


def _event(request: HttpRequest, patient: Patient, adverse_event_id: int) -> AdverseEvent:
    try:
        return selectors.adverse_event_get_for_user(
            user=request.user, patient=patient, adverse_event_id=adverse_event_id
        )
    except AdverseEvent.DoesNotExist:
        raise Http404 from None


@router.get(
    "/patients/{int:patient_id}/adverse-events",
    response={200: list[AdverseEventOut], **ERRORS},
    summary="List a patient's adverse events",
)
@api_staff_required(*CLINICAL)
def adverse_event_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient = _patient(request, patient_id)
    events = AdverseEvent.objects.filter(patient=patient).prefetch_related("suspected_lots")
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=patient,
        detail={"api": "adverse events"},
    )
    return [_out(event) for event in events]


@router.post(
    "/patients/{int:patient_id}/adverse-events",
    response={201: AdverseEventOut, **ERRORS},
    summary="Record an adverse event",
)
@api_staff_required(*CLINICAL)
def adverse_event_create(
    request: HttpRequest, patient_id: int, payload: AdverseEventIn
) -> Status[dict[str, Any]]:
    patient = _patient(request, patient_id)
    event = services.adverse_event_create(
        actor=api_user(request),
        patient=patient,
        session=_session(request, payload.session_id),
        data=_input(patient, payload),
    )
    return Status(201, _out(event))


@router.get(
    "/patients/{int:patient_id}/adverse-events/{int:adverse_event_id}",
    response={200: AdverseEventOut, **ERRORS},
    summary="Read an adverse event",
)
@api_staff_required(*CLINICAL)
def adverse_event_read(
    request: HttpRequest, patient_id: int, adverse_event_id: int
) -> dict[str, Any]:
    patient = _patient(request, patient_id)
    event = _event(request, patient, adverse_event_id)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=event,
        detail={"api": "adverse event"},
    )
    return _out(event)


@router.post(
    "/patients/{int:patient_id}/adverse-events/{int:adverse_event_id}/review",
    response={200: AdverseEventOut, **ERRORS},
    summary="Review an adverse event (practitioners); it then no longer blocks sessions",
)
@api_staff_required(Role.PRACTITIONER)
def adverse_event_review(
    request: HttpRequest, patient_id: int, adverse_event_id: int, payload: ReviewIn
) -> dict[str, Any]:
    patient = _patient(request, patient_id)
    event = _event(request, patient, adverse_event_id)
    reviewed = services.adverse_event_review(
        actor=api_user(request), event=event, notes=payload.notes
    )
    return _out(reviewed)


@router.get(
    "/safety-signals",
    response={200: SignalReportOut, **ERRORS},
    summary="Adverse-event rates per 100 signed sessions, flagged against clinic-wide rates",
)
@api_staff_required(*SIGNAL_ROLES)
def safety_signals(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: Literal["practitioner", "recipe", "ingredient", "lot", "clinic"] = "practitioner",
) -> dict[str, Any]:
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=365)
    if start > end:
        raise DomainError("The period must start before it ends.", field="start")
    report = safety_signal_report(user=request.user, start=start, end=end, grouping=by)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        detail={"api": "safety signals", "by": by, "start": str(start), "end": str(end)},
    )
    rows = [
        {
            "clinic": row.clinic,
            "key": row.key,
            "label": row.label,
            "sessions": row.result.sessions,
            "sessions_with_event": row.result.events,
            "rate_per_100": row.result.rate_per_100,
            "ci95_per_100": row.result.interval_per_100,
            "clinic_rate_per_100": row.result.baseline_per_100,
            "p_value": row.result.p_value,
            "flagged": row.result.flagged,
        }
        for row in report.rows
    ]
    return {
        "grouping": by,
        "start": start,
        "end": end,
        "own_sessions_only": report.own_only,
        "rows": rows,
    }
