"""URL and API path arguments for the authorisation matrices: a session of the cast's patient
(checked in) and a follow-up call at the cast's clinic."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from mesotrack.charting.models import FollowUpCall, TreatmentSession
from tests.conftest import Cast


def _session(cast: Cast) -> TreatmentSession:
    existing = TreatmentSession.objects.filter(patient=cast.patient).first()
    if existing is not None:
        return existing
    return TreatmentSession.objects.create(
        patient=cast.patient,
        clinic=cast.clinic,
        modality="mesotherapy",
        practitioner=cast.practitioner,
        checked_in_at=timezone.now(),
        checked_in_by=cast.nurse,
    )


def _call(cast: Cast) -> int:
    now = timezone.now()
    call, _ = FollowUpCall.objects.get_or_create(
        session=_session(cast),
        kind="early",
        defaults={
            "patient": cast.patient,
            "clinic": cast.clinic,
            "due_from": now,
            "due_by": now,
        },
    )
    return call.pk


URL_ARGUMENTS: dict[str, Callable[[Cast], Any]] = {
    "session_id": lambda cast: _session(cast).pk,
    "call_id": _call,
}
API_ARGUMENTS = URL_ARGUMENTS
