"""Helpers shared by the courses API's endpoints."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.errors import ValidationError

from mesotrack.courses import selectors
from mesotrack.courses.models import Appointment, TreatmentCourse
from mesotrack.courses.progress import course_progress
from mesotrack.courses.services.replanning import ReplanResult
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_get_for_user


def require_fields(payload: Schema, *names: str) -> None:
    missing = [name for name in names if getattr(payload, name) is None]
    if missing:
        raise ValidationError(
            [
                {"loc": ("body", "payload", name), "type": "missing", "msg": "Field required"}
                for name in missing
            ]
        )


def patient_of(request: HttpRequest, patient_id: int) -> Patient:
    return patient_get_for_user(user=request.user, patient_id=patient_id)


def course_out(
    course: TreatmentCourse, appointments: list[Appointment], full: bool
) -> dict[str, Any]:
    progress = course_progress(course, appointments, timezone.now())
    live = [a for a in appointments if a.status in ("booked", "attended")]
    return {
        **{
            f: getattr(course, f)
            for f in (
                "id",
                "patient_id",
                "protocol_code",
                "protocol_label",
                "modality",
                "recipe_version_id",
                "target_zones",
                "practitioner_id",
                "start_date",
                "preferred_time",
                "status",
                "session_count",
                "notes",
                "cancellation_reason",
                "created_at",
            )
        },
        "recipe": str(course.recipe_version),
        "progress": {
            "attended": progress.attended,
            "total": progress.total,
            "label": progress.label,
            "next_visit": progress.next_visit.starts_at if progress.next_visit else None,
            "unbooked_sessions": list(progress.unbooked_sessions),
        },
        "appointments": live if full else [],
    }


def with_patient(appointments: list[Appointment], patient: Patient) -> list[Appointment]:
    for appointment in appointments:
        appointment.patient = patient
    return appointments


def course_in_full(course: TreatmentCourse, patient: Patient) -> dict[str, Any]:
    appointments = with_patient(selectors.appointments_of_course(course=course), patient)
    return course_out(course, appointments, full=True)


def replan_out(result: ReplanResult, patient: Patient) -> dict[str, Any]:
    booked = list(
        Appointment.objects.filter(pk__in=[a.pk for a in result.booked])
        .select_related("chair")
        .order_by("starts_at")
    )
    return {
        "booked": with_patient(booked, patient),
        "moved": result.moved,
        "problem": result.problem,
    }
