"""What every charting service checks first: who acts, where, and the session's state."""

from collections.abc import Iterable

from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.charting.models import SessionStatus, TreatmentSession
from mesotrack.core.errors import DomainError, PermissionDenied

CHARTING_ROLES = CLINICAL_ROLES
# Managers and practitioners prescribe: they override blocks, start early and co-sign.
PRESCRIBER_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER})


def require_role(actor: User, clinic_id: int, roles: Iterable[Role], doing: str) -> Role:
    """The actor's role at the clinic, if it is one of `roles`; PermissionDenied otherwise."""
    role = role_in_clinic(actor, clinic_id)
    if role is None:
        raise PermissionDenied("You do not work at this patient's clinic.")
    if role not in set(roles):
        raise PermissionDenied(f"As {role.label.lower()} you cannot {doing}.")
    return role


def require_status(session: TreatmentSession, *statuses: SessionStatus, doing: str) -> None:
    if session.status not in statuses:
        raise DomainError(
            f"This session is {session.get_status_display().lower()}: you cannot {doing} now.",
            field="status",
            code="wrong_status",
        )


def locked(session: TreatmentSession) -> TreatmentSession:
    """`session` re-read under a row lock held until the transaction ends."""
    return (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("patient", "patient__clinic", "clinic", "course", "practitioner")
        .get(pk=session.pk)
    )
