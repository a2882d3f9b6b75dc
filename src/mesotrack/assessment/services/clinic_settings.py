"""Writes of a clinic's own settings: its price list and its screening settings (lab thresholds,
how long an override lasts). Managers of that clinic only; audited against the clinic."""

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.assessment.codes import PriceItem
from mesotrack.assessment.models import ClinicPrice, ClinicScreeningSettings
from mesotrack.assessment.services.roles import require_role
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.screening.labs import LabThresholds, default_lab_thresholds

CURRENCY_LENGTH = 3
# Pairs that must stay in order: (lower, higher, message).
THRESHOLD_ORDER = [
    (
        "ferritin_deficient",
        "ferritin_low",
        "The deficient ferritin level must be below the low one.",
    ),
    (
        "vitamin_d_deficient",
        "vitamin_d_insufficient",
        "The deficient vitamin D level must be below the insufficient one.",
    ),
    (
        "b12_deficient",
        "b12_borderline",
        "The deficient B12 level must be below the borderline one.",
    ),
    ("tsh_low", "tsh_high", "The low TSH limit must be below the high one."),
]
MAX_OVERRIDE_DAYS = 365


def _require_manager(actor: User, clinic: Clinic) -> None:
    require_role(
        actor, clinic.pk, [Role.MANAGER], "Only a manager of this clinic can change its settings."
    )


@transaction.atomic
def clinic_prices_set(
    *, actor: User, clinic: Clinic, prices: Mapping[str, Decimal | None], currency: str
) -> dict[str, ClinicPrice]:
    """Set the clinic's price list: an amount per item, or None to clear that item's price."""
    _require_manager(actor, clinic)
    currency = (currency or "").strip().upper()
    if len(currency) != CURRENCY_LENGTH or not currency.isalpha():
        raise DomainError(
            "Give the currency as a three-letter code, such as GBP.", field="currency"
        )
    unknown = set(prices) - set(PriceItem.values)
    if unknown:
        raise DomainError(f"Unknown price item: {', '.join(sorted(unknown))}.")
    for item, amount in prices.items():
        if amount is not None and amount < 0:
            raise DomainError("A price cannot be negative.", field=item)
    existing = {p.item: p for p in ClinicPrice.objects.select_for_update().filter(clinic=clinic)}
    changes: dict[str, str | None] = {}
    for item, amount in prices.items():
        current = existing.get(item)
        if amount is None:
            if current is not None:
                ClinicPrice.objects.filter(pk=current.pk).delete()
                del existing[item]
                changes[item] = None
            continue
        if current and current.amount == amount and current.currency == currency:
            continue
        price = current or ClinicPrice(clinic=clinic, item=item)
        price.amount, price.currency, price.updated_by = amount, currency, actor
        price.full_clean()
        price.save()
        existing[item] = price
        changes[item] = f"{amount} {currency}"
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, clinic=clinic, detail={"prices": changes})
    return existing


def _check_thresholds(thresholds: LabThresholds) -> None:
    for name, value in dataclasses.asdict(thresholds).items():
        if value <= 0:
            raise DomainError("A threshold must be above zero.", field=name)
    for lower, higher, message in THRESHOLD_ORDER:
        if getattr(thresholds, lower) >= getattr(thresholds, higher):
            raise DomainError(message, field=lower)


@transaction.atomic
def clinic_screening_settings_set(
    *,
    actor: User,
    clinic: Clinic,
    lab_thresholds: Mapping[str, float],
    override_valid_days: int,
) -> ClinicScreeningSettings:
    """Store the clinic's lab thresholds (only those that differ from the rule table's defaults
    are kept, so a corrected default reaches every clinic that never changed it) and how many
    days an override lasts."""
    _require_manager(actor, clinic)
    defaults = default_lab_thresholds()
    names = {f.name for f in dataclasses.fields(LabThresholds)}
    unknown = set(lab_thresholds) - names
    if unknown:
        raise DomainError(f"Unknown threshold: {', '.join(sorted(unknown))}.")
    for name, value in lab_thresholds.items():
        try:
            defaults.with_overrides({name: float(value)})
        except ValueError as error:
            raise DomainError(str(error), field=name) from None
    _check_thresholds(defaults.with_overrides(lab_thresholds))
    if not 0 <= override_valid_days <= MAX_OVERRIDE_DAYS:
        raise DomainError(
            f"An override can last from 0 to {MAX_OVERRIDE_DAYS} days.", field="override_valid_days"
        )
    changed = {
        name: float(value)
        for name, value in lab_thresholds.items()
        if float(value) != getattr(defaults, name)
    }
    settings, _ = ClinicScreeningSettings.objects.select_for_update().get_or_create(clinic=clinic)
    before = {"lab_thresholds": settings.lab_thresholds, "days": settings.override_valid_days}
    settings.lab_thresholds = changed
    settings.override_valid_days = override_valid_days
    settings.updated_by = actor
    settings.full_clean()
    settings.save()
    after = {"lab_thresholds": changed, "days": override_valid_days}
    if after != before:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            clinic=clinic,
            obj=settings,
            detail={"before": before, "after": after},
        )
    return settings
