"""URL and API arguments for the authorisation matrices (tests/test_authorisation_matrix.py and
tests/api/test_api_matrix.py)."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from mesotrack.outcomes.models import ClinicalPhoto, MeasurementVisit, TrichoscopyAnalysis
from tests.conftest import Cast
from tests.outcomes.factories import analysis, photo, photo_consent, visit


def _consented(cast: Cast) -> None:
    from mesotrack.consent.models import SignedConsent

    if not SignedConsent.objects.filter(patient=cast.patient, kind="clinical_photography").exists():
        photo_consent(cast.patient, cast.nurse)


def _visit(cast: Cast) -> int:
    existing = MeasurementVisit.objects.filter(patient=cast.patient).first()
    if existing:
        return existing.pk
    return visit(cast.patient, cast.nurse, timezone.localdate(), hair_count_60s=20).pk


def _photo(cast: Cast) -> int:
    existing = ClinicalPhoto.objects.filter(patient=cast.patient).first()
    if existing:
        return existing.pk
    _consented(cast)
    return photo(cast.patient, cast.nurse).pk


def _analysis(cast: Cast) -> int:
    existing = TrichoscopyAnalysis.objects.filter(patient=cast.patient).first()
    if existing:
        return existing.pk
    _consented(cast)
    return analysis(cast.patient, cast.nurse).pk


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "visit_id": _visit,
    "photo_id": _photo,
    "analysis_id": _analysis,
    "clinic_id": lambda cast: cast.clinic.pk,
}
API_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "visit_id": _visit,
    "photo_id": _photo,
    "analysis_id": _analysis,
}
