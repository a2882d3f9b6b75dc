"""Re-plan what is left of a course after a visit moves, is missed or is cancelled.

Invariant kept by every write: a course's live sessions (booked or attended) are sessions
1..m with nothing missing in between. Sessions after the first one that moves are re-planned
from it; measurement visits stay where they are, and any that is missing is placed again.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.core.errors import DomainError
from mesotrack.courses.diaries import (
    clinic_calendar,
    clinic_timezone,
    horizon_days,
    practitioner_diary,
)
from mesotrack.courses.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    TreatmentCourse,
)
from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import ProtocolDefinition
from mesotrack.courses.scheduling import ScheduleError, ScheduleRequest, Visit
from mesotrack.courses.services.booking import slots_release, visits_book

Key = tuple[str, int]


@dataclass
class ReplanResult:
    booked: list[Appointment] = field(default_factory=list)
    moved: int = 0
    # Why the rest could not be re-planned (the visits it would have moved are cancelled and
    # the course shows them as needing booking).
    problem: str = ""


def _baseline_codes(course: TreatmentCourse) -> set[str]:
    definition = ProtocolDefinition.model_validate(course.protocol)
    return {m.code for m in definition.measurements if m.with_first_session}


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(clinic_timezone()).date()


def first_unbooked_session(live: list[Appointment], total: int) -> int:
    numbers = {a.number for a in live if a.kind == AppointmentKind.SESSION}
    return next((n for n in range(1, total + 1) if n not in numbers), total + 1)


def _mark(appointments: list[Appointment], status: str, reason: str, actor: User) -> None:
    now = timezone.now()
    Appointment.objects.filter(pk__in=[a.pk for a in appointments]).update(
        status=status,
        status_reason=reason,
        status_changed_at=now,
        status_changed_by=actor,
        updated_at=now,
    )
    for appointment in appointments:
        appointment.status = status


@dataclass(frozen=True)
class ReplanRequest:
    from_number: int  # sessions from this number on are (re-)planned
    earliest: dt.date
    pinned: dt.datetime | None = None
    outside_window: bool = False
    strict: bool = True  # refuse (and change nothing) when the plan does not fit
    replacing: dict[Key, Appointment] = field(default_factory=dict)


def _schedule_request(
    course: TreatmentCourse, kept: list[Appointment], live: list[Appointment], wanted: ReplanRequest
) -> ScheduleRequest:
    definition = ProtocolDefinition.model_validate(course.protocol)
    preferred = course.preferred_time
    if preferred is None and kept:
        preferred = kept[-1].starts_at.astimezone(clinic_timezone()).time()
    return ScheduleRequest(
        pattern=definition.pattern(),
        anchor=course.start_date,
        earliest=wanted.earliest,
        not_before=timezone.now(),
        preferred_time=preferred,
        kept_session_days=tuple(_local_day(a.starts_at) for a in kept),
        kept_measurements=frozenset(
            a.measurement_code for a in live if a.kind == AppointmentKind.MEASUREMENT
        ),
        pinned=wanted.pinned,
        pinned_outside_window=wanted.outside_window,
    )


def _plan(
    course: TreatmentCourse, request: ScheduleRequest, ignore: list[int]
) -> tuple[Visit, ...]:
    first = request.earliest
    last = max(request.earliest, course.start_date) + dt.timedelta(
        days=horizon_days(request.pattern)
    )
    return plan_course(
        request,
        clinic_calendar(clinic=course.clinic, first=first, last=last, ignore_appointments=ignore),
        practitioner_diary(
            clinic=course.clinic,
            practitioner=course.practitioner,
            first=first,
            last=last,
            ignore_appointments=ignore,
        ),
    )


def course_replan(*, actor: User, course: TreatmentCourse, wanted: ReplanRequest) -> ReplanResult:
    """Re-plan sessions `wanted.from_number`.. and any missing measurement visit.

    Call inside a transaction. The course row is locked, so two re-plans of one course never
    interleave; slots are claimed again through the unique slot rows.
    """
    TreatmentCourse.objects.select_for_update().filter(pk=course.pk).first()
    live = list(course.appointments.filter(status__in=LIVE_STATUSES).order_by("starts_at"))
    sessions = {a.number: a for a in live if a.kind == AppointmentKind.SESSION}
    if any(n not in sessions for n in range(1, wanted.from_number)):
        missing = first_unbooked_session(live, course.session_count)
        raise DomainError(f"Book session {missing} first.", field="starts_at")
    attended_later = [
        a
        for n, a in sessions.items()
        if n >= wanted.from_number and a.status == AppointmentStatus.ATTENDED
    ]
    if attended_later:
        raise DomainError(
            f"Session {attended_later[0].number} was attended already.", field="starts_at"
        )
    kept = [sessions[n] for n in range(1, wanted.from_number)]
    moving = sorted(
        (a for n, a in sessions.items() if n >= wanted.from_number), key=lambda a: a.number
    )
    if wanted.from_number == 1:
        # The baseline goes just before the first session: it moves with it, if not done yet.
        baseline = _baseline_codes(course)
        moving += [
            a
            for a in live
            if a.measurement_code in baseline and a.status == AppointmentStatus.BOOKED
        ]
    request = _schedule_request(course, kept, [a for a in live if a not in moving], wanted)
    try:
        visits = _plan(course, request, ignore=[a.pk for a in moving])
    except ScheduleError as error:
        if wanted.strict:
            raise DomainError(error.message, field="starts_at", code="no_room") from None
        slots_release(a.pk for a in moving)
        _mark(moving, AppointmentStatus.CANCELLED, f"Not re-planned: {error.message}", actor)
        return ReplanResult(problem=error.message)
    return _apply(actor, course, visits, moving, wanted.replacing)


def _apply(
    actor: User,
    course: TreatmentCourse,
    visits: tuple[Visit, ...],
    moving: list[Appointment],
    replacing: dict[Key, Appointment],
) -> ReplanResult:
    by_key = {(a.kind, a.number): a for a in moving}
    unchanged, changed = [], []
    for visit in visits:
        old = by_key.get((visit.kind, visit.number))
        if old and old.starts_at == visit.starts_at and old.chair_id == visit.chair:
            unchanged.append(visit)
        else:
            changed.append(visit)
    moved = [by_key[(v.kind, v.number)] for v in changed if (v.kind, v.number) in by_key]
    slots_release(a.pk for a in moved)
    _mark(moved, AppointmentStatus.RESCHEDULED, "Re-planned", actor)
    booked = visits_book(
        actor=actor, course=course, visits=changed, replacing={**replacing, **by_key}
    )
    return ReplanResult(booked=booked, moved=len(moved))
