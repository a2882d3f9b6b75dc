"""Properties of the scheduling engine, for any calendar and any sequence of missed visits.

- No two sessions closer than the modality's minimum interval.
- Every visit inside its window, and every window where the protocol's rule puts it.
- Every measurement visit of the protocol kept (attended or booked) after any sequence of misses.
- Never outside opening hours, on a closure, or on a slot the practitioner or chair already has.
"""

import datetime as dt
from dataclasses import dataclass, field

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import shipped_protocols
from mesotrack.courses.scheduling import (
    ClinicCalendar,
    CoursePattern,
    MeasurementSpec,
    PractitionerDiary,
    ScheduleError,
    ScheduleRequest,
    Step,
    Visit,
    slot_starts,
)
from tests.courses.calendars import LONDON, busy_with, clinic, week

START = dt.date(2026, 1, 5)
PROTOCOLS = sorted(shipped_protocols())


@st.composite
def patterns(draw: st.DrawFn) -> CoursePattern:
    minimum = draw(st.sampled_from([7, 7, 14, 28]))
    steps = []
    for phase in draw(
        st.lists(
            st.sampled_from(["induction", "consolidation", "maintenance"]), min_size=1, max_size=4
        )
    ):
        interval = draw(st.integers(minimum, 120))
        steps.append(
            Step(
                phase,
                draw(st.integers(1, 5)),
                interval,
                draw(st.integers(0, interval - minimum)),
                draw(st.integers(0, 14)),
            )
        )
    measurements = [MeasurementSpec("baseline", "Baseline", 0, 0, 0, with_first_session=True)]
    for index, offset in enumerate(draw(st.lists(st.integers(14, 400), max_size=3, unique=True))):
        measurements.append(MeasurementSpec(f"review_{index}", "Review", offset, 14, 14))
    return CoursePattern(
        steps=tuple(steps),
        measurements=tuple(measurements),
        min_interval_days=minimum,
        session_minutes=draw(st.sampled_from([15, 30, 45, 60])),
        measurement_minutes=draw(st.sampled_from([15, 30])),
    )


shipped = st.sampled_from(PROTOCOLS).map(lambda code: shipped_protocols()[code].pattern())


@st.composite
def calendars(draw: st.DrawFn) -> ClinicCalendar:
    open_days = draw(st.sets(st.integers(0, 6), min_size=2, max_size=7))
    closures = draw(st.lists(st.integers(0, 500), max_size=25))
    return clinic(
        opening={day: week(range(7), saturday=False)[day] for day in open_days},
        closures=tuple(START + dt.timedelta(days=offset) for offset in closures),
        chairs=tuple(range(1, draw(st.integers(1, 3)) + 1)),
    )


@st.composite
def busy_slots(draw: st.DrawFn) -> frozenset[dt.datetime]:
    hours = draw(st.lists(st.tuples(st.integers(0, 500), st.integers(9, 16)), max_size=60))
    return frozenset(
        slot
        for day, hour in hours
        for slot in slot_starts(
            dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), tzinfo=LONDON), 60
        )
    )


@dataclass
class Course:
    """A course as the clinic lives it: visits attended, visits still booked."""

    pattern: CoursePattern
    clinic: ClinicCalendar
    outside_busy: frozenset[dt.datetime]
    attended: list[Visit] = field(default_factory=list)
    booked: list[Visit] = field(default_factory=list)
    placed: list[tuple[Visit, dt.date | None]] = field(default_factory=list)

    def plan(self, earliest: dt.date, kept_sessions: list[Visit], kept_codes: set[str]) -> None:
        kept = self.attended + self.booked
        busy, chairs = busy_with(kept)
        request = ScheduleRequest(
            pattern=self.pattern,
            anchor=START,
            earliest=earliest,
            not_before=dt.datetime.combine(earliest, dt.time(0), tzinfo=LONDON),
            preferred_time=dt.time(10),
            kept_session_days=tuple(visit.day for visit in kept_sessions),
            kept_measurements=frozenset(kept_codes),
        )
        calendar = ClinicCalendar(
            timezone=self.clinic.timezone,
            opening=self.clinic.opening,
            closures=self.clinic.closures,
            chairs=self.clinic.chairs,
            chair_busy=chairs,
        )
        new = plan_course(request, calendar, PractitionerDiary(busy=busy | self.outside_busy))
        previous = kept_sessions[-1].day if kept_sessions else None
        for visit in new:
            self.placed.append((visit, previous if visit.kind == "session" else None))
            if visit.kind == "session":
                previous = visit.day
        self.booked = sorted(self.booked + list(new), key=lambda v: v.starts_at)

    def miss(self, index: int, delay: int) -> None:
        """The patient misses the booked visit at `index`; earlier ones were attended."""
        missed = self.booked[index]
        self.attended += self.booked[:index]
        later = self.booked[index + 1 :]
        earliest = missed.day + dt.timedelta(days=delay)
        if missed.kind == "session":
            self.booked = [visit for visit in later if visit.kind == "measurement"]
            kept_sessions = [visit for visit in self.attended if visit.kind == "session"]
        else:
            self.booked = later
            kept_sessions = sorted(
                (v for v in self.attended + self.booked if v.kind == "session"),
                key=lambda v: v.number,
            )
        kept_codes = {v.code for v in self.attended + self.booked if v.kind == "measurement"}
        self.plan(earliest, kept_sessions, kept_codes)

    def all_visits(self) -> list[Visit]:
        return self.attended + self.booked


