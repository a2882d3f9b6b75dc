"""URL and API path arguments for the authorisation matrices: a booked course of the cast's
patient, one of its appointments, a published protocol and a (wrong) feed token."""

from collections.abc import Callable
from typing import Any

from mesotrack.courses.models import Appointment, OpeningHours, TreatmentCourse
from tests.conftest import Cast
from tests.courses.factories import booked_course, clinic_week


def course(cast: Cast) -> TreatmentCourse:
    existing = TreatmentCourse.objects.filter(patient=cast.patient).first()
    if existing is not None:
        return existing
    if not OpeningHours.objects.filter(clinic=cast.clinic).exists():
        clinic_week(cast.clinic)
    return booked_course(cast.patient, cast.practitioner)


def appointment(cast: Cast) -> Appointment:
    return course(cast).appointments.filter(kind="session").order_by("number").first()  # type: ignore[return-value]


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "course_id": lambda cast: course(cast).pk,
    "appointment_id": lambda cast: appointment(cast).pk,
    "protocol_code": lambda cast: "minoxidil_uzel",
    "feed_token": lambda cast: "not-a-calendar-token",
}
API_ARGUMENTS = URL_ARGUMENTS
