"""URL arguments for tests/test_authorisation_matrix.py."""

from collections.abc import Callable
from typing import Any

from mesotrack.assessment.models import Assessment
from tests.assessment.factories import draft_assessment, plan, signed_assessment
from tests.conftest import Cast


def _assessment(cast: Cast) -> int:
    latest = Assessment.objects.filter(patient=cast.patient).order_by("-id").first()
    return (latest or draft_assessment(cast.patient, cast.practitioner)).pk


def _plan(cast: Cast) -> int:
    return plan(signed_assessment(cast.patient, cast.practitioner), cast.practitioner).pk


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "assessment_id": _assessment,
    "plan_id": _plan,
    "clinic_id": lambda cast: cast.clinic.pk,
}
