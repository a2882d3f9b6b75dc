"""Builders for courses tests: a clinic's week, chairs, recipes and booked courses."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.courses.models import (
    Appointment,
    Chair,
    OpeningHours,
    TreatmentCourse,
)
from mesotrack.courses.services.courses import CourseChoice, course_create
from mesotrack.formulary.models import Recipe, RecipeVersion
from mesotrack.patients.models import Patient

WEEKDAYS = range(5)


def clinic_week(clinic: Clinic, chairs: int = 2) -> list[Chair]:
    """Open Monday to Friday 09:00–17:30 and Saturday 09:00–13:00, with `chairs` chairs."""
    rows = [
        OpeningHours(clinic=clinic, weekday=d, opens=dt.time(9), closes=dt.time(17, 30))
        for d in WEEKDAYS
    ]
    rows.append(OpeningHours(clinic=clinic, weekday=5, opens=dt.time(9), closes=dt.time(13)))
    OpeningHours.objects.bulk_create(rows)
    return [Chair.objects.create(clinic=clinic, name=f"Chair {n}") for n in range(1, chairs + 1)]


def recipe(clinic: Clinic, modality: str = "mesotherapy", name: str | None = None) -> Recipe:
    made = Recipe.objects.create(
        organisation_id=clinic.organisation_id,
        name=name or f"{modality.title()} recipe {Recipe.objects.count() + 1}",
        modality=modality,
    )
    RecipeVersion.objects.create(recipe=made, version=1, total_volume_ml=Decimal("2.00"))
    return made


def monday_after(days: int = 7) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def choice(
    clinic: Clinic,
    practitioner: User,
    protocol: str = "minoxidil_uzel",
    start: dt.date | None = None,
    zones: Sequence[str] = ("vertex", "mid_scalp"),
    preferred_time: dt.time | None = dt.time(10),
    modality: str = "mesotherapy",
) -> CourseChoice:
    found = Recipe.objects.filter(organisation_id=clinic.organisation_id, modality=modality).first()
    return CourseChoice(
        protocol_code=protocol,
        recipe=found or recipe(clinic, modality),
        target_zones=list(zones),
        practitioner=practitioner,
        start_date=start or monday_after(),
        preferred_time=preferred_time,
    )


def booked_course(
    patient: Patient,
    actor: User,
    practitioner: User | None = None,
    **changes: object,
) -> TreatmentCourse:
    return course_create(
        actor=actor,
        patient=patient,
        choice=choice(patient.clinic, practitioner or actor, **changes),  # type: ignore[arg-type]
    )


def live_sessions(course: TreatmentCourse) -> list[Appointment]:
    return list(
        course.appointments.filter(kind="session", status__in=["booked", "attended"]).order_by(
            "number"
        )
    )


def move_to_the_past(appointment: Appointment, hours: int = 1) -> Appointment:
    """The appointment's time has come and gone (tests cannot book in the past)."""
    length = appointment.ends_at - appointment.starts_at
    starts = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=hours)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=starts, ends_at=starts + length)
    appointment.refresh_from_db()
    return appointment


def statuses(course: TreatmentCourse) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in course.appointments.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
