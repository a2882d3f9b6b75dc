import random
from decimal import Decimal

from django.utils import timezone

from mesotrack.core.demo import DemoContext, DemoPatientProfile
from mesotrack.formulary import demo, selectors
from mesotrack.formulary.models import Lot, LotStatus, PreparedBatch, Recipe, StockMovement
from mesotrack.formulary.selectors import lot_on_hand
from tests.factories import PatientFactory


def _context(cast, seed: int = 7) -> DemoContext:
    patients = [PatientFactory(clinic=cast.clinic) for _ in range(30)]
    patients += [PatientFactory(clinic=cast.other_clinic) for _ in range(10)]
    stories = ["male_pattern", "female_pattern", "telogen_effluvium"]
    return DemoContext(
        rng=random.Random(seed),
        today=timezone.localdate(),
        organisation=cast.clinic.organisation,
        clinics={"LDS": cast.clinic, "YRK": cast.other_clinic},
        users={
            "manager": cast.manager,
            "doctor": cast.practitioner,
            "nurse": cast.nurse,
            "reception": cast.receptionist,
            "doctor2": cast.other_practitioner,
            "patient": cast.patient_user,
        },
        patients=patients,
        profiles={
            p.pk: DemoPatientProfile(hair_loss=stories[i % 3], onset_years_ago=2)
            for i, p in enumerate(patients)
        },
        progress=lambda line: None,
    )


def test_the_demo_stocks_both_clinics_and_no_lot_goes_below_zero(cast):
    demo.seed(_context(cast))
    lots = list(Lot.objects.all())
    assert {lot.clinic for lot in lots} == {cast.clinic, cast.other_clinic}
    for lot in lots:
        balance = Decimal(0)
        for movement in lot.movements.order_by("id"):
            balance += movement.quantity
            assert balance >= 0, lot
    assert StockMovement.objects.filter(kind="use", patient__isnull=False).count() > 50


def test_the_demo_has_a_lot_near_expiry_an_expired_one_and_a_recalled_one_with_patients(cast):
    demo.seed(_context(cast))
    expiring = selectors.lots_expiring(user=cast.manager)
    assert any(s.status == LotStatus.ACTIVE and s.days_left == 12 for s in expiring)
    recalled = Lot.objects.get(status=LotStatus.RECALLED)
    assert recalled.status_reason.startswith("Supplier recall notice")
    entries = selectors.lot_recall_list(user=cast.manager, lot=recalled)
    assert len(entries) >= 12
    assert all(e.session_ref.startswith("demo:") for e in entries)
    assert lot_on_hand(lot=recalled) == 0
    expired = selectors.lots_expiring(user=cast.other_practitioner)
    assert any(s.status == LotStatus.EXPIRED and s.on_hand > 0 for s in expired)


def test_the_demo_has_recipes_with_versions_and_a_batch_partly_given(cast):
    demo.seed(_context(cast))
    recipes = {r.name: r.versions.count() for r in Recipe.objects.all()}
    assert recipes["Dutasteride 0.01% + saline"] == 2 and recipes["PRP 6 mL"] == 1
    batch = PreparedBatch.objects.get()
    assert batch.prepared_syringes.filter(status="used").count() == 3
    assert batch.movements.count() == 4
