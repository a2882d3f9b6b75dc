"""What every formulary service checks first: who is acting, where, and on what quantity."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.accounts.selectors import clinics_for, role_in_clinic
from mesotrack.core.errors import DomainError, PermissionDenied

MAX_QUANTITY = Decimal("100000")
CENTS = Decimal("0.01")
# A movement may be recorded a little ahead of the server's clock (a tablet's clock drifts).
CLOCK_SLACK = dt.timedelta(minutes=5)


def require_role_at(actor: User, clinic: Clinic, roles: Iterable[Role], doing: str) -> Role:
    """The actor's role at `clinic`, if it is one of `roles`; PermissionDenied otherwise."""
    role = role_in_clinic(actor, clinic.pk)
    if role is None:
        raise PermissionDenied(f"You do not work at {clinic.name}.")
    if role not in set(roles):
        raise PermissionDenied(f"As {role.label.lower()} at {clinic.name} you cannot {doing}.")
    return role


def require_role_in_organisation(
    actor: User, organisation_id: int, roles: Iterable[Role], doing: str
) -> None:
    """PermissionDenied unless the actor holds one of `roles` at a clinic of the organisation."""
    if not any(c.organisation_id == organisation_id for c in clinics_for(actor, roles)):
        raise PermissionDenied(f"Your role does not allow you to {doing}.")


def quantity_in(value: Decimal | int | str, *, field: str = "quantity") -> Decimal:
    """A positive quantity with at most two decimal places (mL or g)."""
    try:
        quantity = Decimal(str(value))
    except InvalidOperation:
        raise DomainError("Enter a number.", field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError("Enter a quantity above zero.", field=field)
    if quantity >= MAX_QUANTITY:
        raise DomainError("That quantity is too large for one movement.", field=field)
    if quantity != quantity.quantize(CENTS):
        raise DomainError("Give the quantity to at most two decimal places.", field=field)
    return quantity.quantize(CENTS)


def moment_in(value: dt.datetime | None, *, field: str = "occurred_at") -> dt.datetime:
    """When something happened: now by default, never in the future."""
    moment = value or timezone.now()
    if timezone.is_naive(moment):
        raise DomainError("Give the time with its time zone.", field=field)
    if moment > timezone.now() + CLOCK_SLACK:
        raise DomainError("This time is in the future.", field=field)
    return moment


def text_in(value: str, *, field: str, message: str, max_length: int | None = None) -> str:
    """`value` stripped; `message` when it is blank, a length refusal when it is too long."""
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    if max_length is not None and len(text) > max_length:
        raise DomainError(f"Keep this to {max_length} characters.", field=field)
    return text
