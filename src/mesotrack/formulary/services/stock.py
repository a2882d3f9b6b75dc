"""Writes to the stock ledger. Every movement locks its lot's row first, so the balance check and
the new movement happen as one step: two people drawing the last mL at the same moment cannot
both succeed, and the quantity on hand never goes below zero."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary.catalogue import plain
from mesotrack.formulary.models import (
    Lot,
    LotStatus,
    MovementKind,
    PreparedBatch,
    Product,
    StockMovement,
)
from mesotrack.formulary.roles import STOCK_ROLES
from mesotrack.formulary.selectors import lot_on_hand
from mesotrack.formulary.services._common import (
    moment_in,
    quantity_in,
    require_role_at,
    text_in,
)
from mesotrack.patients.models import Patient

SESSION_REF_MAX = StockMovement._meta.get_field("session_ref").max_length


def locked_lot(lot: Lot) -> Lot:
    """`lot` re-read under a row lock held until the transaction ends."""
    return Lot.objects.select_for_update().select_related("product", "clinic").get(pk=lot.pk)


def record_movement(
    *,
    actor: User,
    lot: Lot,
    kind: MovementKind,
    quantity: Decimal,
    occurred_at: dt.datetime,
    reason: str = "",
    patient: Patient | None = None,
    session_ref: str = "",
    batch: PreparedBatch | None = None,
) -> StockMovement:
    """Append one movement to a lot the caller has locked, refusing to go below zero."""
    on_hand = lot_on_hand(lot=lot)
    if on_hand + quantity < 0:
        unit = lot.product.unit
        raise DomainError(
            f"Only {plain(on_hand)} {unit} of lot {lot.lot_number} is on hand; "
            f"taking {plain(-quantity)} {unit} would leave less than none.",
            field="quantity",
            code="insufficient_stock",
        )
    movement = StockMovement(
        lot=lot,
        kind=kind,
        quantity=quantity,
        occurred_at=occurred_at,
        recorded_by=actor,
        reason=reason,
        patient=patient,
        session_ref=session_ref,
        batch=batch,
    )
    movement.full_clean()
    movement.save()
    return movement


def refuse_unusable(lot: Lot, on: dt.date) -> None:
    """Refuse a lot that is quarantined, recalled or expired on `on`."""
    status = lot.effective_status(on)
    if status == LotStatus.QUARANTINED:
        message = f"Lot {lot.lot_number} is quarantined: it cannot be used until it is released."
    elif status == LotStatus.RECALLED:
        message = f"Lot {lot.lot_number} has been recalled: it must not be used."
    elif status == LotStatus.EXPIRED:
        message = (
            f"Lot {lot.lot_number} expired on {lot.expiry_date:%d %b %Y}: it must not be used."
        )
    else:
        return
    raise DomainError(message, field="lot", code=f"lot_{status}")


def _audit(actor: User, movement: StockMovement, patient: Patient | None = None) -> None:
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        clinic=movement.lot.clinic,
        obj=movement,
        detail={
            "lot": movement.lot_id,
            "lot_number": movement.lot.lot_number,
            "kind": movement.kind,
            "quantity": str(movement.quantity),
            **({"session_ref": movement.session_ref} if movement.session_ref else {}),
            **({"reason": movement.reason} if movement.reason else {}),
        },
    )


def _check_new_lot(product: Product, clinic: Clinic, expiry_date: dt.date) -> None:
    if product.organisation_id != clinic.organisation_id:
        raise DomainError("This product belongs to another organisation.", field="product")
    if not product.is_stocked:
        raise DomainError(
            f"{product.name} is prepared from the patient's blood on the day; it is not stocked.",
            field="product",
        )
    if not product.is_active:
        raise DomainError(f"{product.name} is no longer in use.", field="product")
    if expiry_date < timezone.localdate():
        raise DomainError(
            f"This stock expired on {expiry_date:%d %b %Y}; do not receive it.",
            field="expiry_date",
        )


@transaction.atomic
def lot_receive(
    *,
    actor: User,
    product: Product,
    clinic: Clinic,
    lot_number: str,
    expiry_date: dt.date,
    supplier: str,
    quantity: Decimal | int | str,
    received_on: dt.date | None = None,
    storage_notes: str = "",
) -> Lot:
    """Record stock arriving at `clinic`: a new lot, or more of a lot the clinic already holds."""
    require_role_at(actor, clinic, STOCK_ROLES, "receive stock")
    amount = quantity_in(quantity)
    number = text_in(lot_number, field="lot_number", message="Enter the lot number.", max_length=60)
    supplier = text_in(supplier, field="supplier", message="Enter the supplier.", max_length=200)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise DomainError("The stock cannot be received in the future.", field="received_on")
    _check_new_lot(product, clinic, expiry_date)
    lot = (
        Lot.objects.select_for_update()
        .select_related("product", "clinic")
        .filter(clinic=clinic, product=product, lot_number=number)
        .first()
    )
    if lot is None:
        lot = Lot(
            product=product,
            clinic=clinic,
            lot_number=number,
            expiry_date=expiry_date,
            supplier=supplier,
            received_on=received_on,
            storage_notes=storage_notes.strip(),
            created_by=actor,
        )
        lot.full_clean()
        lot.save()
    elif lot.expiry_date != expiry_date:
        raise DomainError(
            f"Lot {number} is already held here with expiry {lot.expiry_date:%d %b %Y}. "
            "Check the lot number and the expiry date.",
            field="expiry_date",
        )
    elif lot.status != LotStatus.ACTIVE:
        raise DomainError(
            f"Lot {number} is {lot.get_status_display().lower()} here; do not add stock to it.",
            field="lot_number",
        )
    movement = record_movement(
        actor=actor, lot=lot, kind=MovementKind.RECEIVE, quantity=amount, occurred_at=timezone.now()
    )
    _audit(actor, movement)
    return lot


@transaction.atomic
def stock_adjust(
    *, actor: User, lot: Lot, quantity: Decimal | int | str, reason: str
) -> StockMovement:
    """Correct the count of `lot` by a signed `quantity` (a stock take found more or less)."""
    lot = locked_lot(lot)
    require_role_at(actor, lot.clinic, STOCK_ROLES, "adjust stock")
    text = str(quantity).strip()
    negative = text.startswith("-")
    amount = quantity_in(text.lstrip("-+"))
    why = text_in(reason, field="reason", message="Say why the count is being corrected.")
    movement = record_movement(
        actor=actor,
        lot=lot,
        kind=MovementKind.ADJUST,
        quantity=-amount if negative else amount,
        occurred_at=timezone.now(),
        reason=why,
    )
    _audit(actor, movement)
    return movement


def _take_out(
    actor: User, lot: Lot, kind: MovementKind, quantity: Decimal | int | str, reason: str, why: str
) -> StockMovement:
    lot = locked_lot(lot)
    require_role_at(actor, lot.clinic, STOCK_ROLES, "record stock going out")
    amount = quantity_in(quantity)
    text = text_in(reason, field="reason", message=why)
    movement = record_movement(
        actor=actor, lot=lot, kind=kind, quantity=-amount, occurred_at=timezone.now(), reason=text
    )
    _audit(actor, movement)
    return movement


@transaction.atomic
def stock_waste(
    *, actor: User, lot: Lot, quantity: Decimal | int | str, reason: str
) -> StockMovement:
    """Record stock thrown away (broken vial, opened too long, expired)."""
    return _take_out(
        actor, lot, MovementKind.WASTE, quantity, reason, "Say why the stock was wasted."
    )


@transaction.atomic
def stock_return(
    *, actor: User, lot: Lot, quantity: Decimal | int | str, reason: str
) -> StockMovement:
    """Record stock sent back to the supplier (a recall, a wrong delivery)."""
    return _take_out(
        actor, lot, MovementKind.RETURN, quantity, reason, "Say why the stock is returned."
    )


@transaction.atomic
def stock_use(
    *,
    actor: User,
    lot: Lot,
    quantity: Decimal | int | str,
    patient: Patient,
    session_ref: str,
    occurred_at: dt.datetime | None = None,
) -> StockMovement:
    """Record `quantity` of `lot` given to `patient` in the session `session_ref`
    (e.g. "courses.Appointment:123"). Refuses quarantined, recalled and expired lots."""
    lot = locked_lot(lot)
    require_role_at(actor, lot.clinic, STOCK_ROLES, "record stock used in a session")
    amount = quantity_in(quantity)
    moment = moment_in(occurred_at)
    reference = text_in(
        session_ref,
        field="session_ref",
        message="Name the session the stock was used in.",
        max_length=SESSION_REF_MAX,
    )
    if patient.clinic_id != lot.clinic_id:
        raise DomainError(
            f"Lot {lot.lot_number} is held at {lot.clinic.name}; this patient is registered "
            "at another clinic.",
            field="patient",
        )
    refuse_unusable(lot, timezone.localtime(moment).date())
    movement = record_movement(
        actor=actor,
        lot=lot,
        kind=MovementKind.USE,
        quantity=-amount,
        occurred_at=moment,
        patient=patient,
        session_ref=reference,
    )
    _audit(actor, movement, patient)
    return movement
