"""What happens to a booked visit: moved, attended, missed or cancelled. Missing or
cancelling re-plans the rest of the course; moving a session moves the sessions after it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses.diaries import clinic_calendar, clinic_timezone, practitioner_diary
from mesotrack.courses.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CourseStatus,
    TreatmentCourse,
)
from mesotrack.courses.planner import day_label, place_pinned
from mesotrack.courses.protocols import ProtocolDefinition
from mesotrack.courses.roles import BOOKING_ROLES, PLANNING_ROLES, may, require_role
from mesotrack.courses.scheduling import (
    ScheduleError,
    Visit,
    measurement_window,
    on_grid,
)
from mesotrack.courses.services.booking import slots_release, visits_book
from mesotrack.courses.services.packages import package_use
from mesotrack.courses.services.replanning import (
    ReplanRequest,
    ReplanResult,
    course_replan,
    first_unbooked_session,
)

OVERRIDE_REFUSED = "Only a practitioner or manager can book outside the protocol's window."


def _today() -> dt.date:
    return timezone.localdate()


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(clinic_timezone()).date()


def _locked(appointment: Appointment, actor: User) -> Appointment:
    require_role(
        actor, appointment.clinic_id, BOOKING_ROLES, "Only staff of this clinic can do this."
    )
    locked = (
        Appointment.objects.select_for_update()
        .select_related("course__patient", "course__clinic", "course__practitioner")
        .get(pk=appointment.pk)
    )
    if not locked.course.is_active:
        raise DomainError(
            f"This course is {locked.course.get_status_display().lower()}.", field="status"
        )
    if locked.status != AppointmentStatus.BOOKED:
        raise DomainError(
            f"This appointment is already {locked.get_status_display().lower()}.", field="status"
        )
    return locked


def _set_status(appointment: Appointment, status: str, reason: str, actor: User) -> None:
    appointment.status = status
    appointment.status_reason = reason
    appointment.status_changed_at = timezone.now()
    appointment.status_changed_by = actor
    appointment.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )


def _audit(actor: User, appointment: Appointment, detail: dict[str, object]) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=appointment.course.patient,
        obj=appointment,
        detail=detail,
    )


def _check_override(actor: User, appointment: Appointment, reason: str) -> bool:
    if not reason.strip():
        return False
    if not may(actor, appointment.clinic_id, PLANNING_ROLES):
        raise DomainError(OVERRIDE_REFUSED, field="outside_window_reason")
    return True


@transaction.atomic
def appointment_reschedule(
    *,
    actor: User,
    appointment: Appointment,
    starts_at: dt.datetime,
    outside_window_reason: str = "",
) -> ReplanResult:
    """Move a booked visit to `starts_at`. A session must stay inside its window (unless a
    practitioner overrides it, giving a reason) and the sessions after it move with it."""
    appointment = _locked(appointment, actor)
    outside = _check_override(actor, appointment, outside_window_reason)
    if starts_at <= timezone.now():
        raise DomainError("Choose a time in the future.", field="starts_at")
    if appointment.kind == AppointmentKind.MEASUREMENT:
        result = _move_measurement(actor, appointment, starts_at)
    else:
        result = course_replan(
            actor=actor,
            course=appointment.course,
            wanted=ReplanRequest(
                from_number=appointment.number,
                earliest=_today(),
                pinned=starts_at,
                outside_window=outside,
            ),
        )
    _audit(
        actor,
        appointment,
        {
            "rescheduled_to": starts_at.isoformat(),
            "moved": result.moved,
            "outside_window_reason": outside_window_reason.strip(),
        },
    )
    return result


def _move_measurement(
    actor: User, appointment: Appointment, starts_at: dt.datetime
) -> ReplanResult:
    course = appointment.course
    definition = ProtocolDefinition.model_validate(course.protocol)
    pattern = definition.pattern()
    spec = pattern.measurement(appointment.measurement_code)
    window = measurement_window(spec, course.start_date, _today())
    day = _local_day(starts_at)
    try:
        chair = place_pinned(
            clinic_calendar(
                clinic=course.clinic, first=day, last=day, ignore_appointments=[appointment.pk]
            ),
            practitioner_diary(
                clinic=course.clinic,
                practitioner=course.practitioner,
                first=day,
                last=day,
                ignore_appointments=[appointment.pk],
            ),
            starts_at=starts_at,
            minutes=appointment.minutes,
            window=window,
            what=appointment.label,
            not_before=timezone.now(),
        )
    except ScheduleError as error:
        raise DomainError(error.message, field="starts_at", code="no_room") from None
    slots_release([appointment.pk])
    _set_status(appointment, AppointmentStatus.RESCHEDULED, "Moved", actor)
    visit = Visit(
        kind="measurement",
        number=appointment.number,
        code=appointment.measurement_code,
        label=appointment.label,
        phase="",
        day=day,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=appointment.minutes),
        chair=chair,
        window=window,
    )
    booked = visits_book(
        actor=actor,
        course=course,
        visits=[visit],
        replacing={("measurement", appointment.number): appointment},
    )
    return ReplanResult(booked=booked, moved=1)


def _replan_from(appointment: Appointment, replan_from: dt.date | None) -> dt.date:
    if replan_from is None:
        return max(_today(), _local_day(appointment.starts_at) + dt.timedelta(days=1))
    if replan_from < _today():
        raise DomainError("Re-plan from today or a later day.", field="replan_from")
    return replan_from


def _replan_after(actor: User, appointment: Appointment, earliest: dt.date) -> ReplanResult:
    course = appointment.course
    if appointment.kind == AppointmentKind.SESSION:
        from_number = appointment.number
    else:
        live = list(course.appointments.filter(status__in=LIVE_STATUSES))
        from_number = first_unbooked_session(live, course.session_count)
    return course_replan(
        actor=actor,
        course=course,
        wanted=ReplanRequest(
            from_number=from_number,
            earliest=earliest,
            strict=False,
            replacing={(appointment.kind, appointment.number): appointment},
        ),
    )


@transaction.atomic
def appointment_record_missed(
    *, actor: User, appointment: Appointment, reason: str = "", replan_from: dt.date | None = None
) -> ReplanResult:
    """The patient did not come: record it and re-plan the rest of the course."""
    appointment = _locked(appointment, actor)
    if appointment.starts_at > timezone.now():
        raise DomainError(
            "This appointment has not started yet: cancel it instead.", field="status"
        )
    earliest = _replan_from(appointment, replan_from)
    slots_release([appointment.pk])
    _set_status(appointment, AppointmentStatus.MISSED, reason.strip(), actor)
    result = _replan_after(actor, appointment, earliest)
    _audit(
        actor,
        appointment,
        {"status": "missed", "replanned": len(result.booked), "problem": result.problem},
    )
    return result


@transaction.atomic
def appointment_cancel(
    *, actor: User, appointment: Appointment, reason: str, replan_from: dt.date | None = None
) -> ReplanResult:
    """Cancel one visit (the patient or the clinic cannot make it) and re-plan the rest."""
    if not reason.strip():
        raise DomainError("Say why the appointment is cancelled.", field="reason")
    appointment = _locked(appointment, actor)
    earliest = _replan_from(appointment, replan_from)
    slots_release([appointment.pk])
    _set_status(appointment, AppointmentStatus.CANCELLED, reason.strip(), actor)
    result = _replan_after(actor, appointment, earliest)
    _audit(
        actor,
        appointment,
        {"status": "cancelled", "replanned": len(result.booked), "problem": result.problem},
    )
    return result


@transaction.atomic
def appointment_mark_attended(*, actor: User, appointment: Appointment) -> Appointment:
    """The patient came. A session uses one prepaid session of the course's package, if any."""
    appointment = _locked(appointment, actor)
    day = _local_day(appointment.starts_at)
    if day > _today():
        raise DomainError(
            f"This appointment is on {day_label(day)}: record attendance on the day.",
            field="status",
        )
    _set_status(appointment, AppointmentStatus.ATTENDED, "", actor)
    course = appointment.course
    used = package_use(actor=actor, appointment=appointment) if appointment.is_session else None
    _update_course_status(course)
    _audit(
        actor,
        appointment,
        {"status": "attended", "package": used.package_id if used else None},
    )
    return appointment


