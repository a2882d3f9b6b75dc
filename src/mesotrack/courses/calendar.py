"""Day and week calendars of a clinic or one practitioner, built in a fixed number of queries
whatever the number of practitioners and appointments."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from mesotrack.accounts.models import Clinic, Membership, User
from mesotrack.courses.diaries import clinic_timezone, day_bounds
from mesotrack.courses.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
)
from mesotrack.courses.roles import PERFORMING_ROLES
from mesotrack.courses.scheduling import SLOT_MINUTES

SHOWN = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED)
DEFAULT_HOURS = (dt.time(8), dt.time(18))


@dataclass
class Cell:
    kind: str  # "appointment" | "open" | "closed" | "covered"
    appointment: Appointment | None = None
    rowspan: int = 1


@dataclass
class Row:
    time: dt.time
    cells: list[Cell] = field(default_factory=list)


@dataclass
class DayCalendar:
    clinic: Clinic
    day: dt.date
    practitioners: list[User]
    rows: list[Row]
    closure: str
    appointments: list[Appointment]
    not_shown: list[Appointment]  # missed or cancelled that day

    @property
    def booked(self) -> int:
        return sum(1 for a in self.appointments if a.status == AppointmentStatus.BOOKED)


@dataclass
class WeekCalendar:
    clinic: Clinic
    days: list[dt.date]
    closures: dict[dt.date, str]
    # practitioner → one list of appointments per day
    lines: list[tuple[User, list[list[Appointment]]]]
    appointments: list[Appointment]


def treating_staff(*, clinic: Clinic, practitioner_id: int | None = None) -> list[User]:
    """The clinic's practitioners and nurses (one query)."""
    memberships = Membership.objects.filter(
        clinic=clinic, is_active=True, role__in=PERFORMING_ROLES
    ).select_related("user")
    if practitioner_id is not None:
        memberships = memberships.filter(user_id=practitioner_id)
    return sorted((m.user for m in memberships), key=lambda u: u.get_full_name() or u.username)


def _appointments(
    clinic: Clinic, first: dt.date, last: dt.date, ids: list[int]
) -> list[Appointment]:
    starts, ends = day_bounds(first, last)
    return list(
        Appointment.objects.filter(
            clinic=clinic, practitioner_id__in=ids, starts_at__gte=starts, starts_at__lt=ends
        )
        .exclude(status=AppointmentStatus.RESCHEDULED)
        .select_related("patient", "chair")
        .order_by("starts_at", "id")
    )


def _closures(clinic: Clinic, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    found = {}
    for closure in Closure.objects.filter(clinic=clinic, ends_on__gte=first, starts_on__lte=last):
        day = max(closure.starts_on, first)
        while day <= min(closure.ends_on, last):
            found[day] = closure.reason
            day += dt.timedelta(days=1)
    return found


def _times(
    periods: list[tuple[dt.time, dt.time]], appointments: list[Appointment]
) -> list[dt.time]:
    tz = clinic_timezone()
    starts = [p[0] for p in periods] + [a.starts_at.astimezone(tz).time() for a in appointments]
    ends = [p[1] for p in periods] + [a.ends_at.astimezone(tz).time() for a in appointments]
    first = min(starts, default=DEFAULT_HOURS[0])
    last = max(ends, default=DEFAULT_HOURS[1])
    moment = dt.datetime.combine(
        dt.date(2000, 1, 1), first.replace(minute=first.minute - first.minute % SLOT_MINUTES)
    )
    times = []
    while moment.time() < last and moment.date() == dt.date(2000, 1, 1):
        times.append(moment.time())
        moment += dt.timedelta(minutes=SLOT_MINUTES)
    return times


def _working(
    day: dt.date,
    opening: list[tuple[dt.time, dt.time]],
    hours: list[tuple[dt.time, dt.time]] | None,
    away: bool,
    closed: bool,
) -> list[tuple[dt.time, dt.time]]:
    if closed or away:
        return []
    if hours is None:
        return opening
    return [(max(a, c), min(b, d)) for a, b in opening for c, d in hours if max(a, c) < min(b, d)]


def _column(
    times: list[dt.time], working: list[tuple[dt.time, dt.time]], appointments: list[Appointment]
) -> list[Cell]:
    tz = clinic_timezone()
    starting = {a.starts_at.astimezone(tz).time(): a for a in appointments}
    cells: list[Cell] = []
    covered = 0
    for time in times:
        if covered:
            cells.append(Cell("covered"))
            covered -= 1
            continue
        appointment = starting.get(time)
        if appointment is not None:
            span = max(1, appointment.minutes // SLOT_MINUTES)
            cells.append(Cell("appointment", appointment, span))
            covered = span - 1
            continue
        is_open = any(start <= time < end for start, end in working)
        cells.append(Cell("open" if is_open else "closed"))
    return cells


def day_calendar(
    *, clinic: Clinic, day: dt.date, practitioner_id: int | None = None
) -> DayCalendar:
    """Six queries: staff, appointments, opening hours, closures, practitioners' hours and
    leave; none per practitioner or appointment."""
    staff = treating_staff(clinic=clinic, practitioner_id=practitioner_id)
    ids = [u.pk for u in staff]
    appointments = _appointments(clinic, day, day, ids)
    shown = [a for a in appointments if a.status in SHOWN]
    opening = list(
        OpeningHours.objects.filter(clinic=clinic, weekday=day.weekday()).values_list(
            "opens", "closes"
        )
    )
    closure = _closures(clinic, day, day).get(day, "")
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    has_hours = set()
    for person, weekday, starts, ends in PractitionerHours.objects.filter(
        clinic=clinic, practitioner_id__in=ids
    ).values_list("practitioner_id", "weekday", "starts", "ends"):
        has_hours.add(person)
        if weekday == day.weekday():
            hours[person].append((starts, ends))
    away = set(
        PractitionerLeave.objects.filter(
            practitioner_id__in=ids, starts_on__lte=day, ends_on__gte=day
        ).values_list("practitioner_id", flat=True)
    )
    times = _times(opening, shown)
    by_person: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in shown:
        by_person[appointment.practitioner_id].append(appointment)
    columns = [
        _column(
            times,
            _working(
                day,
                opening,
                hours[u.pk] if u.pk in has_hours else None,
                u.pk in away,
                bool(closure),
            ),
            by_person[u.pk],
        )
        for u in staff
    ]
    rows = [Row(time, [column[i] for column in columns]) for i, time in enumerate(times)]
    return DayCalendar(
        clinic=clinic,
        day=day,
        practitioners=staff,
        rows=rows,
        closure=closure,
        appointments=shown,
        not_shown=[a for a in appointments if a.status not in SHOWN],
    )


def week_calendar(
    *, clinic: Clinic, monday: dt.date, practitioner_id: int | None = None
) -> WeekCalendar:
    """Three queries: staff, the week's appointments, closures."""
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    staff = treating_staff(clinic=clinic, practitioner_id=practitioner_id)
    appointments = [
        a
        for a in _appointments(clinic, days[0], days[-1], [u.pk for u in staff])
        if a.status in SHOWN
    ]
    tz = clinic_timezone()
    grid: dict[int, list[list[Appointment]]] = {u.pk: [[] for _ in days] for u in staff}
    for appointment in appointments:
        index = (appointment.starts_at.astimezone(tz).date() - monday).days
        grid[appointment.practitioner_id][index].append(appointment)
    return WeekCalendar(
        clinic=clinic,
        days=days,
        closures=_closures(clinic, days[0], days[-1]),
        lines=[(u, grid[u.pk]) for u in staff],
        appointments=appointments,
    )
