"""Signed sessions and adverse events for the safety tests."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.charting.models import SessionLotUse, SessionStatus, TreatmentSession
from mesotrack.formulary.models import Lot, RecipeVersion
from mesotrack.patients.models import Patient
from mesotrack.safety import services
from mesotrack.safety.models import AdverseEvent
from mesotrack.safety.services import AdverseEventInput


def signed_session(
    patient: Patient,
    practitioner: User,
    *,
    when: dt.datetime | None = None,
    recipe_version: RecipeVersion | None = None,
    lots: tuple[Lot, ...] = (),
) -> TreatmentSession:
    """A session created already signed (no update of a signed row ever happens)."""
    moment = when or timezone.now() - dt.timedelta(days=2)
    session = TreatmentSession.objects.create(
        patient=patient,
        clinic_id=patient.clinic_id,
        modality="mesotherapy",
        recipe_version=recipe_version,
        practitioner=practitioner,
        status=SessionStatus.SIGNED,
        checked_in_at=moment - dt.timedelta(minutes=60),
        checked_in_by=practitioner,
        started_at=moment - dt.timedelta(minutes=30),
        ended_at=moment - dt.timedelta(minutes=10),
        signed_at=moment,
        signed_by=practitioner,
    )
    SessionLotUse.objects.bulk_create(
        SessionLotUse(
            session=session,
            lot=lot,
            volume_ml=Decimal("1.00"),
            signed_clinic_id=session.clinic_id,
            signed_at=moment,
        )
        for lot in lots
    )
    return session


def event_input(**overrides: object) -> AdverseEventInput:
    values: dict[str, object] = {
        "term": "bruising",
        "grade": 1,
        "onset_at": timezone.now() - dt.timedelta(hours=12),
        "causality": "probable",
        "outcome": "recovering",
    }
    values.update(overrides)
    return AdverseEventInput(**values)  # type: ignore[arg-type]


def adverse_event(
    patient: Patient,
    actor: User,
    session: TreatmentSession | None = None,
    **overrides: object,
) -> AdverseEvent:
    return services.adverse_event_create(
        actor=actor, patient=patient, session=session, data=event_input(**overrides)
    )
