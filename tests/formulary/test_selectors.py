import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mesotrack.accounts.models import Role
from mesotrack.formulary import selectors, services
from mesotrack.formulary.models import Lot, Product
from tests.factories import ClinicFactory, OrganisationFactory, staff_user
from tests.formulary.factories import lot, product


def test_fefo_picks_the_usable_lot_that_expires_first_and_holds_enough(cast):
    lot(cast, number="LATE", expires_in_days=300)
    soon = lot(cast, number="SOON", expires_in_days=40, quantity="2")
    sooner = lot(cast, number="SOONER", expires_in_days=20)
    lot(
        cast,
        number="OTHER",
        expires_in_days=5,
        clinic=cast.other_clinic,
        actor=cast.other_practitioner,
    )
    services.lot_quarantine(actor=cast.manager, lot=sooner, reason="Check")
    dutasteride = product(cast)
    assert selectors.fefo_lot(clinic=cast.clinic, product=dutasteride) == soon
    assert (
        selectors.fefo_lot(clinic=cast.clinic, product=dutasteride, quantity=Decimal(3)).lot_number
        == "LATE"
    )
    later = timezone.localdate() + dt.timedelta(days=41)
    assert (
        selectors.fefo_lot(clinic=cast.clinic, product=dutasteride, on=later).lot_number == "LATE"
    )


def test_fefo_skips_empty_and_expired_lots(cast):
    empty = lot(cast, number="EMPTY", expires_in_days=10, quantity="1")
    services.stock_waste(actor=cast.nurse, lot=empty, quantity="1", reason="Broken")
    old = lot(cast, number="OLD", expires_in_days=30)
    Lot.objects.filter(pk=old.pk).update(expiry_date=timezone.localdate() - dt.timedelta(days=1))
    assert selectors.fefo_lot(clinic=cast.clinic, product=product(cast)) is None


def test_expiry_warnings_follow_each_clinics_window(cast):
    lot(cast, number="IN-25", expires_in_days=25)
    lot(cast, number="IN-40", expires_in_days=40)
    empty = lot(cast, number="EMPTY-5", expires_in_days=5, quantity="1")
    services.stock_waste(actor=cast.nurse, lot=empty, quantity="1", reason="Broken")
    gone = lot(cast, number="GONE", expires_in_days=10)
    Lot.objects.filter(pk=gone.pk).update(expiry_date=timezone.localdate() - dt.timedelta(days=2))
    assert [s.lot.lot_number for s in selectors.lots_expiring(user=cast.nurse)] == ["GONE", "IN-25"]
    services.formulary_settings_set(actor=cast.manager, clinic=cast.clinic, expiry_warning_days=45)
    warned = selectors.lots_expiring(user=cast.nurse)
    assert [(s.lot.lot_number, s.status) for s in warned] == [
        ("GONE", "expired"),
        ("IN-25", "active"),
        ("IN-40", "active"),
    ]
    assert selectors.lots_expiring(user=cast.other_practitioner) == []


def test_the_overview_shows_usable_stock_and_the_lot_to_use_first_per_clinic(cast):
    lot(cast, number="A", expires_in_days=100, quantity="10")
    quarantined = lot(cast, number="B", expires_in_days=50, quantity="5")
    services.lot_quarantine(actor=cast.manager, lot=quarantined, reason="Check")
    product(cast, "Sodium chloride 0.9%")
    overview = {row.product.name: row for row in selectors.formulary_overview(user=cast.nurse)}
    leeds = overview["Dutasteride 0.01% solution"].clinics[0]
    assert (leeds.clinic, leeds.on_hand, leeds.usable, leeds.suggested.lot.lot_number) == (
        cast.clinic,
        Decimal(15),
        Decimal(10),
        "A",
    )
    assert overview["Sodium chloride 0.9%"].clinics[0].suggested is None


def test_the_overview_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for number in range(12):
        name = ["Dutasteride 0.01% solution", "Minoxidil 0.5% solution", "Biotin vial"][number % 3]
        lot(cast, name, number=f"N{number}", expires_in_days=20 + number)
    with django_assert_max_num_queries(5):
        rows = selectors.formulary_overview(user=cast.manager)
        [line.ingredient_code for row in rows for line in row.product.composition.all()]


def test_another_organisations_products_and_lots_are_not_found(cast):
    elsewhere = ClinicFactory(organisation=OrganisationFactory(name="Southern Clinics"))
    stranger = staff_user(elsewhere, Role.PRACTITIONER, "stranger")
    held = lot(cast)
    with pytest.raises(Lot.DoesNotExist):
        selectors.lot_get_for_user(user=stranger, lot_id=held.pk)
    with pytest.raises(Product.DoesNotExist):
        selectors.product_get_for_user(user=stranger, product_id=held.product_id)
    assert selectors.lot_get_for_user(user=cast.other_practitioner, lot_id=held.pk) == held
    with pytest.raises(Lot.DoesNotExist):
        selectors.lot_get_for_user(user=cast.receptionist, lot_id=held.pk)


def test_the_ledger_hides_patients_of_clinics_the_reader_does_not_work_at(cast):
    held = lot(cast, quantity="5")
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="2", patient=cast.patient, session_ref="demo:7"
    )
    own = selectors.lot_ledger(user=cast.nurse, lot=held)
    assert [(line.movement.kind, line.balance, line.shows_patient) for line in own] == [
        ("receive", Decimal(5), False),
        ("use", Decimal(3), True),
    ]
    assert not selectors.lot_ledger(user=cast.other_practitioner, lot=held)[1].shows_patient


def test_on_hand_after_many_fractional_draws_is_exact_on_every_database(cast):
    held = lot(cast, number="A", quantity="100")
    for quantity in ["0.20"] * 20:  # summed as binary floats: 95.99999999999994
        services.stock_use(
            actor=cast.nurse, lot=held, quantity=quantity, patient=cast.patient, session_ref="t:1"
        )
    [row] = selectors.formulary_overview(user=cast.nurse)
    assert str(row.clinics[0].usable.normalize()) == "96"
