"""A clinic's outcome settings (vellus threshold, responder rule) and its device profiles.
Managers of that clinic only; audited against the clinic."""

import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.models import DeviceProfile, OutcomeSettings
from mesotrack.outcomes.services.analyses import MAX_PX_PER_MM
from mesotrack.outcomes.services.roles import SETTINGS_REFUSED, require_role

# (field, low, high, message)
SETTING_RANGES = (
    ("vellus_threshold_um", 10, 80, "The vellus threshold is from 10 to 80 µm (30 or 40 usual)."),
    ("responder_gain_percent", 1, 100, "The responder gain is from 1 to 100%."),
    ("responder_after_months", 1, 36, "The responder time is from 1 to 36 months."),
    ("responder_window_days", 7, 120, "The window around it is from 7 to 120 days."),
)
WHOLE_NUMBERS = {"responder_after_months", "responder_window_days"}
NAME_LIMIT = 80
MAGNIFICATION_LIMIT = 20


def _number(data: Mapping[str, Any], name: str, low: float, high: float, message: str) -> float:
    try:
        value = float(data[name])
    except (KeyError, TypeError, ValueError):
        raise DomainError(message, field=name) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise DomainError(message, field=name)
    if name in WHOLE_NUMBERS and value != int(value):
        raise DomainError("Enter a whole number.", field=name)
    return value


@transaction.atomic
def outcome_settings_set(
    *, actor: User, clinic: Clinic, data: Mapping[str, Any]
) -> OutcomeSettings:
    """Set the clinic's vellus threshold (µm) and responder rule (gain %, months, window)."""
    require_role(actor, clinic.pk, [Role.MANAGER], SETTINGS_REFUSED)
    values = {
        name: _number(data, name, low, high, text) for name, low, high, text in SETTING_RANGES
    }
    settings, _ = OutcomeSettings.objects.select_for_update().get_or_create(clinic=clinic)
    before = {name: getattr(settings, name) for name in values}
    for name, value in values.items():
        setattr(settings, name, int(value) if name in WHOLE_NUMBERS else value)
    settings.updated_by = actor
    settings.full_clean()
    settings.save()
    after = {name: getattr(settings, name) for name in values}
    if after != before:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            clinic=clinic,
            obj=settings,
            detail={"before": before, "after": after},
        )
    return settings


@transaction.atomic
def device_profile_create(*, actor: User, clinic: Clinic, data: Mapping[str, Any]) -> DeviceProfile:
    """Save a calibrated dermatoscope set-up for the clinic's trichoscopy uploads."""
    require_role(actor, clinic.pk, [Role.MANAGER], SETTINGS_REFUSED)
    name = str(data.get("name") or "").strip()
    if not name:
        raise DomainError("Name the device profile.", field="name")
    if len(name) > NAME_LIMIT:
        raise DomainError(f"Keep the name under {NAME_LIMIT} characters.", field="name")
    if DeviceProfile.objects.filter(clinic=clinic, name__iexact=name).exists():
        raise DomainError(f"There is already a device profile called “{name}”.", field="name")
    px_per_mm = _number(
        data,
        "px_per_mm",
        1,
        MAX_PX_PER_MM,
        f"Pixels per millimetre must be from 1 to {MAX_PX_PER_MM:,}.",
    )
    magnification = str(data.get("magnification") or "").strip()
    if len(magnification) > MAGNIFICATION_LIMIT:
        raise DomainError("Keep the magnification short, such as “20×”.", field="magnification")
    profile = DeviceProfile(
        clinic=clinic,
        name=name,
        px_per_mm=px_per_mm,
        magnification=magnification,
        notes=str(data.get("notes") or "").strip()[:2000],
        created_by=actor,
    )
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        clinic=clinic,
        obj=profile,
        detail={"name": name, "px_per_mm": px_per_mm},
    )
    return profile


@transaction.atomic
def device_profile_set_active(
    *, actor: User, profile: DeviceProfile, active: bool
) -> DeviceProfile:
    """Retire a device profile (or bring it back); analyses that used it keep their calibration."""
    require_role(actor, profile.clinic_id, [Role.MANAGER], SETTINGS_REFUSED)
    if profile.is_active != active:
        profile.is_active = active
        profile.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            clinic=profile.clinic,
            obj=profile,
            detail={"is_active": active},
        )
    return profile
