"""Who may do what, where: every clinic-scoped read starts from these."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from mesotrack.accounts.models import STAFF_ROLES, TWO_FACTOR_ROLES, Clinic, Membership, Role, User

AnyUser = User | AnonymousUser


def memberships_for(user: AnyUser) -> list[Membership]:
    """The user's active memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_mesotrack_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("clinic"))
        user._mesotrack_memberships = cached  # type: ignore[attr-defined]
    return cached


def clinic_ids_for(user: AnyUser, roles: Iterable[Role] = STAFF_ROLES) -> set[int]:
    wanted = set(roles)
    return {m.clinic_id for m in memberships_for(user) if m.role in wanted}


def clinics_for(user: AnyUser, roles: Iterable[Role] = STAFF_ROLES) -> list[Clinic]:
    wanted = set(roles)
    return [m.clinic for m in memberships_for(user) if m.role in wanted]


def role_in_clinic(user: AnyUser, clinic_id: int | None) -> Role | None:
    for membership in memberships_for(user):
        if membership.clinic_id == clinic_id:
            return Role(membership.role)
    return None


def has_role(user: AnyUser, roles: Iterable[Role]) -> bool:
    return bool(clinic_ids_for(user, roles))


def is_staff_member(user: AnyUser) -> bool:
    return bool(memberships_for(user))


def primary_role(user: AnyUser) -> Role | None:
    """The most senior role the user holds anywhere (for the header and the audit trail)."""
    order = [Role.MANAGER, Role.PRACTITIONER, Role.NURSE, Role.RECEPTIONIST]
    held = {m.role for m in memberships_for(user)}
    return next((role for role in order if role in held), None)


def requires_two_factor(user: AnyUser) -> bool:
    return has_role(user, TWO_FACTOR_ROLES)
