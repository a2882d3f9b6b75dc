import datetime as dt

import pytest

from mesotrack.consent.validity import add_months, expiry_date


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (dt.date(2025, 3, 10), 12, dt.date(2026, 3, 10)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    ],
)
def test_it_adds_calendar_months_clamping_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_a_form_without_a_validity_period_never_lapses():
    assert expiry_date(dt.date(2025, 3, 10), None) is None
