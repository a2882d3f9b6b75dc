import pytest

from tests.api.conftest import api_for  # noqa: F401 — the API tests' client fixture
from tests.conftest import Cast
from tests.courses.factories import clinic_week


@pytest.fixture
def clinic_time(cast: Cast) -> None:
    """Both clinics open an ordinary week with two chairs each."""
    clinic_week(cast.clinic)
    clinic_week(cast.other_clinic)
