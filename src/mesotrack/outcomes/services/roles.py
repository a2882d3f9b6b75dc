"""Who may write what: every service checks the actor's role in the patient's own clinic."""

from collections.abc import Iterable

from mesotrack.accounts.models import Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.core.errors import PermissionDenied
from mesotrack.outcomes.roles import RECORDING_ROLES
from mesotrack.patients.models import Patient

RECORDING_REFUSED = "Only a practitioner or nurse of this patient's clinic can record outcomes."
SETTINGS_REFUSED = "Only a manager of this clinic can change its outcome settings."


def require_role(actor: User, clinic_id: int, roles: Iterable[Role], message: str) -> None:
    if role_in_clinic(actor, clinic_id) not in set(roles):
        raise PermissionDenied(message)


def require_recording_role(actor: User, patient: Patient) -> None:
    require_role(actor, patient.clinic_id, RECORDING_ROLES, RECORDING_REFUSED)
