"""Plain calendars for the scheduling engine's tests (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from mesotrack.courses.scheduling import (
    ClinicCalendar,
    Period,
    PractitionerDiary,
    Visit,
    slot_starts,
)

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = (Period(dt.time(9), dt.time(17, 30)),)
SATURDAY = (Period(dt.time(9), dt.time(13)),)


def week(days: range = range(5), saturday: bool = True) -> dict[int, tuple[Period, ...]]:
    opening = {day: WEEKDAYS for day in days}
    if saturday:
        opening[5] = SATURDAY
    return opening


def clinic(
    closures: tuple[dt.date, ...] = (), chairs: tuple[int, ...] = (1, 2), **changes: object
) -> ClinicCalendar:
    values: dict[str, object] = {
        "timezone": LONDON,
        "opening": week(),
        "closures": frozenset(closures),
        "chairs": chairs,
    }
    values.update(changes)
    return ClinicCalendar(**values)  # type: ignore[arg-type]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def busy_with(
    visits: list[Visit],
) -> tuple[frozenset[dt.datetime], dict[dt.datetime, frozenset[int]]]:
    """The practitioner's and chairs' busy slots that `visits` hold."""
    practitioner: set[dt.datetime] = set()
    chairs: dict[dt.datetime, set[int]] = {}
    for visit in visits:
        minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
        for slot in slot_starts(visit.starts_at, minutes):
            practitioner.add(slot)
            chairs.setdefault(slot, set()).add(visit.chair)
    return frozenset(practitioner), {slot: frozenset(taken) for slot, taken in chairs.items()}


def diary(**changes: object) -> PractitionerDiary:
    return PractitionerDiary(**changes)  # type: ignore[arg-type]
