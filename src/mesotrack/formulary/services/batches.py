"""Batch preparation: syringes compounded from a recipe version, drawing every lot in one
transaction, and each syringe's use in a patient's session."""

import datetime as dt
from collections.abc import Mapping
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
    PreparedSyringe,
    Product,
    RecipeVersion,
    SyringeStatus,
)
from mesotrack.formulary.roles import STOCK_ROLES
from mesotrack.formulary.selectors import fefo_lot
from mesotrack.formulary.services._common import moment_in, require_role_at, text_in
from mesotrack.formulary.services.stock import (
    SESSION_REF_MAX,
    locked_lot,
    record_movement,
    refuse_unusable,
)
from mesotrack.patients.models import Patient

MAX_SYRINGES = 100


def _lot_for(
    product: Product, clinic: Clinic, needed: Decimal, chosen: Lot | None, use_by: dt.date
) -> Lot:
    field = f"lot_{product.pk}"
    lot = chosen or fefo_lot(clinic=clinic, product=product, quantity=needed)
    if lot is None:
        raise DomainError(
            f"No usable lot of {product.name} at {clinic.name} holds "
            f"{plain(needed)} {product.unit}.",
            field=field,
        )
    if lot.product_id != product.pk or lot.clinic_id != clinic.pk:
        raise DomainError(f"Choose a lot of {product.name} held at {clinic.name}.", field=field)
    if lot.expiry_date < use_by:
        raise DomainError(
            f"Lot {lot.lot_number} expires on {lot.expiry_date:%d %b %Y}, before the syringes' "
            "use-by date.",
            field=field,
        )
    return lot


def _check_batch(
    clinic: Clinic,
    version: RecipeVersion,
    syringes: int,
    prepared_at: dt.datetime,
    use_by: dt.datetime,
) -> None:
    if version.recipe.organisation_id != clinic.organisation_id:
        raise DomainError("This recipe belongs to another organisation.", field="recipe_version")
    if not 1 <= syringes <= MAX_SYRINGES:
        raise DomainError(f"Prepare between 1 and {MAX_SYRINGES} syringes.", field="syringes")
    if use_by <= prepared_at:
        raise DomainError("The use-by time must come after the preparation.", field="use_by")


@transaction.atomic
def batch_prepare(
    *,
    actor: User,
    version: RecipeVersion,
    clinic: Clinic,
    syringes: int,
    use_by: dt.datetime,
    lots: Mapping[int, Lot] | None = None,
    prepared_at: dt.datetime | None = None,
    notes: str = "",
) -> PreparedBatch:
    """Prepare `syringes` syringes of `version` at `clinic`, each holding one session.

    `lots` names the lot to draw for a product (by product id); any product left out draws
    from its first-expiring usable lot. Every lot is drawn in this one transaction, or none is.
    """
    require_role_at(actor, clinic, STOCK_ROLES, "prepare batches")
    prepared_at = moment_in(prepared_at, field="prepared_at")
    _check_batch(clinic, version, syringes, prepared_at, use_by)
    use_by_day = timezone.localtime(use_by).date()
    chosen = lots or {}
    draws: list[tuple[Lot, Decimal]] = []
    for component in version.components.select_related("product").order_by("position", "id"):
        if not component.product.is_stocked:
            continue
        needed = component.volume_ml * syringes
        lot = _lot_for(
            component.product, clinic, needed, chosen.get(component.product_id), use_by_day
        )
        draws.append((lot, needed))
    # Lock in id order, so two batches drawing the same lots cannot deadlock each other.
    locked = {
        lot.pk: locked_lot(lot) for lot in sorted({lot for lot, _ in draws}, key=lambda x: x.pk)
    }
    batch = PreparedBatch(
        recipe_version=version,
        clinic=clinic,
        prepared_at=prepared_at,
        prepared_by=actor,
        use_by=use_by,
        syringes=syringes,
        volume_per_syringe_ml=version.total_volume_ml,
        notes=notes.strip(),
    )
    batch.full_clean()
    batch.save()
    for lot, needed in draws:
        lot = locked[lot.pk]
        refuse_unusable(lot, timezone.localtime(prepared_at).date())
        record_movement(
            actor=actor,
            lot=lot,
            kind=MovementKind.USE,
            quantity=-needed,
            occurred_at=prepared_at,
            batch=batch,
            reason=f"Batch {batch.pk}",
        )
    PreparedSyringe.objects.bulk_create(
        PreparedSyringe(batch=batch, number=number) for number in range(1, syringes + 1)
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        clinic=clinic,
        obj=batch,
        detail={
            "recipe_version": version.pk,
            "syringes": syringes,
            "lots": [[lot.pk, lot.lot_number, str(needed)] for lot, needed in draws],
        },
    )
    return batch