def _update_course_status(course: TreatmentCourse) -> None:
    attended = course.appointments.filter(
        kind=AppointmentKind.SESSION, status=AppointmentStatus.ATTENDED
    ).count()
    status = (
        CourseStatus.COMPLETED if attended >= course.session_count else CourseStatus.IN_PROGRESS
    )
    if course.status != status:
        course.status = status
        course.save(update_fields=["status", "updated_at"])


@transaction.atomic
def course_book_remaining(
    *,
    actor: User,
    course: TreatmentCourse,
    starts_at: dt.datetime | None = None,
    outside_window_reason: str = "",
) -> ReplanResult:
    """Book what the course is missing (after a re-plan that found no room): the next session
    at `starts_at` if given, the rest after it, and any missing measurement visit."""
    require_role(
        actor, course.clinic_id, BOOKING_ROLES, "Only staff of this clinic can book its visits."
    )
    if not course.is_active:
        raise DomainError(f"This course is {course.get_status_display().lower()}.", field="status")
    outside = bool(outside_window_reason.strip())
    if outside and not may(actor, course.clinic_id, PLANNING_ROLES):
        raise DomainError(OVERRIDE_REFUSED, field="outside_window_reason")
    if starts_at is not None and not on_grid(starts_at):
        raise DomainError("Choose a start time on the quarter hour.", field="starts_at")
    live = list(course.appointments.filter(status__in=LIVE_STATUSES))
    from_number = first_unbooked_session(live, course.session_count)
    definition = ProtocolDefinition.model_validate(course.protocol)
    codes = {a.measurement_code for a in live if a.kind == AppointmentKind.MEASUREMENT}
    if from_number > course.session_count and codes >= {m.code for m in definition.measurements}:
        raise DomainError("Every visit of this course is booked.", field="starts_at")
    result = course_replan(
        actor=actor,
        course=course,
        wanted=ReplanRequest(
            from_number=from_number,
            earliest=_today(),
            pinned=starts_at if from_number <= course.session_count else None,
            outside_window=outside,
        ),
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=course.patient,
        obj=course,
        detail={
            "booked": [a.pk for a in result.booked],
            "outside_window_reason": outside_window_reason.strip(),
        },
    )
    return result
