"""Status changes of a lot: quarantine, release, recall, mark expired. Each says who, when and why
and is audited; a recall is final."""

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import Lot, LotStatus
from mesotrack.formulary.roles import MANAGING_ROLES
from mesotrack.formulary.services._common import require_role_at, text_in
from mesotrack.formulary.services.stock import locked_lot

# What each change needs the lot's recorded status to be.
ALLOWED_FROM = {
    LotStatus.QUARANTINED: {LotStatus.ACTIVE},
    LotStatus.ACTIVE: {LotStatus.QUARANTINED},
    LotStatus.RECALLED: {LotStatus.ACTIVE, LotStatus.QUARANTINED, LotStatus.EXPIRED},
    LotStatus.EXPIRED: {LotStatus.ACTIVE, LotStatus.QUARANTINED},
}
DOING = {
    LotStatus.QUARANTINED: "quarantine a lot",
    LotStatus.ACTIVE: "release a lot from quarantine",
    LotStatus.RECALLED: "recall a lot",
    LotStatus.EXPIRED: "mark a lot expired",
}
WHY = {
    LotStatus.QUARANTINED: "Say why the lot is quarantined.",
    LotStatus.ACTIVE: "Say why the lot can be used again.",
    LotStatus.RECALLED: "Say why the lot is recalled (e.g. the supplier's recall notice).",
    LotStatus.EXPIRED: "",
}


def _refusal(lot: Lot, to: LotStatus) -> str:
    current = LotStatus(lot.status)
    if current == LotStatus.RECALLED:
        return f"Lot {lot.lot_number} has been recalled; a recall is final."
    if to == LotStatus.ACTIVE:
        return f"Lot {lot.lot_number} is not quarantined."
    if current == to:
        return f"Lot {lot.lot_number} is already {current.label.lower()}."
    return f"Lot {lot.lot_number} is {current.label.lower()}; it cannot be {to.label.lower()}."


@transaction.atomic
def lot_status_change(*, actor: User, lot: Lot, to: LotStatus, reason: str) -> Lot:
    """Move `lot` to status `to`, recording who, when and why."""
    lot = locked_lot(lot)
    require_role_at(actor, lot.clinic, MANAGING_ROLES, DOING[to])
    if lot.status not in ALLOWED_FROM[to]:
        raise DomainError(_refusal(lot, to), field="status", code="status_not_allowed")
    why = reason.strip() if not WHY[to] else text_in(reason, field="reason", message=WHY[to])
    before = lot.status
    lot.status = to
    lot.status_reason = why
    lot.status_changed_at = timezone.now()
    lot.status_changed_by = actor
    lot.full_clean()
    lot.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        clinic=lot.clinic,
        obj=lot,
        detail={"lot_number": lot.lot_number, "status": [before, str(to)], "reason": why},
    )
    return lot


def lot_quarantine(*, actor: User, lot: Lot, reason: str) -> Lot:
    """Stop a lot being used while it is checked; `lot_release` lets it be used again."""
    return lot_status_change(actor=actor, lot=lot, to=LotStatus.QUARANTINED, reason=reason)


def lot_release(*, actor: User, lot: Lot, reason: str) -> Lot:
    """Let a quarantined lot be used again."""
    return lot_status_change(actor=actor, lot=lot, to=LotStatus.ACTIVE, reason=reason)


def lot_recall(*, actor: User, lot: Lot, reason: str) -> Lot:
    """Recall a lot for good; its recall list names everyone who received it."""
    return lot_status_change(actor=actor, lot=lot, to=LotStatus.RECALLED, reason=reason)


def lot_mark_expired(*, actor: User, lot: Lot, reason: str = "") -> Lot:
    """Mark a lot expired before its date (e.g. opened too long); past its date it counts as
    expired anyway."""
    return lot_status_change(actor=actor, lot=lot, to=LotStatus.EXPIRED, reason=reason)
