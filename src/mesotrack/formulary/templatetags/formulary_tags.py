"""Small display helpers for the formulary's templates."""

from decimal import Decimal

from django import template

from mesotrack.formulary.catalogue import ingredient_catalogue, plain

register = template.Library()

BADGES = {"active": "ok", "quarantined": "warn", "recalled": "bad", "expired": "bad"}


@register.filter
def ingredient_label(code: str) -> str:
    entry = ingredient_catalogue().get(code)
    return entry.label if entry else code


@register.filter
def number(value: Decimal | int | None) -> str:
    """A quantity without trailing zeros: 2.50 → 2.5."""
    if value is None:
        return ""
    return plain(Decimal(value))


@register.filter
def status_badge(status: str) -> str:
    return BADGES.get(str(status), "")


@register.filter
def absolute(value: Decimal) -> Decimal:
    return abs(value)
