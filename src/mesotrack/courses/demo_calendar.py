"""Demo clinic time: opening hours, chairs, England's bank holidays, practitioners' hours."""

import datetime as dt

from mesotrack.core.demo import DemoContext
from mesotrack.courses.models import (
    Chair,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
)

# weekday → periods, per clinic code
OPENING = {
    "LDS": {
        **{d: [(dt.time(8, 30), dt.time(18))] for d in (0, 1, 2, 4)},
        3: [(dt.time(8, 30), dt.time(19, 30))],  # late opening on Thursdays
        5: [(dt.time(9), dt.time(13))],
    },
    "YRK": {
        **{d: [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(17))] for d in (1, 2, 3, 4)},
        5: [(dt.time(9), dt.time(13))],
    },
}
CHAIRS = {"LDS": ["Room 1", "Room 2", "Room 3"], "YRK": ["Room 1", "Room 2"]}
# username → weekday → (starts, ends)
HOURS = {
    "doctor": {d: (dt.time(8, 30), dt.time(18)) for d in range(4)}
    | {4: (dt.time(8, 30), dt.time(13))},
    "nurse": {
        0: (dt.time(9), dt.time(17)),
        1: (dt.time(9), dt.time(17)),
        3: (dt.time(11), dt.time(19, 30)),
        4: (dt.time(9), dt.time(18)),
        5: (dt.time(9), dt.time(13)),
    },
}


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 — the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = ((h + l - 7 * m + 114) % 31) + 1
    return dt.date(year, month, day)


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


def bank_holidays(year: int) -> list[tuple[dt.date, str]]:
    """England and Wales, with weekend substitutes."""
    easter = _easter(year)
    new_year = dt.date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year = _monday_on_or_after(new_year)
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() >= 5:
        christmas = _monday_on_or_after(christmas)
        boxing = christmas + dt.timedelta(days=1)
    elif boxing.weekday() >= 5:
        boxing = _monday_on_or_after(boxing)
        if boxing == christmas:
            boxing += dt.timedelta(days=1)
    return [
        (new_year, "New Year's Day"),
        (easter - dt.timedelta(days=2), "Good Friday"),
        (easter + dt.timedelta(days=1), "Easter Monday"),
        (_monday_on_or_after(dt.date(year, 5, 1)), "Early May bank holiday"),
        (_last_monday(year, 5), "Spring bank holiday"),
        (_last_monday(year, 8), "Summer bank holiday"),
        (christmas, "Christmas Day"),
        (boxing, "Boxing Day"),
    ]


def seed_clinic_time(context: DemoContext) -> dict[str, list[Chair]]:
    """Opening hours, chairs, two years of bank holidays either side of today, and hours."""
    chairs: dict[str, list[Chair]] = {}
    years = range(context.today.year - 2, context.today.year + 3)
    for code, clinic in context.clinics.items():
        OpeningHours.objects.bulk_create(
            OpeningHours(clinic=clinic, weekday=day, opens=opens, closes=closes)
            for day, periods in OPENING[code].items()
            for opens, closes in periods
        )
        chairs[code] = Chair.objects.bulk_create(Chair(clinic=clinic, name=n) for n in CHAIRS[code])
        Closure.objects.bulk_create(
            Closure(clinic=clinic, starts_on=day, ends_on=day, reason=reason)
            for year in years
            for day, reason in bank_holidays(year)
            if not (day.month == 12 and day.day >= 24) and day.timetuple().tm_yday > 1
        )
        Closure.objects.bulk_create(
            Closure(
                clinic=clinic,
                starts_on=dt.date(year, 12, 24),
                ends_on=dt.date(year + 1, 1, 1),
                reason="Christmas and New Year",
            )
            for year in range(years.start - 1, years.stop)
        )
    leeds = context.clinics["LDS"]
    PractitionerHours.objects.bulk_create(
        PractitionerHours(
            clinic=leeds, practitioner=context.users[name], weekday=d, starts=s, ends=e
        )
        for name, week in HOURS.items()
        for d, (s, e) in week.items()
    )
    away = context.today + dt.timedelta(days=38 - context.today.weekday())
    PractitionerLeave.objects.create(
        clinic=leeds,
        practitioner=context.users["doctor"],
        starts_on=away,
        ends_on=away + dt.timedelta(days=4),
        reason="Conference",
    )
    return chairs
