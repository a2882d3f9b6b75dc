"""Charting test data, made through the services: a consenting, screened patient and a session
taken step by step."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.charting import services
from mesotrack.charting.models import TreatmentSession
from mesotrack.formulary.models import Lot
from mesotrack.patients.models import Patient
from tests.assessment.factories import signed_intake
from tests.conftest import Cast
from tests.consent.factories import sign
from tests.formulary.factories import lot

NO_FACTS = {
    "reproductive": {},
    "allergies": [],
    "no_known_allergies": True,
    "medical_history": {"conditions": [], "notes": ""},
    "medications": [],
}


def ready_patient(cast: Cast, patient: Patient | None = None) -> Patient:
    """A patient with a signed intake (nothing to screen) and a valid mesotherapy consent."""
    patient = patient or cast.patient
    signed_intake(patient, cast.nurse, cast.practitioner, **NO_FACTS)
    sign(patient=patient, witness=cast.nurse)
    return patient


def checked_in(cast: Cast, patient: Patient | None = None) -> TreatmentSession:
    return services.session_check_in(
        actor=cast.nurse,
        patient=patient or cast.patient,
        practitioner=cast.practitioner,
        modality="mesotherapy",
    )


def checklist_done(session: TreatmentSession, actor: User, **numbing: object) -> TreatmentSession:
    return services.session_checklist_complete(
        actor=actor,
        session=session,
        identity_confirmed=True,
        today=services.TodayInput(pregnant=False),
        **numbing,  # type: ignore[arg-type]
    )


def in_procedure(cast: Cast, patient: Patient | None = None) -> TreatmentSession:
    patient = ready_patient(cast, patient)
    session = checklist_done(checked_in(cast, patient), cast.nurse)
    return services.session_procedure_start(actor=cast.practitioner, session=session)


def chart_zone(
    cast: Cast, session: TreatmentSession, zone: str = "vertex", volume: str = "1.00"
) -> None:
    services.injection_record_set(
        actor=cast.practitioner,
        session=session,
        zone=zone,
        technique="point_by_point",
        volume_ml=volume,
        depth_mm="4",
        needle="30G × 4 mm",
        points=20,
    )


def stocked_lot(cast: Cast, number: str = "L-001", quantity: str = "20", **kwargs: object) -> Lot:
    return lot(cast, number=number, quantity=quantity, **kwargs)  # type: ignore[arg-type]


def ready_to_sign(cast: Cast, volume: str = "2.00") -> tuple[TreatmentSession, Lot]:
    """A session with two zones charted, one lot drawn and the post-procedure record made."""
    session = in_procedure(cast)
    half = (Decimal(volume) / 2).quantize(Decimal("0.01"))
    chart_zone(cast, session, "vertex", str(half))
    chart_zone(cast, session, "mid_scalp", str(Decimal(volume) - half))
    used = stocked_lot(cast)
    services.lot_use_add(actor=cast.nurse, session=session, lot=used, volume_ml=volume)
    session = services.session_procedure_end(actor=cast.practitioner, session=session)
    session = services.session_post_procedure_record(
        actor=cast.practitioner, session=session, pain_nrs=3, immediate_reactions="Mild redness"
    )
    return session, used


def minutes_ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)
