"""Who may do what with courses: every service checks the actor's role in the clinic at hand."""

from collections.abc import Iterable

from mesotrack.accounts.models import STAFF_ROLES, Role, User
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.core.errors import PermissionDenied

# Practitioners and managers plan (and cancel) courses and write clinic protocols.
PLANNING_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER})
# Everyone at the desk or in the room books, moves and records what happened.
BOOKING_ROLES = frozenset(STAFF_ROLES)
# Who gives the treatment, so has a diary a course can be booked into.
PERFORMING_ROLES = frozenset({Role.PRACTITIONER, Role.NURSE})
PACKAGE_SALE_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER, Role.RECEPTIONIST})
PACKAGE_CORRECTION_ROLES = frozenset({Role.MANAGER})
SETTINGS_ROLES = frozenset({Role.MANAGER})
OWN_FEED_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER, Role.NURSE})


def require_role(actor: User, clinic_id: int, roles: Iterable[Role], message: str) -> None:
    if role_in_clinic(actor, clinic_id) not in set(roles):
        raise PermissionDenied(message)


def may(user: AnyUser, clinic_id: int, roles: Iterable[Role]) -> bool:
    return role_in_clinic(user, clinic_id) in set(roles)