def _refuse_unsafe_batch(batch: PreparedBatch, moment: dt.datetime) -> None:
    if moment > batch.use_by:
        raise DomainError(
            f"The syringes of batch {batch.pk} were to be used by "
            f"{timezone.localtime(batch.use_by):%d %b %Y %H:%M}.",
            field="batch",
        )
    for movement in batch.movements.select_related("lot"):
        if movement.lot.status in {LotStatus.QUARANTINED, LotStatus.RECALLED}:
            raise DomainError(
                f"Batch {batch.pk} holds lot {movement.lot.lot_number}, which is "
                f"{movement.lot.get_status_display().lower()}: do not use it.",
                field="batch",
            )


@transaction.atomic
def batch_syringe_use(
    *,
    actor: User,
    batch: PreparedBatch,
    patient: Patient,
    session_ref: str,
    occurred_at: dt.datetime | None = None,
) -> PreparedSyringe:
    """Give the next syringe of `batch` to `patient` in session `session_ref`."""
    batch = PreparedBatch.objects.select_for_update().select_related("clinic").get(pk=batch.pk)
    require_role_at(actor, batch.clinic, STOCK_ROLES, "record a syringe given")
    moment = moment_in(occurred_at)
    reference = text_in(
        session_ref,
        field="session_ref",
        message="Name the session the syringe was used in.",
        max_length=SESSION_REF_MAX,
    )
    if patient.clinic_id != batch.clinic_id:
        raise DomainError(
            f"Batch {batch.pk} was prepared at {batch.clinic.name}; this patient is registered "
            "at another clinic.",
            field="patient",
        )
    _refuse_unsafe_batch(batch, moment)
    syringe = (
        batch.prepared_syringes.filter(status=SyringeStatus.AVAILABLE).order_by("number").first()
    )
    if syringe is None:
        raise DomainError(f"Every syringe of batch {batch.pk} has been used.", field="batch")
    syringe.status = SyringeStatus.USED
    syringe.patient = patient
    syringe.session_ref = reference
    syringe.used_at = moment
    syringe.used_by = actor
    syringe.full_clean()
    syringe.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=syringe,
        detail={"batch": batch.pk, "syringe": syringe.number, "session_ref": reference},
    )
    return syringe


@transaction.atomic
def batch_discard_remaining(*, actor: User, batch: PreparedBatch, reason: str) -> int:
    """Discard every syringe of `batch` nobody has been given (past use-by, a recall)."""
    batch = PreparedBatch.objects.select_for_update().select_related("clinic").get(pk=batch.pk)
    require_role_at(actor, batch.clinic, STOCK_ROLES, "discard syringes")
    why = text_in(reason, field="reason", message="Say why the syringes are discarded.")
    count = batch.prepared_syringes.filter(status=SyringeStatus.AVAILABLE).update(
        status=SyringeStatus.DISCARDED, discard_reason=why
    )
    if not count:
        raise DomainError(f"Batch {batch.pk} has no syringes left to discard.")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        clinic=batch.clinic,
        obj=batch,
        detail={"discarded": count, "reason": why},
    )
    return count
