"""Small display helpers for the formulary's templates."""

from decimal import Decimal

from django import template

from mesotrack.formulary import session_links as links
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


@register.simple_tag
def session_link(session_ref: str, patient_id: int) -> str:
    """The session page a stock movement's reference leads to, or "" when none is known."""
    return links.session_link(session_ref, patient_id) or ""


@register.filter
def status_badge(status: str) -> str:
    return BADGES.get(str(status), "")


@register.filter
def absolute(value: Decimal) -> Decimal:
    return abs(value)
