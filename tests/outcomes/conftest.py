import pytest

from mesotrack.outcomes.models import TrichoscopyAnalysis
from tests.outcomes.factories import analysis, photo_consent


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its images in a fresh folder, so a test can count the files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def consented(cast):
    photo_consent(cast.patient, cast.nurse)
    return cast.patient


@pytest.fixture
def finished(cast, consented) -> TrichoscopyAnalysis:
    return analysis(cast.patient, cast.practitioner)


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
