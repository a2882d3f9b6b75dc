"""Course scheduling as pure functions over plain data: no database, no clock.

`plan_course` turns a protocol's pattern, the clinic's calendar and the practitioner's diary into
dated, timed visits. Sessions follow each other at the protocol's interval, inside its window
(e.g. 14 days, 3 days either side) and never closer than the modality's minimum interval;
measurement visits count from the course's first day and stay where they are when sessions move.
The services load the calendar from the database and book what comes out.
"""

import datetime as dt
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import Literal

SLOT_MINUTES = 15
# A new course's first session falls on its start date or, if that day is closed or full,
# within the week after it.
FIRST_SESSION_WINDOW_DAYS = 7
# A visit whose window has (nearly) passed when the course is re-planned comes as soon as
# possible: within this many days, or the protocol's window width if that is wider.
LATE_SESSION_DAYS = 3
LATE_MEASUREMENT_DAYS = 7

VisitKind = Literal["session", "measurement"]


@dataclass(frozen=True)
class Step:
    """`sessions` sessions, each `interval_days` after the previous one (window in days)."""

    phase: str
    sessions: int
    interval_days: int
    window_before_days: int
    window_after_days: int


@dataclass(frozen=True)
class MeasurementSpec:
    code: str
    label: str
    day_offset: int
    window_before_days: int
    window_after_days: int
    # The baseline: booked on the day of the first session, immediately before it.
    with_first_session: bool = False


@dataclass(frozen=True)
class CoursePattern:
    steps: tuple[Step, ...]
    measurements: tuple[MeasurementSpec, ...]
    min_interval_days: int
    session_minutes: int
    measurement_minutes: int = 30

    @property
    def session_count(self) -> int:
        return sum(step.sessions for step in self.steps)

    def step_of(self, number: int) -> Step:
        """The step session `number` (1-based) belongs to."""
        if number < 1:
            raise ValueError("Sessions are numbered from 1.")
        seen = 0
        for step in self.steps:
            seen += step.sessions
            if number <= seen:
                return step
        raise ValueError(f"This pattern has {self.session_count} sessions, not {number}.")

    def measurement(self, code: str) -> MeasurementSpec:
        return next(spec for spec in self.measurements if spec.code == code)


@dataclass(frozen=True)
class Period:
    starts: dt.time
    ends: dt.time


Week = Mapping[int, tuple[Period, ...]]  # by weekday, Monday = 0


