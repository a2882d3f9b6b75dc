"""`plan_course`: place a course's remaining visits in the clinic's and practitioner's time.

Pure: the caller passes the calendar (opening hours, closures, chairs and what is already
booked) and gets plain `Visit`s back, or a `ScheduleError` naming the visit that does not fit.
"""

import datetime as dt

from mesotrack.courses.scheduling import (
    ClinicCalendar,
    CoursePattern,
    Diary,
    MeasurementSpec,
    PractitionerDiary,
    ScheduleError,
    ScheduleRequest,
    Visit,
    Window,
    measurement_window,
    on_grid,
    session_window,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def session_label(number: int, pattern: CoursePattern) -> str:
    return f"Session {number} of {pattern.session_count}"


def _session(
    pattern: CoursePattern,
    number: int,
    starts_at: dt.datetime,
    chair: int,
    window: Window,
    tz: dt.tzinfo,
) -> Visit:
    return Visit(
        kind="session",
        number=number,
        code="",
        label=session_label(number, pattern),
        phase=pattern.step_of(number).phase,
        day=starts_at.astimezone(tz).date(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=pattern.session_minutes),
        chair=chair,
        window=window,
    )


def _measurement(
    pattern: CoursePattern,
    spec: MeasurementSpec,
    starts_at: dt.datetime,
    chair: int,
    window: Window,
    tz: dt.tzinfo,
) -> Visit:
    return Visit(
        kind="measurement",
        number=pattern.measurements.index(spec) + 1,
        code=spec.code,
        label=spec.label,
        phase="",
        day=starts_at.astimezone(tz).date(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=pattern.measurement_minutes),
        chair=chair,
        window=window,
    )


def _earlier(time: dt.time | None, minutes: int) -> dt.time | None:
    if time is None:
        return None
    moment = dt.datetime.combine(dt.date(2000, 1, 2), time) - dt.timedelta(minutes=minutes)
    return moment.time() if moment.date() == dt.date(2000, 1, 2) else None


def _no_room(what: str, window: Window) -> ScheduleError:
    return ScheduleError(
        f"No free time for {what} between {day_label(window.earliest)} and "
        f"{day_label(window.latest)}: the clinic is closed, the practitioner is away or fully "
        "booked, or every chair is taken."
    )


def _find(
    diary: Diary, window: Window, minutes: int, preferred: dt.time | None
) -> tuple[dt.datetime, int] | None:
    for day in window.days():
        for starts_at in diary.starts(day, minutes, preferred):
            chair = diary.free_chair(starts_at, minutes)
            if chair is not None:
                return starts_at, chair
    return None


def _find_pair(
    diary: Diary, window: Window, first: int, second: int, preferred: dt.time | None
) -> tuple[dt.datetime, int, int] | None:
    """Two visits back to back on one day (the baseline, then the first session)."""
    for day in window.days():
        for starts_at in diary.starts(day, first + second, preferred):
            chair = diary.free_chair(starts_at, first)
            if chair is None:
                continue
            diary.claim(starts_at, first, chair)
            then = starts_at + dt.timedelta(minutes=first)
            second_chair = diary.free_chair(then, second)
            diary.release(starts_at, first, chair)
            if second_chair is not None:
                return starts_at, chair, second_chair
    return None


def _check_pinned(
    diary: Diary,
    pinned: dt.datetime,
    minutes: int,
    window: Window,
    what: str,
    floor: dt.date | None = None,
) -> int:
    """The chair for a visit at exactly `pinned`, or ScheduleError saying why not.

    With a `floor` (a clinician's override) the window is not enforced, but the day still may
    not come before the floor: the minimum interval after the previous session.
    """
    local_day = pinned.astimezone(diary.clinic.timezone).date()
    if not on_grid(pinned):
        raise ScheduleError("Choose a start time on the quarter hour.")
    if floor is not None and local_day < floor:
        raise ScheduleError(
            f"{what} cannot come before {day_label(floor)}: sessions are never closer than "
            "the minimum interval."
        )
    if floor is None and local_day not in window:
        raise ScheduleError(
            f"{what} must fall between {day_label(window.earliest)} and {day_label(window.latest)}."
        )
    if pinned < diary.not_before:
        raise ScheduleError("That time has already passed.")
    if not diary.within_hours(pinned, minutes):
        raise ScheduleError("The clinic is closed or the practitioner is not working at that time.")
    chair = diary.free_chair(pinned, minutes)
    if chair is None:
        raise ScheduleError("The practitioner or every chair is already booked at that time.")
    return chair


class _Planner:
    def __init__(
        self, request: ScheduleRequest, clinic: ClinicCalendar, practitioner: PractitionerDiary
    ) -> None:
        self.request = request
        self.pattern = request.pattern
        self.tz = clinic.timezone
        self.diary = Diary(clinic, practitioner, request.not_before or EPOCH)
        self.preferred = request.preferred_time
        self.visits: list[Visit] = []

    def add(self, visit: Visit) -> Visit:
        self.diary.claim(
            visit.starts_at,
            int((visit.ends_at - visit.starts_at).total_seconds() // 60),
            visit.chair,
        )
        self.visits.append(visit)
        return visit

    def baseline(self) -> MeasurementSpec | None:
        return next(
            (
                spec
                for spec in self.pattern.measurements
                if spec.with_first_session and spec.code not in self.request.kept_measurements
            ),
            None,
        )

    def sessions(self) -> None:
        kept = self.request.kept_session_days
        previous = kept[-1] if kept else None
        first = len(kept) + 1
        for number in range(first, self.pattern.session_count + 1):
            earliest = self.request.earliest
            if previous is None:
                earliest = max(earliest, self.request.anchor)
            window = session_window(self.pattern, number, previous, earliest)
            pinned = self.request.pinned if number == first else None
            floor = None
            if pinned is not None and self.request.pinned_outside_window:
                floor = earliest
                if previous is not None:
                    floor = previous + dt.timedelta(days=self.pattern.min_interval_days)
            visit = self.session(number, window, pinned, floor)
            previous = visit.day
            if self.preferred is None:
                self.preferred = visit.starts_at.astimezone(self.tz).time()

    def session(
        self, number: int, window: Window, pinned: dt.datetime | None, floor: dt.date | None
    ) -> Visit:
        minutes = self.pattern.session_minutes
        baseline = self.baseline() if number == 1 else None
        what = session_label(number, self.pattern).lower()
        if baseline is not None:
            return self.session_after_baseline(baseline, window, pinned, floor)
        if pinned is not None:
            chair = _check_pinned(self.diary, pinned, minutes, window, what.capitalize(), floor)
            return self.add(_session(self.pattern, number, pinned, chair, window, self.tz))
        found = _find(self.diary, window, minutes, self.preferred)
        if found is None:
            raise _no_room(what, window)
        return self.add(_session(self.pattern, number, *found, window, self.tz))

    def session_after_baseline(
        self,
        spec: MeasurementSpec,
        window: Window,
        pinned: dt.datetime | None,
        floor: dt.date | None,
    ) -> Visit:
        first, second = self.pattern.measurement_minutes, self.pattern.session_minutes
        if pinned is not None:
            starts_at = pinned - dt.timedelta(minutes=first)
            what = "The baseline and session 1"
            chair = _check_pinned(self.diary, starts_at, first + second, window, what, floor)
            found: tuple[dt.datetime, int, int] | None = (starts_at, chair, chair)
        else:
            # The session itself keeps the preferred time; the baseline comes just before it.
            found = _find_pair(self.diary, window, first, second, _earlier(self.preferred, first))
        if found is None:
            raise _no_room("the baseline measurements and session 1", window)
        starts_at, chair, second_chair = found
        self.add(_measurement(self.pattern, spec, starts_at, chair, window, self.tz))
        then = starts_at + dt.timedelta(minutes=first)
        return self.add(_session(self.pattern, 1, then, second_chair, window, self.tz))

    def measurements(self) -> None:
        placed = {visit.code for visit in self.visits}
        for spec in self.pattern.measurements:
            if spec.code in self.request.kept_measurements or spec.code in placed:
                continue
            window = measurement_window(spec, self.request.anchor, self.request.earliest)
            found = _find(self.diary, window, self.pattern.measurement_minutes, self.preferred)
            if found is None:
                raise _no_room(spec.label.lower(), window)
            self.add(_measurement(self.pattern, spec, *found, window, self.tz))


def plan_course(
    request: ScheduleRequest, clinic: ClinicCalendar, practitioner: PractitionerDiary
) -> tuple[Visit, ...]:
    """The course's remaining sessions and measurement visits, in time order.

    Sessions 1..k of `request.kept_session_days` and the measurement visits in
    `request.kept_measurements` stay where they are (their slots are in the diaries' busy
    sets); everything else is placed from `request.earliest` on.
    """
    if not clinic.chairs:
        raise ScheduleError("The clinic has no treatment chairs: a manager adds them in settings.")
    if not any(clinic.opening.values()):
        raise ScheduleError("The clinic has no opening hours: a manager sets them in settings.")
    planner = _Planner(request, clinic, practitioner)
    planner.sessions()
    planner.measurements()
    return tuple(sorted(planner.visits, key=lambda visit: (visit.starts_at, visit.kind)))


def place_pinned(
    clinic: ClinicCalendar,
    practitioner: PractitionerDiary,
    *,
    starts_at: dt.datetime,
    minutes: int,
    window: Window,
    what: str,
    not_before: dt.datetime,
) -> int:
    """The chair for one visit moved to exactly `starts_at` (a measurement visit), or
    ScheduleError saying why it cannot go there."""
    return _check_pinned(Diary(clinic, practitioner, not_before), starts_at, minutes, window, what)


def free_starts(
    clinic: ClinicCalendar,
    practitioner: PractitionerDiary,
    *,
    window: Window,
    minutes: int,
    not_before: dt.datetime,
    limit: int,
) -> list[dt.datetime]:
    """Up to `limit` start times in `window` where the practitioner and a chair are free,
    earliest first, at least two hours apart on a day (a choice to offer, not every slot)."""
    diary = Diary(clinic, practitioner, not_before)
    found: list[dt.datetime] = []
    day = window.earliest
    while day <= window.latest and len(found) < limit:
        last: dt.datetime | None = None
        for starts_at in diary.starts(day, minutes, None):
            spread = last is None or starts_at - last >= dt.timedelta(hours=2)
            if spread and diary.free_chair(starts_at, minutes) is not None:
                found.append(starts_at)
                last = starts_at
                if len(found) >= limit:
                    break
        day += dt.timedelta(days=1)
    return found
