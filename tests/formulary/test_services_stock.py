import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services
from mesotrack.formulary.models import (
    AppendOnlyRecordError,
    Lot,
    LotStatus,
    MovementKind,
    StockMovement,
)
from mesotrack.formulary.selectors import lot_on_hand
from tests.formulary.factories import lot, product


def test_it_receives_a_new_lot_into_the_ledger_and_audits_it(cast):
    received = lot(cast, quantity="20.5", number=" DUT-24-07 ")
    assert (received.lot_number, received.clinic, received.status) == (
        "DUT-24-07",
        cast.clinic,
        LotStatus.ACTIVE,
    )
    assert received.received_on == timezone.localdate()
    movement = received.movements.get()
    assert (movement.kind, movement.quantity, movement.recorded_by) == (
        MovementKind.RECEIVE,
        Decimal("20.50"),
        cast.nurse,
    )
    assert lot_on_hand(lot=received) == Decimal("20.50")
    event = AuditEvent.objects.get(object_type="formulary.StockMovement")
    assert (event.action, event.clinic, event.actor) == ("create", cast.clinic, cast.nurse)
    assert event.detail["quantity"] == "20.50" and event.patient_id is None


def test_receiving_more_of_a_held_lot_adds_to_it(cast):
    first = lot(cast, quantity="10")
    again = lot(cast, quantity="5")
    assert again.pk == first.pk
    assert lot_on_hand(lot=first) == Decimal(15)


def test_it_refuses_a_held_lot_number_with_another_expiry_date(cast):
    held = lot(cast, quantity="10", expires_in_days=200)
    with pytest.raises(DomainError) as refused:
        lot(cast, quantity="5", expires_in_days=100)
    assert refused.value.field == "expiry_date"
    assert refused.value.message.startswith("Lot L-001 is already held here with expiry ")
    assert lot_on_hand(lot=held) == Decimal(10)


def test_it_refuses_stock_that_has_already_expired(cast):
    with pytest.raises(DomainError, match="do not receive it") as refused:
        lot(cast, expires_in_days=-1)
    assert refused.value.field == "expiry_date"
    assert not Lot.objects.exists()


@pytest.mark.parametrize("quantity,message", [
    ("0", "Enter a quantity above zero."),
    ("-3", "Enter a quantity above zero."),
    ("1.255", "Give the quantity to at most two decimal places."),
    ("ten", "Enter a number."),
])  # fmt: skip
def test_it_refuses_a_quantity_that_is_not_a_positive_amount(cast, quantity, message):
    with pytest.raises(DomainError, match=message):
        lot(cast, quantity=quantity)
    assert not StockMovement.objects.exists()


def test_a_receptionist_cannot_receive_stock(cast):
    with pytest.raises(PermissionDenied, match="As receptionist at Leeds you cannot receive stock"):
        lot(cast, actor=cast.receptionist)


def test_staff_of_another_clinic_cannot_receive_stock_here(cast):
    with pytest.raises(PermissionDenied, match="You do not work at Leeds."):
        lot(cast, actor=cast.other_practitioner)


def test_an_autologous_preparation_is_never_stocked(cast):
    with pytest.raises(DomainError, match="is prepared from the patient's blood"):
        lot(cast, "Autologous PRP")


def test_use_records_patient_and_session_and_audits_against_the_patient(cast):
    held = lot(cast, quantity="10")
    movement = services.stock_use(
        actor=cast.practitioner,
        lot=held,
        quantity="2",
        patient=cast.patient,
        session_ref="courses.Appointment:12",
    )
    assert (movement.kind, movement.quantity, movement.patient, movement.session_ref) == (
        MovementKind.USE,
        Decimal(-2),
        cast.patient,
        "courses.Appointment:12",
    )
    assert lot_on_hand(lot=held) == Decimal(8)
    event = AuditEvent.objects.get(patient_id=cast.patient.pk)
    assert (event.action, event.object_type, event.detail["session_ref"]) == (
        "create",
        "formulary.StockMovement",
        "courses.Appointment:12",
    )


