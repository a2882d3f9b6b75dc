"""A long course history for the chart's query-count test (see tests/chart_history.py)."""

from mesotrack.courses.models import OpeningHours
from mesotrack.courses.services.appointments import (
    appointment_mark_attended,
    appointment_record_missed,
)
from mesotrack.courses.services.courses import course_cancel
from tests.conftest import Cast
from tests.courses.factories import booked_course, clinic_week, live_sessions, move_to_the_past


def add(cast: Cast, entries: int) -> None:
    if not OpeningHours.objects.filter(clinic=cast.clinic).exists():
        clinic_week(cast.clinic)
    for number in range(entries):
        course = booked_course(cast.patient, cast.practitioner, protocol="dutasteride_quarterly")
        first, second = live_sessions(course)[:2]
        appointment_mark_attended(
            actor=cast.nurse, appointment=move_to_the_past(first, 500 + number)
        )
        appointment_record_missed(
            actor=cast.nurse, appointment=move_to_the_past(second, 400 + number)
        )
        course_cancel(actor=cast.practitioner, course=course, reason=f"History {number}")
