"""Load the scheduling engine's plain inputs from the database: a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Set

from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.courses.models import (
    Chair,
    ChairSlot,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
    PractitionerSlot,
)
from mesotrack.courses.scheduling import (
    FIRST_SESSION_WINDOW_DAYS,
    LATE_MEASUREMENT_DAYS,
    ClinicCalendar,
    CoursePattern,
    Period,
    PractitionerDiary,
    Week,
)


def clinic_timezone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants from the start of `first` to the end of `last`, in the clinic's time."""
    tz = clinic_timezone()
    starts = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    ends = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return starts.astimezone(dt.UTC), ends.astimezone(dt.UTC)


def horizon_days(pattern: CoursePattern) -> int:
    """How far ahead a course's plan can reach: its longest possible span plus slack."""
    sessions = sum(
        step.sessions * (step.interval_days + step.window_after_days) for step in pattern.steps
    )
    measurements = max(
        (spec.day_offset + spec.window_after_days for spec in pattern.measurements), default=0
    )
    return max(sessions, measurements) + FIRST_SESSION_WINDOW_DAYS + LATE_MEASUREMENT_DAYS + 31


def _week(rows: Iterable[tuple[int, dt.time, dt.time]]) -> Week:
    week: dict[int, list[Period]] = defaultdict(list)
    for weekday, starts, ends in rows:
        week[weekday].append(Period(starts, ends))
    return {day: tuple(sorted(periods, key=lambda p: p.starts)) for day, periods in week.items()}


def _days(
    ranges: Iterable[tuple[dt.date, dt.date]], first: dt.date, last: dt.date
) -> frozenset[dt.date]:
    days = set()
    for starts_on, ends_on in ranges:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


class ChairsTaken(Mapping[dt.datetime, Set[int]]):
    """Slot start → chairs taken, read from the database one day at a time as the scheduling
    engine asks: a course looks at a few dozen days, not at every slot of its whole span."""

    def __init__(self, chair_ids: tuple[int, ...], ignore: list[int]) -> None:
        self.chair_ids = chair_ids
        self.ignore = ignore
        self.days: set[dt.date] = set()
        self.taken: dict[dt.datetime, set[int]] = defaultdict(set)

    def _load(self, day: dt.date) -> None:
        self.days.add(day)
        starts, ends = day_bounds(day, day)
        rows = ChairSlot.objects.filter(
            chair_id__in=self.chair_ids, starts_at__gte=starts, starts_at__lt=ends
        ).exclude(appointment_id__in=self.ignore)
        for slot_start, chair_id in rows.values_list("starts_at", "chair_id"):
            self.taken[slot_start].add(chair_id)

    def __getitem__(self, slot: dt.datetime) -> Set[int]:
        day = slot.astimezone(clinic_timezone()).date()
        if day not in self.days:
            self._load(day)
        if slot not in self.taken:
            raise KeyError(slot)
        return self.taken[slot]

    def __iter__(self) -> Iterator[dt.datetime]:
        return iter(list(self.taken))  # only the days loaded so far

    def __len__(self) -> int:
        return len(self.taken)


def clinic_calendar(
    *, clinic: Clinic, first: dt.date, last: dt.date, ignore_appointments: Iterable[int] = ()
) -> ClinicCalendar:
    """Opening hours, closures and active chairs (three queries); the chairs' booked slots
    are read a day at a time when the engine looks at that day."""
    opening = OpeningHours.objects.filter(clinic=clinic).values_list("weekday", "opens", "closes")
    closures = Closure.objects.filter(
        clinic=clinic, ends_on__gte=first, starts_on__lte=last
    ).values_list("starts_on", "ends_on")
    chairs = tuple(
        Chair.objects.filter(clinic=clinic, is_active=True)
        .order_by("name", "id")
        .values_list("pk", flat=True)
    )
    return ClinicCalendar(
        timezone=clinic_timezone(),
        opening=_week(opening),
        closures=_days(closures, first, last),
        chairs=chairs,
        chair_busy=ChairsTaken(chairs, list(ignore_appointments)),
    )


def practitioner_diary(
    *,
    clinic: Clinic,
    practitioner: User,
    first: dt.date,
    last: dt.date,
    ignore_appointments: Iterable[int] = (),
) -> PractitionerDiary:
    """The practitioner's hours at `clinic`, leave, and booked slots anywhere (three queries)."""
    starts, ends = day_bounds(first, last)
    hours = list(
        PractitionerHours.objects.filter(clinic=clinic, practitioner=practitioner).values_list(
            "weekday", "starts", "ends"
        )
    )
    leave = PractitionerLeave.objects.filter(
        practitioner=practitioner, ends_on__gte=first, starts_on__lte=last
    ).values_list("starts_on", "ends_on")
    busy = (
        PractitionerSlot.objects.filter(
            practitioner=practitioner, starts_at__gte=starts, starts_at__lt=ends
        )
        .exclude(appointment_id__in=list(ignore_appointments))
        .values_list("starts_at", flat=True)
    )
    return PractitionerDiary(
        availability=_week(hours) if hours else None,
        days_off=_days(leave, first, last),
        busy=frozenset(busy),
    )
