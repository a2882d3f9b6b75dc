import pytest

from mesotrack.assessment.models import Assessment
from tests.assessment.factories import draft_assessment, signed_assessment


@pytest.fixture
def draft(cast) -> Assessment:
    return draft_assessment(cast.patient, cast.nurse)


@pytest.fixture
def signed(cast, draft) -> Assessment:
    return signed_assessment(cast.patient, cast.practitioner)
