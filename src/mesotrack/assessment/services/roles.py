"""Who may write what: every service checks the actor's role in the patient's own clinic."""

from collections.abc import Iterable

from mesotrack.accounts.models import Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.core.errors import PermissionDenied

DRAFTING_ROLES = frozenset({Role.PRACTITIONER, Role.NURSE})


def require_role(actor: User, clinic_id: int, roles: Iterable[Role], message: str) -> None:
    if role_in_clinic(actor, clinic_id) not in set(roles):
        raise PermissionDenied(message)
