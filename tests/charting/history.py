"""A long session history for the chart's query-count test (tests/chart_history.py)."""

from django.utils import timezone

from mesotrack.charting.models import InjectionRecord, TreatmentSession
from tests.conftest import Cast


def add(cast: Cast, entries: int) -> None:
    now = timezone.now()
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            patient=cast.patient,
            clinic=cast.clinic,
            modality="mesotherapy",
            practitioner=cast.practitioner,
            checked_in_at=now,
            checked_in_by=cast.nurse,
            status="signed",
            signed_at=now,
            signed_by=cast.practitioner,
            pain_nrs=2,
        )
        for _ in range(entries)
    )
    InjectionRecord.objects.bulk_create(
        InjectionRecord(
            session=session,
            zone="vertex",
            technique="nappage",
            volume_ml="1.00",
            depth_mm="2",
            needle="32G × 4 mm",
        )
        for session in sessions
    )
