"""Courses: the protocols on offer; a patient's courses planned, booked, read, cancelled."""

from typing import Any

from django.http import HttpRequest
from ninja import Status

from mesotrack.accounts.models import User
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.courses import router
from mesotrack.api.courses.common import (
    course_in_full,
    course_out,
    patient_of,
    replan_out,
    require_fields,
)
from mesotrack.api.courses.schemas import (
    ERRORS,
    BookIn,
    CourseIn,
    CourseOut,
    PlanOut,
    ProtocolOut,
    ReasonIn,
    ReplanOut,
)
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.courses import selectors
from mesotrack.courses.models import Appointment, TreatmentCourse
from mesotrack.courses.roles import BOOKING_ROLES, PLANNING_ROLES
from mesotrack.courses.services.appointments import (
    course_book_remaining,
)
from mesotrack.courses.services.courses import (
    CourseChoice,
    CoursePlan,
    course_cancel,
    course_create,
    course_plan_preview,
)
from mesotrack.formulary.models import Recipe
from mesotrack.patients.models import Patient


@router.get("/protocols", response={200: list[ProtocolOut], **ERRORS}, summary="Protocols on offer")
@api_staff_required(*BOOKING_ROLES)
def protocol_list(request: HttpRequest) -> list[dict[str, Any]]:
    clinics = {m.clinic_id for m in request.user.memberships.all()}  # type: ignore[union-attr]
    found: dict[str, Any] = {}
    for clinic_id in sorted(clinics):
        found.update(selectors.protocol_options(clinic_id=clinic_id))
    return [
        {
            "code": p.code,
            "label": p.label,
            "modality": p.modality,
            "schedule": p.schedule,
            "sessions": p.session_count,
            "source": p.source,
        }
        for p in found.values()
    ]


@router.get(
    "/patients/{int:patient_id}/courses",
    response={200: list[CourseOut], **ERRORS},
    summary="A patient's courses",
)
@api_staff_required(*BOOKING_ROLES)
def course_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient = patient_of(request, patient_id)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=patient,
        detail={"list": "courses"},
    )
    grouped: dict[int, list[Appointment]] = {}
    for appointment in selectors.appointments_of_patient(patient=patient):
        grouped.setdefault(appointment.course_id, []).append(appointment)
    return [
        course_out(course, grouped.get(course.pk, []), full=False)
        for course in selectors.course_list_for_patient(patient=patient)
    ]


def _choice(payload: CourseIn, patient: Patient) -> CourseChoice:
    assert payload.protocol and payload.start_date and payload.target_zones  # noqa: S101 — require_fields
    recipe = Recipe.objects.filter(pk=payload.recipe or 0).first()
    practitioner = User.objects.filter(pk=payload.practitioner or 0).first()
    return CourseChoice(
        protocol_code=payload.protocol,
        recipe=recipe,
        target_zones=list(payload.target_zones),
        practitioner=practitioner,
        start_date=payload.start_date,
        preferred_time=payload.preferred_time,
    )


def _plan_out(plan: CoursePlan) -> dict[str, Any]:
    return {
        "protocol_code": plan.protocol.code,
        "sessions": len(plan.sessions),
        "price_per_session": plan.price.amount if plan.price else None,
        "currency": plan.price.currency if plan.price else None,
        "total_price": plan.total_price,
        "fingerprint": plan.fingerprint,
        "visits": [
            {
                "kind": v.kind,
                "number": v.number,
                "code": v.code,
                "label": v.label,
                "phase": v.phase,
                "starts_at": v.starts_at,
                "ends_at": v.ends_at,
                "window_earliest": v.window.earliest,
                "window_target": v.window.target,
                "window_latest": v.window.latest,
            }
            for v in plan.visits
        ],
    }


@router.post(
    "/patients/{int:patient_id}/courses",
    response={200: PlanOut, 201: CourseOut, **ERRORS},
    summary="Plan and book a course (or only plan it, with dry_run)",
)
@api_staff_required(*PLANNING_ROLES)
def course_create_endpoint(request: HttpRequest, patient_id: int, payload: CourseIn) -> Any:
    patient = patient_of(request, patient_id)
    require_fields(payload, "protocol", "recipe", "target_zones", "practitioner", "start_date")
    choice = _choice(payload, patient)
    user = api_user(request)
    if payload.dry_run:
        return Status(
            200, _plan_out(course_plan_preview(actor=user, patient=patient, choice=choice))
        )
    course = course_create(
        actor=user,
        patient=patient,
        choice=choice,
        fingerprint=payload.fingerprint,
        notes=payload.notes,
    )
    return Status(201, course_in_full(course, patient))


def _course(
    request: HttpRequest, patient_id: int, course_id: int
) -> tuple[Patient, TreatmentCourse]:
    patient = patient_of(request, patient_id)
    course = selectors.course_get_for_patient(patient=patient, course_id=course_id)
    course.patient = patient
    return patient, course


@router.get(
    "/patients/{int:patient_id}/courses/{int:course_id}",
    response={200: CourseOut, **ERRORS},
    summary="Read a course with its visits",
)
@api_staff_required(*BOOKING_ROLES)
def course_read(request: HttpRequest, patient_id: int, course_id: int) -> dict[str, Any]:
    patient, course = _course(request, patient_id, course_id)
    audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=course)
    return course_in_full(course, patient)


@router.post(
    "/patients/{int:patient_id}/courses/{int:course_id}/book",
    response={200: ReplanOut, **ERRORS},
    summary="Book what the course is missing",
)
@api_staff_required(*BOOKING_ROLES)
def course_book(
    request: HttpRequest, patient_id: int, course_id: int, payload: BookIn
) -> dict[str, Any]:
    patient, course = _course(request, patient_id, course_id)
    result = course_book_remaining(
        actor=api_user(request),
        course=course,
        starts_at=payload.starts_at,
        outside_window_reason=payload.outside_window_reason,
    )
    return replan_out(result, patient)


@router.post(
    "/patients/{int:patient_id}/courses/{int:course_id}/cancel",
    response={200: CourseOut, **ERRORS},
    summary="Cancel a course and free its booked visits",
)
@api_staff_required(*PLANNING_ROLES)
def course_cancel_endpoint(
    request: HttpRequest, patient_id: int, course_id: int, payload: ReasonIn
) -> dict[str, Any]:
    patient, course = _course(request, patient_id, course_id)
    course_cancel(actor=api_user(request), course=course, reason=payload.reason)
    return course_in_full(
        selectors.course_get_for_patient(patient=patient, course_id=course_id), patient
    )
