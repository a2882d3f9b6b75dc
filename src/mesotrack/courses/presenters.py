"""HTML of the day calendar's grid, built in Python: a 40-practitioner day is 1,600 cells,
too many for the template language to loop over quickly. Everything shown is escaped."""

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from mesotrack.courses.calendar import Cell, DayCalendar
from mesotrack.courses.diaries import clinic_timezone

EMPTY = {"open": '<td class="open"></td>', "closed": '<td class="closed"></td>', "covered": ""}
_PATIENT, _COURSE = 987654321, 123456789


def course_url_maker() -> Callable[[int, int], str]:
    """The course page's address for (patient, course), reversing the route once."""
    template = reverse("courses:detail", args=[_PATIENT, _COURSE])

    def make(patient_id: int, course_id: int) -> str:
        return template.replace(str(_PATIENT), str(patient_id)).replace(
            str(_COURSE), str(course_id)
        )

    return make


def _appointment_cell(cell: Cell, url: Callable[[int, int], str], tz: dt.tzinfo) -> SafeString:
    a = cell.appointment
    assert a is not None  # noqa: S101 — an appointment cell always has one
    attended = " · attended" if a.status == "attended" else ""
    return format_html(
        '<td rowspan="{}" class="appt {} {}" data-testid="appointment">'
        '<a href="{}">{} {}</a><small>{} · {}{}</small></td>',
        cell.rowspan,
        a.kind,
        a.status,
        url(a.patient_id, a.course_id),
        a.starts_at.astimezone(tz).strftime("%H:%M"),
        a.patient.full_name,
        a.label,
        a.chair.name,
        attended,
    )


def day_grid_rows(calendar: DayCalendar) -> list[tuple[str, SafeString]]:
    """(time label, the row's cells as HTML) for each 15-minute row of the day."""
    url, tz = course_url_maker(), clinic_timezone()
    rows = []
    for index, row in enumerate(calendar.rows):
        label = row.time.strftime("%H:%M") if row.time.minute == 0 or index == 0 else ""
        cells = "".join(
            _appointment_cell(cell, url, tz) if cell.kind == "appointment" else EMPTY[cell.kind]
            for cell in row.cells
        )
        rows.append((label, mark_safe(cells)))  # noqa: S308 — each part escaped above
    return rows
