"""URL and API path arguments for the authorisation matrices: an adverse event of the cast's
patient (grade 1, so it blocks nothing)."""

from collections.abc import Callable
from typing import Any

from mesotrack.safety.models import AdverseEvent
from tests.conftest import Cast
from tests.safety.factories import adverse_event


def _event(cast: Cast) -> int:
    existing = AdverseEvent.objects.filter(patient=cast.patient).first()
    return (existing or adverse_event(cast.patient, cast.nurse)).pk


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {"adverse_event_id": _event}
API_ARGUMENTS = URL_ARGUMENTS
