"""URL arguments for tests/test_authorisation_matrix.py."""

from collections.abc import Callable
from typing import Any

from mesotrack.intake import services
from mesotrack.intake.models import Intake
from tests.conftest import Cast


def _version(cast: Cast) -> int:
    latest = Intake.objects.filter(patient=cast.patient).order_by("-version").first()
    if latest is None:
        latest = services.intake_start(actor=cast.practitioner, patient=cast.patient)
    return latest.version


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {"version": _version}
