"""A lot's ledger and its recall list: who received it, in which session, how much."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q, QuerySet, Sum

from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.formulary.models import (
    Lot,
    MovementKind,
    PreparedBatch,
    PreparedSyringe,
    StockMovement,
    SyringeStatus,
)
from mesotrack.formulary.roles import FORMULARY_ROLES
from mesotrack.patients.models import Patient

QUANTITY_PLACES = Decimal("0.0001")


@dataclass
class LedgerLine:
    movement: StockMovement
    balance: Decimal  # on hand once this movement was recorded
    shows_patient: bool  # False when the patient is at a clinic the user does not work at


def lot_ledger(*, user: AnyUser, lot: Lot) -> list[LedgerLine]:
    """Every movement of `lot` in the order recorded, with the running balance."""
    visible = clinic_ids_for(user, FORMULARY_ROLES)
    movements = lot.movements.select_related("recorded_by", "patient", "batch").order_by("id")
    lines, balance = [], Decimal(0)
    for movement in movements:
        balance += movement.quantity
        shows = movement.patient is not None and movement.patient.clinic_id in visible
        lines.append(LedgerLine(movement=movement, balance=balance, shows_patient=shows))
    return lines


@dataclass(frozen=True, slots=True)
class RecallPatient:
    id: int
    record_number: str
    name: str
    phone: str
    email: str
    is_deleted: bool


@dataclass(frozen=True, slots=True)
class RecallEntry:
    patient: RecallPatient
    session_ref: str
    quantity: Decimal  # of this lot, in the product's unit
    occurred_at: dt.datetime
    clinic: str  # the patient's clinic
    via: str  # "" when drawn from the lot, else the prepared syringe it was in


_PATIENT_COLUMNS = (
    "pk",
    "record_number",
    "given_name",
    "family_name",
    "phone",
    "email",
    "deleted_at",
    "clinic__name",
)


def lot_recall_list(*, user: AnyUser, lot: Lot) -> list["RecallEntry"]:
    """Every patient and session that received `lot` — drawn from it directly or through a
    syringe prepared from it — in the clinics the user works at, earliest first.

    Patients whose records were deleted are included: a recall must reach everyone. Four
    queries whatever the number of sessions: the uses, the batches, their syringes, the patients
    (each patient read once, however many sessions they had).
    """
    direct = StockMovement.objects.filter(lot=lot, kind=MovementKind.USE, patient__isnull=False)
    uses = list(
        direct.order_by("occurred_at", "id").values_list(
            "patient_id", "session_ref", "quantity", "occurred_at"
        )
    )
    quantities = _batch_quantities(lot)
    given = PreparedSyringe.objects.filter(batch_id__in=list(quantities), status=SyringeStatus.USED)
    syringes = (
        list(given.values_list("patient_id", "session_ref", "used_at", "batch_id", "number"))
        if quantities
        else []
    )
    patients = _patients(
        clinic_ids_for(user, FORMULARY_ROLES),
        direct.values("patient_id"),
        given.values("patient_id") if syringes else None,
    )
    entries = [
        RecallEntry(patients[pk][0], ref, -quantity, at, patients[pk][1], "")
        for pk, ref, quantity, at in uses
        if pk in patients
    ]
    for pk, ref, at, batch_id, number in syringes:
        if pk in patients:
            share = quantities[batch_id]
            via = f"Batch {batch_id}, syringe {number}"
            # batch_syringe_use sets used_at with the patient.
            given_at = cast(dt.datetime, at)
            entries.append(RecallEntry(patients[pk][0], ref, share, given_at, patients[pk][1], via))
    if syringes:
        entries.sort(key=lambda entry: entry.occurred_at)
    return entries


def _patients(
    visible: set[int], *sources: QuerySet[Any] | None
) -> dict[int, tuple[RecallPatient, str]]:
    """The patients named by `sources` (querysets of patient ids) in the `visible` clinics, with
    their clinic's name; one query."""
    named = Q()
    for source in sources:
        if source is not None:
            named |= Q(pk__in=source)
    rows = (
        Patient.objects.filter(named, clinic_id__in=visible)
        .order_by()
        .values_list(*_PATIENT_COLUMNS)
    )
    return {
        pk: (
            RecallPatient(pk, record, f"{given} {family}", phone, email, deleted_at is not None),
            clinic,
        )
        for pk, record, given, family, phone, email, deleted_at, clinic in rows
    }


def _batch_quantities(lot: Lot) -> dict[int, Decimal]:
    """What one syringe of each batch holds of `lot`, by batch id."""
    used = (
        StockMovement.objects.filter(lot=lot, kind=MovementKind.USE, batch__isnull=False)
        .values("batch_id", "batch__syringes")
        .annotate(total=Sum("quantity"))
        .values_list("batch_id", "batch__syringes", "total")
    )
    return {
        batch_id: (-total / syringes).quantize(QUANTITY_PLACES)
        for batch_id, syringes, total in used
    }


@dataclass
class UnusedSyringes:
    batch: PreparedBatch
    available: int


def lot_recall_unused_syringes(*, lot: Lot) -> list[UnusedSyringes]:
    """Prepared batches holding `lot` that still have syringes nobody has been given."""
    batch_ids = set(_batch_quantities(lot))
    counts: dict[int, int] = {}
    for batch_id in PreparedSyringe.objects.filter(
        batch_id__in=batch_ids, status=SyringeStatus.AVAILABLE
    ).values_list("batch_id", flat=True):
        counts[batch_id] = counts.get(batch_id, 0) + 1
    batches = PreparedBatch.objects.filter(pk__in=list(counts)).order_by("prepared_at")
    return [UnusedSyringes(batch=batch, available=counts[batch.pk]) for batch in batches]