def check(course: Course) -> None:
    pattern = course.pattern
    visits = course.all_visits()
    sessions = sorted((v for v in visits if v.kind == "session"), key=lambda v: v.number)
    assert [v.number for v in sessions] == list(range(1, pattern.session_count + 1))
    for before, after in zip(sessions, sessions[1:], strict=False):
        assert (after.day - before.day).days >= pattern.min_interval_days
    codes = sorted(v.code for v in visits if v.kind == "measurement")
    assert codes == sorted(spec.code for spec in pattern.measurements)
    for visit, previous in course.placed:
        assert visit.day in visit.window
        check_window(pattern, visit, previous)
    check_no_overlap(course, visits)


def check_window(pattern: CoursePattern, visit: Visit, previous: dt.date | None) -> None:
    window = visit.window
    if visit.kind == "session" and previous is not None:
        step = pattern.step_of(visit.number)
        assert window.earliest >= previous + dt.timedelta(days=pattern.min_interval_days)
        if not window.late:
            target = previous + dt.timedelta(days=step.interval_days)
            assert window.earliest >= target - dt.timedelta(days=step.window_before_days)
            assert window.latest == target + dt.timedelta(days=step.window_after_days)
    elif visit.kind == "measurement" and not window.late and visit.code != "baseline":
        spec = pattern.measurement(visit.code)
        target = START + dt.timedelta(days=spec.day_offset)
        assert window.earliest >= target - dt.timedelta(days=spec.window_before_days)
        assert window.latest == target + dt.timedelta(days=spec.window_after_days)


def check_no_overlap(course: Course, visits: list[Visit]) -> None:
    practitioner: set[dt.datetime] = set()
    chairs: set[tuple[dt.datetime, int]] = set()
    for visit in visits:
        local = visit.starts_at.astimezone(LONDON)
        assert local.date() not in course.clinic.closures
        periods = course.clinic.opening[local.weekday()]
        assert any(
            p.starts <= local.time() and (visit.ends_at.astimezone(LONDON)).time() <= p.ends
            for p in periods
        )
        minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
        for slot in slot_starts(visit.starts_at, minutes):
            assert slot not in practitioner and slot not in course.outside_busy
            assert (slot, visit.chair) not in chairs
            practitioner.add(slot)
            chairs.add((slot, visit.chair))


def live(course: Course, misses: list[tuple[int, int]]) -> None:
    course.plan(START, [], set())
    check(course)
    for position, delay in misses:
        if not course.booked:
            break
        course.miss(position % len(course.booked), delay)
        check(course)


MISSES = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=6)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pattern=shipped, misses=MISSES)
def test_shipped_protocols_always_fit_an_ordinary_clinic_week(pattern, misses) -> None:
    live(Course(pattern, clinic(), frozenset()), misses)


@SETTINGS
@given(
    pattern=st.one_of(shipped, patterns()), calendar=calendars(), busy=busy_slots(), misses=MISSES
)
def test_any_schedule_keeps_every_rule_or_says_why_it_cannot(
    pattern, calendar, busy, misses
) -> None:
    course = Course(pattern, calendar, busy)
    try:
        live(course, misses)
        event("planned every visit")
    except ScheduleError as error:
        event("refused: no room")
        assert error.message.startswith("No free time for ")
        check_partial(course)


def check_partial(course: Course) -> None:
    """A refused re-plan leaves what was booked before it untouched and still valid."""
    for visit, previous in course.placed:
        assert visit.day in visit.window
        check_window(course.pattern, visit, previous)
    check_no_overlap(course, course.all_visits())
