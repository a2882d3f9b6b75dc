"""Where a course stands: session n of N, its phase, what is booked next and what is not."""

import datetime as dt
from dataclasses import dataclass

from mesotrack.courses.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    TreatmentCourse,
)
from mesotrack.courses.protocols import PHASE_LABELS, ProtocolDefinition


@dataclass(frozen=True)
class CourseProgress:
    total: int
    attended: int
    missed: int
    next_session: Appointment | None
    next_visit: Appointment | None
    phase: str
    unbooked_sessions: tuple[int, ...]
    unbooked_measurements: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.attended >= self.total:
            return f"All {self.total} sessions done"
        number = self.next_session.number if self.next_session else self.attended + 1
        return f"Session {number} of {self.total} next · {self.phase}"

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.total) if self.total else 0

    @property
    def needs_booking(self) -> bool:
        return bool(self.unbooked_sessions or self.unbooked_measurements)


def phase_of(definition: ProtocolDefinition, number: int) -> str:
    seen = 0
    for step in definition.steps:
        seen += step.sessions
        if number <= seen:
            return PHASE_LABELS[step.phase]
    return PHASE_LABELS[definition.steps[-1].phase]


def course_progress(
    course: TreatmentCourse, appointments: list[Appointment], now: dt.datetime
) -> CourseProgress:
    """`appointments`: every appointment of the course (any status)."""
    definition = ProtocolDefinition.model_validate(course.protocol)
    live = [a for a in appointments if a.status in LIVE_STATUSES]
    sessions = [a for a in live if a.kind == AppointmentKind.SESSION]
    attended = sum(1 for a in sessions if a.status == AppointmentStatus.ATTENDED)
    booked = sorted(
        (a for a in live if a.status == AppointmentStatus.BOOKED), key=lambda a: a.starts_at
    )
    upcoming = [a for a in booked if a.ends_at >= now]
    next_session = next((a for a in booked if a.kind == AppointmentKind.SESSION), None)
    active = course.is_active
    numbers = {a.number for a in sessions}
    codes = {a.measurement_code for a in live if a.kind == AppointmentKind.MEASUREMENT}
    return CourseProgress(
        total=course.session_count,
        attended=attended,
        missed=sum(1 for a in appointments if a.status == AppointmentStatus.MISSED),
        next_session=next_session,
        next_visit=upcoming[0] if upcoming else None,
        phase=phase_of(definition, next_session.number if next_session else max(attended, 1)),
        unbooked_sessions=tuple(n for n in range(1, course.session_count + 1) if n not in numbers)
        if active
        else (),
        unbooked_measurements=tuple(m.code for m in definition.measurements if m.code not in codes)
        if active
        else (),
    )
