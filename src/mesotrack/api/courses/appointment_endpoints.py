"""Appointments: listed by date range; moved, missed, cancelled, attended."""

from typing import Any

from django.http import HttpRequest
from ninja import Query

from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.courses import router
from mesotrack.api.courses.common import patient_of, replan_out, require_fields
from mesotrack.api.courses.schemas import (
    ERRORS,
    MAX_RANGE_DAYS,
    AppointmentOut,
    MoveIn,
    RangeParams,
    ReplanIn,
    ReplanOut,
)
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.diaries import day_bounds
from mesotrack.courses.models import Appointment
from mesotrack.courses.roles import BOOKING_ROLES
from mesotrack.courses.services.appointments import (
    appointment_cancel,
    appointment_mark_attended,
    appointment_record_missed,
    appointment_reschedule,
)
from mesotrack.patients.models import Patient


@router.get(
    "/appointments",
    response={200: list[AppointmentOut], **ERRORS},
    summary="Appointments in a date range",
)
@api_staff_required(*BOOKING_ROLES)
def appointment_list(request: HttpRequest, params: Query[RangeParams]) -> list[Appointment]:
    if params.end < params.start:
        raise DomainError("The last day comes before the first.", field="end")
    if (params.end - params.start).days >= MAX_RANGE_DAYS:
        raise DomainError(f"Ask for at most {MAX_RANGE_DAYS} days at a time.", field="end")
    starts, ends = day_bounds(params.start, params.end)
    appointments = list(
        selectors.appointments_in_range(
            user=request.user,
            starts=starts,
            ends=ends,
            clinic_id=params.clinic,
            practitioner_id=params.practitioner,
        )
    )
    if appointments:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            detail={
                "list": "appointments",
                "patient_ids": sorted({a.patient_id for a in appointments}),
            },
        )
    return appointments


def _appointment(
    request: HttpRequest, patient_id: int, appointment_id: int
) -> tuple[Patient, Appointment]:
    patient = patient_of(request, patient_id)
    appointment = selectors.appointment_get_for_patient(
        patient=patient, appointment_id=appointment_id
    )
    return patient, appointment


APPOINTMENT = "/patients/{int:patient_id}/appointments/{int:appointment_id}"


@router.post(
    f"{APPOINTMENT}/reschedule",
    response={200: ReplanOut, **ERRORS},
    summary="Move a visit (and the sessions after it)",
)
@api_staff_required(*BOOKING_ROLES)
def appointment_move(
    request: HttpRequest, patient_id: int, appointment_id: int, payload: MoveIn
) -> dict[str, Any]:
    patient, appointment = _appointment(request, patient_id, appointment_id)
    require_fields(payload, "starts_at")
    assert payload.starts_at is not None  # noqa: S101 — checked by require_fields
    result = appointment_reschedule(
        actor=api_user(request),
        appointment=appointment,
        starts_at=payload.starts_at,
        outside_window_reason=payload.outside_window_reason,
    )
    return replan_out(result, patient)


@router.post(
    f"{APPOINTMENT}/missed",
    response={200: ReplanOut, **ERRORS},
    summary="The patient did not attend",
)
@api_staff_required(*BOOKING_ROLES)
def appointment_missed(
    request: HttpRequest, patient_id: int, appointment_id: int, payload: ReplanIn
) -> dict[str, Any]:
    patient, appointment = _appointment(request, patient_id, appointment_id)
    result = appointment_record_missed(
        actor=api_user(request),
        appointment=appointment,
        reason=payload.reason,
        replan_from=payload.replan_from,
    )
    return replan_out(result, patient)


@router.post(
    f"{APPOINTMENT}/cancel",
    response={200: ReplanOut, **ERRORS},
    summary="Cancel a visit and re-plan",
)
@api_staff_required(*BOOKING_ROLES)
def appointment_cancel_endpoint(
    request: HttpRequest, patient_id: int, appointment_id: int, payload: ReplanIn
) -> dict[str, Any]:
    patient, appointment = _appointment(request, patient_id, appointment_id)
    result = appointment_cancel(
        actor=api_user(request),
        appointment=appointment,
        reason=payload.reason,
        replan_from=payload.replan_from,
    )
    return replan_out(result, patient)


@router.post(
    f"{APPOINTMENT}/attended",
    response={200: AppointmentOut, **ERRORS},
    summary="The patient attended",
)
@api_staff_required(*BOOKING_ROLES)
def appointment_attended(request: HttpRequest, patient_id: int, appointment_id: int) -> Appointment:
    patient, appointment = _appointment(request, patient_id, appointment_id)
    appointment_mark_attended(actor=api_user(request), appointment=appointment)
    appointment.refresh_from_db()
    appointment.patient = patient
    return appointment