@dataclass(frozen=True)
class ClinicCalendar:
    timezone: dt.tzinfo
    opening: Week
    closures: frozenset[dt.date] = frozenset()
    chairs: tuple[int, ...] = ()
    # Slot start (UTC) → chairs already taken during that slot.
    chair_busy: Mapping[dt.datetime, Set[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PractitionerDiary:
    # None: works whenever the clinic is open.
    availability: Week | None = None
    days_off: frozenset[dt.date] = frozenset()
    busy: Set[dt.datetime] = frozenset()  # slot starts (UTC) already taken


@dataclass(frozen=True)
class Window:
    earliest: dt.date
    target: dt.date
    latest: dt.date
    # The usual window had passed when the course was re-planned: the visit comes as soon as
    # possible instead.
    late: bool = False

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.earliest <= day <= self.latest

    def days(self) -> Iterator[dt.date]:
        """The target first, then later days, then earlier ones."""
        day = self.target
        while day <= self.latest:
            yield day
            day += dt.timedelta(days=1)
        day = self.target - dt.timedelta(days=1)
        while day >= self.earliest:
            yield day
            day -= dt.timedelta(days=1)


@dataclass(frozen=True)
class Visit:
    kind: VisitKind
    number: int  # session number, or the measurement's position in the protocol
    code: str  # the measurement's code ("" for a session)
    label: str
    phase: str
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    chair: int
    window: Window


@dataclass(frozen=True)
class ScheduleRequest:
    pattern: CoursePattern
    anchor: dt.date  # the course's first day; measurement visits count from it
    earliest: dt.date  # nothing is placed before this day
    not_before: dt.datetime | None = None  # nor before this moment (now)
    preferred_time: dt.time | None = None
    # Days of sessions 1..k that stay as they are (attended, or booked and not moving).
    kept_session_days: tuple[dt.date, ...] = ()
    kept_measurements: frozenset[str] = frozenset()
    # Rescheduling: the next session starts exactly here, or the request fails.
    pinned: dt.datetime | None = None
    # A clinician's override: the pinned session may fall outside its window, but never closer
    # than the minimum interval to the session before.
    pinned_outside_window: bool = False


class ScheduleError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def session_window(
    pattern: CoursePattern, number: int, previous: dt.date | None, earliest: dt.date
) -> Window:
    """Where session `number` may fall, given the previous session's day.

    A session whose usual window has passed (the patient missed it) comes as soon as possible
    after `earliest`, still never closer than the minimum interval to the one before.
    """
    if previous is None:
        return Window(earliest, earliest, earliest + dt.timedelta(days=FIRST_SESSION_WINDOW_DAYS))
    step = pattern.step_of(number)
    target = previous + dt.timedelta(days=step.interval_days)
    low = max(
        target - dt.timedelta(days=step.window_before_days),
        previous + dt.timedelta(days=pattern.min_interval_days),
    )
    high = target + dt.timedelta(days=step.window_after_days)
    width = step.window_before_days + step.window_after_days
    return _window(low, target, high, earliest, max(width, LATE_SESSION_DAYS))


def measurement_window(spec: MeasurementSpec, anchor: dt.date, earliest: dt.date) -> Window:
    """A measurement visit's window, counted from the course's first day."""
    target = anchor + dt.timedelta(days=spec.day_offset)
    low = target - dt.timedelta(days=spec.window_before_days)
    high = target + dt.timedelta(days=spec.window_after_days)
    width = spec.window_before_days + spec.window_after_days
    return _window(low, target, high, earliest, max(width, LATE_MEASUREMENT_DAYS))


def _window(
    low: dt.date, target: dt.date, high: dt.date, earliest: dt.date, late_width: int
) -> Window:
    if earliest <= low:
        return Window(low, target, high)
    # What is left of the window after `earliest` must still leave room to find a free day.
    if (high - earliest).days >= min(late_width, (high - low).days):
        return Window(earliest, max(target, earliest), high)
    return Window(earliest, earliest, earliest + dt.timedelta(days=late_width), late=True)


def _intersect(first: tuple[Period, ...], second: tuple[Period, ...]) -> list[Period]:
    found = []
    for a in first:
        for b in second:
            starts, ends = max(a.starts, b.starts), min(a.ends, b.ends)
            if starts < ends:
                found.append(Period(starts, ends))
    return sorted(found, key=lambda p: p.starts)


class Diary:
    """The clinic's and the practitioner's time, with what this plan has claimed so far."""

    def __init__(
        self, clinic: ClinicCalendar, practitioner: PractitionerDiary, not_before: dt.datetime
    ) -> None:
        self.clinic = clinic
        self.practitioner = practitioner
        self.not_before = not_before
        self.practitioner_busy = set(practitioner.busy)
        self.chair_claims: dict[dt.datetime, set[int]] = {}

    def periods(self, day: dt.date) -> list[Period]:
        if day in self.clinic.closures or day in self.practitioner.days_off:
            return []
        opening = tuple(self.clinic.opening.get(day.weekday(), ()))
        if self.practitioner.availability is None:
            return sorted(opening, key=lambda p: p.starts)
        return _intersect(opening, tuple(self.practitioner.availability.get(day.weekday(), ())))

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.clinic.timezone).astimezone(dt.UTC)

    def starts(
        self, day: dt.date, minutes: int, preferred: dt.time | None
    ) -> Iterator[dt.datetime]:
        """Every grid time on `day` where `minutes` fit inside one open period."""
        step = dt.timedelta(minutes=SLOT_MINUTES)
        length = dt.timedelta(minutes=minutes)
        candidates = []
        for period in self.periods(day):
            moment = self.at(day, period.starts)
            closes = self.at(day, period.ends)
            while moment + length <= closes:
                candidates.append(moment)
                moment += step
        if preferred is not None:
            wanted = self.at(day, preferred)
            if wanted in candidates:
                candidates.remove(wanted)
                candidates.insert(0, wanted)
        yield from (moment for moment in candidates if moment >= self.not_before)

    def within_hours(self, starts_at: dt.datetime, minutes: int) -> bool:
        local = starts_at.astimezone(self.clinic.timezone)
        ends = starts_at + dt.timedelta(minutes=minutes)
        for period in self.periods(local.date()):
            if self.at(local.date(), period.starts) <= starts_at and ends <= self.at(
                local.date(), period.ends
            ):
                return True
        return False

    def free_chair(self, starts_at: dt.datetime, minutes: int) -> int | None:
        """A chair free for the whole visit if the practitioner is free too, else None."""
        slots = slot_starts(starts_at, minutes)
        if any(slot in self.practitioner_busy for slot in slots):
            return None
        for chair in self.clinic.chairs:
            if all(
                chair not in self.clinic.chair_busy.get(slot, ())
                and chair not in self.chair_claims.get(slot, ())
                for slot in slots
            ):
                return chair
        return None

    def claim(self, starts_at: dt.datetime, minutes: int, chair: int) -> None:
        for slot in slot_starts(starts_at, minutes):
            self.practitioner_busy.add(slot)
            self.chair_claims.setdefault(slot, set()).add(chair)

    def release(self, starts_at: dt.datetime, minutes: int, chair: int) -> None:
        for slot in slot_starts(starts_at, minutes):
            self.practitioner_busy.discard(slot)
            self.chair_claims.get(slot, set()).discard(chair)


def slot_starts(starts_at: dt.datetime, minutes: int) -> list[dt.datetime]:
    """The grid slots a visit of `minutes` starting at `starts_at` occupies (UTC)."""
    first = starts_at.astimezone(dt.UTC)
    return [first + dt.timedelta(minutes=m) for m in range(0, minutes, SLOT_MINUTES)]


def on_grid(moment: dt.datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % SLOT_MINUTES == 0