def test_use_never_takes_a_lot_below_zero(cast):
    held = lot(cast, quantity="3")
    with pytest.raises(DomainError) as refused:
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="3.01", patient=cast.patient, session_ref="demo:1"
        )
    assert refused.value.message == (
        "Only 3 mL of lot L-001 is on hand; taking 3.01 mL would leave less than none."
    )
    assert (refused.value.field, refused.value.code) == ("quantity", "insufficient_stock")
    assert lot_on_hand(lot=held) == Decimal(3)
    assert held.movements.count() == 1


@pytest.mark.parametrize("change,message", [
    (services.lot_quarantine, "Lot L-001 is quarantined: it cannot be used until it is released."),
    (services.lot_recall, "Lot L-001 has been recalled: it must not be used."),
])  # fmt: skip
def test_use_refuses_a_quarantined_or_recalled_lot(cast, change, message):
    held = lot(cast)
    change(actor=cast.manager, lot=held, reason="Supplier notice 44")
    with pytest.raises(DomainError) as refused:
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
        )
    assert (refused.value.message, refused.value.field) == (message, "lot")
    assert not held.movements.filter(kind=MovementKind.USE).exists()


def test_use_refuses_a_lot_past_its_expiry_date(cast):
    held = lot(cast)
    Lot.objects.filter(pk=held.pk).update(expiry_date=timezone.localdate() - dt.timedelta(days=1))
    held.refresh_from_db()
    with pytest.raises(DomainError, match=r"expired on .*: it must not be used\."):
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
        )


def test_use_refuses_a_patient_of_another_clinic(cast):
    held = lot(cast)
    with pytest.raises(DomainError, match="this patient is registered at another clinic") as e:
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="1", patient=cast.other_patient, session_ref="x:1"
        )
    assert e.value.field == "patient"


def test_use_needs_a_session_reference_and_a_time_not_in_the_future(cast):
    held = lot(cast)
    with pytest.raises(DomainError, match="Name the session the stock was used in."):
        services.stock_use(
            actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="  "
        )
    with pytest.raises(DomainError, match="This time is in the future."):
        services.stock_use(
            actor=cast.nurse,
            lot=held,
            quantity="1",
            patient=cast.patient,
            session_ref="demo:1",
            occurred_at=timezone.now() + dt.timedelta(hours=2),
        )


def test_adjust_corrects_the_count_either_way_and_needs_a_reason(cast):
    held = lot(cast, quantity="10")
    services.stock_adjust(actor=cast.nurse, lot=held, quantity="-1.5", reason="Stock take")
    services.stock_adjust(actor=cast.nurse, lot=held, quantity="+0.5", reason="Stock take")
    assert lot_on_hand(lot=held) == Decimal(9)
    with pytest.raises(DomainError, match="Say why the count is being corrected."):
        services.stock_adjust(actor=cast.nurse, lot=held, quantity="1", reason="")
    with pytest.raises(DomainError, match="would leave less than none"):
        services.stock_adjust(actor=cast.nurse, lot=held, quantity="-9.01", reason="Count")


def test_waste_and_return_take_stock_out_with_their_reason(cast):
    held = lot(cast, quantity="10")
    services.stock_waste(actor=cast.nurse, lot=held, quantity="1", reason="Vial dropped")
    services.stock_return(actor=cast.manager, lot=held, quantity="4", reason="Wrong delivery")
    assert list(held.movements.values_list("kind", "quantity", "reason").order_by("id")) == [
        ("receive", Decimal(10), ""),
        ("waste", Decimal(-1), "Vial dropped"),
        ("return", Decimal(-4), "Wrong delivery"),
    ]


def test_a_movement_can_never_be_changed_or_deleted(cast):
    movement = lot(cast).movements.get()
    movement.quantity = Decimal(99)
    with pytest.raises(AppendOnlyRecordError, match="record a correction instead"):
        movement.save()
    with pytest.raises(AppendOnlyRecordError):
        movement.delete()
    rows = StockMovement.objects.filter(pk=movement.pk)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            rows.update(quantity=99)
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            rows.delete()
    assert StockMovement.objects.get(pk=movement.pk).quantity == Decimal(20)


def test_the_composition_reads_back_as_given(cast):
    biotin = product(cast, "Biotin vial")
    assert [(c.ingredient_code, c.amount, c.amount_unit) for c in biotin.composition.all()] == [
        ("biotin", Decimal(500), "µg"),
        ("dexpanthenol", Decimal(20), "mg"),
    ]
