"""Per-clinic formulary settings and the audit of who looked at (or exported) a recall list."""

from collections.abc import Sequence

from django.db import transaction

from mesotrack.accounts.models import Clinic, User
from mesotrack.accounts.selectors import AnyUser
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import FormularySettings, Lot
from mesotrack.formulary.roles import SETTINGS_ROLES
from mesotrack.formulary.selectors import RecallEntry
from mesotrack.formulary.services._common import require_role_at


@transaction.atomic
def formulary_settings_set(
    *, actor: User, clinic: Clinic, expiry_warning_days: int
) -> FormularySettings:
    """Set how many days ahead `clinic` is warned of lots expiring (managers only)."""
    require_role_at(actor, clinic, SETTINGS_ROLES, "change the formulary settings")
    if not 1 <= expiry_warning_days <= 365:
        raise DomainError("Warn between 1 and 365 days ahead.", field="expiry_warning_days")
    settings, _ = FormularySettings.objects.select_for_update().get_or_create(clinic=clinic)
    before = settings.expiry_warning_days
    settings.expiry_warning_days = expiry_warning_days
    settings.full_clean()
    settings.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        clinic=clinic,
        obj=settings,
        detail={"expiry_warning_days": [before, expiry_warning_days]},
    )
    return settings


def recall_list_record_access(
    *, actor: AnyUser, lot: Lot, entries: Sequence[RecallEntry], action: Action, shown: str
) -> AuditEvent | None:
    """Record that `actor` saw (`Action.VIEW`) or exported (`Action.EXPORT`) the patients of a
    recall list; `shown` says where ("page", "csv", "api"). Nothing to record when it named
    nobody."""
    if not entries:
        return None
    return audit_record(
        actor=actor,
        action=action,
        clinic=lot.clinic,
        obj=lot,
        detail={
            "list": "lot_recall",
            "shown": shown,
            "lot_number": lot.lot_number,
            "patient_ids": sorted({entry.patient.id for entry in entries}),
        },
    )
