"""The one function every read and write of patient data calls."""

from typing import Any, Protocol

from django.db import models

from mesotrack.accounts.models import Clinic, User
from mesotrack.accounts.selectors import AnyUser, primary_role, role_in_clinic
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.request_context import current_request_context


class PatientLike(Protocol):
    pk: Any
    clinic_id: int
    record_number: str


def audit_record(
    *,
    actor: AnyUser | None,
    action: Action,
    patient: PatientLike | None = None,
    clinic: Clinic | None = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one audit event, stamped with the request id and client address."""
    context = current_request_context()
    clinic_id = clinic.pk if clinic else (patient.clinic_id if patient else None)
    user = actor if isinstance(actor, User) else None
    role_label = _role_label(user, clinic_id)
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user else username[:150],
        role=role_label,
        clinic_id=clinic_id,
        patient_id=patient.pk if patient else None,
        patient_label=patient.record_number if patient else "",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        request_id=context.request_id,
        ip_address=context.ip_address,
        detail=detail or {},
    )


def _role_label(user: User | None, clinic_id: int | None) -> str:
    if user is None:
        return ""
    role = role_in_clinic(user, clinic_id) if clinic_id else primary_role(user)
    if role is not None:
        return role.value
    return "staff" if primary_role(user) else "patient"
