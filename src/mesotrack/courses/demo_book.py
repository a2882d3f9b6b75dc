"""The demo's diary: plans every demo course with the real scheduling engine against the
clinics' time, then decides what has happened by today (attended, missed, cancelled)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from mesotrack.core.demo import DemoContext
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import (
    Chair,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
)
from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import ProtocolDefinition, shipped_protocols
from mesotrack.courses.scheduling import (
    ClinicCalendar,
    Period,
    PractitionerDiary,
    ScheduleError,
    ScheduleRequest,
    Visit,
    slot_starts,
)
from mesotrack.formulary.models import RecipeVersion

if TYPE_CHECKING:
    from mesotrack.courses.demo import Spec

CANCEL_REASONS = [
    "Moved away from the area.",
    "Decided to try tablets instead.",
    "Pregnant: treatment stopped.",
    "Could not fit the visits around work.",
    "Headaches after the sessions; chose to stop.",
]
MISS_REASONS = [
    ("missed", "Did not come and did not call."),
    ("missed", "Forgot; apologised the next day."),
    ("cancelled", "Unwell: called the day before."),
    ("cancelled", "Car broke down: called in the morning."),
]


@dataclass
class Record:
    visit: Visit
    status: str
    reason: str = ""
    replaces: "Record | None" = None


@dataclass
class Planned:
    spec: "Spec"
    definition: ProtocolDefinition
    version: RecipeVersion
    records: list[Record] = field(default_factory=list)
    status: str = "planned"
    cancelled_at: dt.datetime | None = None
    cancellation_reason: str = ""

    def live_sessions(self) -> list[Visit]:
        return [
            r.visit
            for r in self.records
            if r.visit.kind == "session" and r.status in ("booked", "attended")
        ]


class DemoBook:
    """Every clinic's and practitioner's time, as the engine sees it, kept across courses."""

    def __init__(self, context: DemoContext, chairs: dict[str, list[Chair]]) -> None:
        self.context = context
        self.now = timezone.now()
        tz = clinic_timezone()
        self.clinics: dict[int, ClinicCalendar] = {}
        for code, clinic in context.clinics.items():
            opening: dict[int, list[Period]] = {}
            for row in OpeningHours.objects.filter(clinic=clinic):
                opening.setdefault(row.weekday, []).append(Period(row.opens, row.closes))
            self.clinics[clinic.pk] = ClinicCalendar(
                timezone=tz,
                opening={d: tuple(p) for d, p in opening.items()},
                closures=frozenset(
                    first + dt.timedelta(days=n)
                    for first, last in Closure.objects.filter(clinic=clinic).values_list(
                        "starts_on", "ends_on"
                    )
                    for n in range((last - first).days + 1)
                ),
                chairs=tuple(c.pk for c in chairs[code]),
                chair_busy={},
            )
        self.hours: dict[int, dict[int, list[Period]]] = {}
        for hours in PractitionerHours.objects.all():
            self.hours.setdefault(hours.practitioner_id, {}).setdefault(hours.weekday, []).append(
                Period(hours.starts, hours.ends)
            )
        self.leave: dict[int, set[dt.date]] = {}
        for away in PractitionerLeave.objects.all():
            day = away.starts_on
            while day <= away.ends_on:
                self.leave.setdefault(away.practitioner_id, set()).add(day)
                day += dt.timedelta(days=1)
        self.busy: dict[int, set[dt.datetime]] = {}

    def _diary(self, person: int) -> PractitionerDiary:
        hours = self.hours.get(person)
        return PractitionerDiary(
            availability={d: tuple(p) for d, p in hours.items()} if hours else None,
            days_off=frozenset(self.leave.get(person, ())),
            busy=self.busy.setdefault(person, set()),
        )

    def _claim(self, clinic_id: int, person: int, visit: Visit) -> None:
        minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
        chairs = self.clinics[clinic_id].chair_busy
        for slot in slot_starts(visit.starts_at, minutes):
            self.busy.setdefault(person, set()).add(slot)
            chairs.setdefault(slot, set()).add(visit.chair)  # type: ignore[attr-defined]

    def _run(self, spec: "Spec", request: ScheduleRequest) -> tuple[Visit, ...]:
        return plan_course(
            request, self.clinics[spec.patient.clinic_id], self._diary(spec.practitioner.pk)
        )

    def plan(self, spec: "Spec") -> Planned | None:
        definition = shipped_protocols()[spec.protocol]
        request = ScheduleRequest(
            pattern=definition.pattern(),
            anchor=spec.start,
            earliest=spec.start,
            preferred_time=spec.preferred,
        )
        try:
            visits = self._run(spec, request)
        except ScheduleError:
            return None
        # Courses planned more than four months before today used the recipe's first version.
        old = spec.start < self.context.today - dt.timedelta(days=120)
        planned = Planned(spec, definition, spec.versions[0] if old else spec.versions[-1])
        records = [Record(v, "") for v in visits]
        if spec.miss:
            records = self._miss(spec, request, records)
        planned.records = records
        self._outcome(planned)
        for record in planned.records:
            if record.status in ("booked", "attended"):
                self._claim(spec.patient.clinic_id, spec.practitioner.pk, record.visit)
        return planned

    def _miss(self, spec: "Spec", request: ScheduleRequest, records: list[Record]) -> list[Record]:
        """One past session missed; what followed it was re-planned from the next days."""
        past = [r for r in records if r.visit.kind == "session" and r.visit.ends_at < self.now]
        if len(past) < 3:
            return records
        missed = self.context.rng.choice(past[1:])
        status, reason = self.context.rng.choice(MISS_REASONS)
        number = missed.visit.number
        kept = [r for r in records if r.visit.kind == "measurement" or r.visit.number < number]
        for record in kept:
            self._claim(spec.patient.clinic_id, spec.practitioner.pk, record.visit)
        again = ScheduleRequest(
            pattern=request.pattern,
            anchor=request.anchor,
            earliest=missed.visit.day + dt.timedelta(days=self.context.rng.randint(1, 3)),
            preferred_time=request.preferred_time,
            kept_session_days=tuple(r.visit.day for r in kept if r.visit.kind == "session"),
            kept_measurements=frozenset(
                r.visit.code for r in kept if r.visit.kind == "measurement"
            ),
        )
        try:
            replanned = self._run(spec, again)
        except ScheduleError:
            return records
        finally:
            self._release(spec, kept)
        missed_record = Record(missed.visit, status, reason)
        new = [
            Record(v, "", replaces=missed_record if v.number == number else None) for v in replanned
        ]
        return sorted(kept + [missed_record] + new, key=lambda r: r.visit.starts_at)

    def _release(self, spec: "Spec", records: list[Record]) -> None:
        chairs = self.clinics[spec.patient.clinic_id].chair_busy
        for record in records:
            minutes = int((record.visit.ends_at - record.visit.starts_at).total_seconds() // 60)
            for slot in slot_starts(record.visit.starts_at, minutes):
                self.busy[spec.practitioner.pk].discard(slot)
                chairs.get(slot, set()).discard(record.visit.chair)  # type: ignore[attr-defined]

    def _outcome(self, planned: Planned) -> None:
        rng = self.context.rng
        sessions = [r for r in planned.records if r.visit.kind == "session" and not r.status]
        cancel_at = None
        if planned.spec.cancel and len(sessions) > 3 and sessions[2].visit.ends_at < self.now:
            cancel_at = sessions[rng.randint(2, len(sessions) - 2)].visit.starts_at - dt.timedelta(
                days=2
            )
            cancel_at = min(cancel_at, self.now - dt.timedelta(days=1))
            planned.status, planned.cancelled_at = "cancelled", cancel_at
            planned.cancellation_reason = rng.choice(CANCEL_REASONS)
        for record in planned.records:
            if record.status:
                continue
            if cancel_at is not None and record.visit.starts_at > cancel_at:
                record.status, record.reason = (
                    "cancelled",
                    f"Course cancelled: {planned.cancellation_reason}",
                )
            elif record.visit.ends_at <= self.now:
                record.status = "attended"
            else:
                record.status = "booked"
        if planned.status != "cancelled":
            attended = [
                r for r in planned.records if r.visit.kind == "session" and r.status == "attended"
            ]
            if len(attended) >= planned.definition.session_count:
                planned.status = "completed"
            elif attended:
                planned.status = "in_progress"
