"""The demo's signed sessions: charted, reconciled with their lots, within the stock held."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from mesotrack.charting import demo
from mesotrack.charting.models import FollowUpCall, SessionStatus, TreatmentSession
from mesotrack.core.demo import DemoContext
from mesotrack.courses.models import Appointment
from mesotrack.formulary.models import MovementKind, StockMovement
from tests.courses.factories import booked_course, clinic_week, live_sessions, move_to_the_past
from tests.formulary.factories import lot, recipe

pytestmark = pytest.mark.django_db


def _context(cast) -> DemoContext:
    return DemoContext(
        rng=random.Random(3),
        today=timezone.localdate(),
        organisation=cast.clinic.organisation,
        clinics={"a": cast.clinic, "b": cast.other_clinic},
        users={
            "manager": cast.manager,
            "doctor": cast.practitioner,
            "nurse": cast.nurse,
            "reception": cast.receptionist,
            "doctor2": cast.other_practitioner,
            "patient": cast.patient_user,
        },
        patients=[cast.patient],
        profiles={},
        progress=lambda line: None,
    )


def test_demo_sessions_are_signed_reconciled_and_respect_stock(cast) -> None:
    recipe(cast)  # dutasteride 1 mL + saline 1 mL
    # Received yesterday: just after midnight, sessions "3 hours ago" fall on the day before.
    lot(cast, "Dutasteride 0.01% solution", number="DUT-1", quantity="1", received_days_ago=1)
    lot(cast, "Sodium chloride 0.9%", number="NS-1", quantity="10", received_days_ago=1)
    clinic_week(cast.clinic)
    course = booked_course(cast.patient, cast.practitioner)
    first, second = live_sessions(course)[:2]
    for hours, appointment in ((3, first), (1, second)):
        move_to_the_past(appointment, hours=hours)
        Appointment.objects.filter(pk=appointment.pk).update(status="attended")

    demo.seed(_context(cast))

    # One mL of dutasteride was held: only the first session could be given.
    session = TreatmentSession.objects.get()
    assert session.appointment_id == first.pk
    assert session.status == SessionStatus.SIGNED
    injected = session.injections.aggregate(total=Sum("volume_ml"))["total"]
    drawn = session.lot_uses.aggregate(total=Sum("volume_ml"))["total"]
    assert injected == drawn == Decimal("2.00")
    assert sorted(session.injections.values_list("zone", flat=True)) == ["mid_scalp", "vertex"]
    uses = StockMovement.objects.filter(kind=MovementKind.USE, session_ref=session.session_ref)
    assert uses.count() == 2
    for row in StockMovement.objects.values("lot_id").annotate(total=Sum("quantity")):
        assert row["total"] >= 0
    assert FollowUpCall.objects.filter(session=session).count() == 2
