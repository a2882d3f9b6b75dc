"""Writes to the patient registry. Each is atomic and audited."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Clinic, Role, User
from mesotrack.accounts.selectors import clinic_ids_for, role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.patients.models import Patient
from mesotrack.patients.search import digits_only, search_text_for
from mesotrack.patients.selectors import patient_probable_duplicates

EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex_at_birth",
    "gender",
    "email",
    "phone",
    "address",
    "preferred_language",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
)


class ProbableDuplicate(DomainError):
    def __init__(self, duplicates: list[Patient]) -> None:
        numbers = ", ".join(p.record_number for p in duplicates)
        super().__init__(
            f"A patient with the same name and date of birth already exists ({numbers}). "
            "Open that record, or confirm this is a different person.",
            field="confirm_not_duplicate",
            code="probable_duplicate",
        )
        self.duplicates = duplicates


def _next_record_number(clinic: Clinic) -> str:
    # The row lock serialises concurrent registrations in one clinic, so numbers never repeat.
    locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
    locked.last_record_number += 1
    locked.save(update_fields=["last_record_number"])
    return f"{locked.code}-{locked.last_record_number:06d}"


def _refresh_search_fields(patient: Patient) -> None:
    patient.phone_digits = digits_only(patient.phone)
    patient.search_text = search_text_for(
        patient.given_name, patient.family_name, patient.record_number, patient.phone
    )


def _changed_fields(patient: Patient, data: dict[str, Any]) -> list[str]:
    return [
        name for name in EDITABLE_FIELDS if name in data and getattr(patient, name) != data[name]
    ]


@transaction.atomic
def patient_create(
    *, actor: User, clinic: Clinic, data: dict[str, Any], confirm_not_duplicate: bool = False
) -> Patient:
    """Register a patient in `clinic`; refuses a probable duplicate unless confirmed."""
    if clinic.pk not in clinic_ids_for(actor):
        raise PermissionDenied("You do not work at that clinic.")
    patient = Patient(
        clinic=clinic, created_by=actor, **{k: data[k] for k in EDITABLE_FIELDS if k in data}
    )
    patient.record_number = "pending"
    patient.full_clean(exclude=["record_number"])
    duplicates = patient_probable_duplicates(
        user=actor,
        given_name=patient.given_name,
        family_name=patient.family_name,
        date_of_birth=patient.date_of_birth,
    )
    if duplicates and not confirm_not_duplicate:
        raise ProbableDuplicate(duplicates)
    patient.record_number = _next_record_number(clinic)
    _refresh_search_fields(patient)
    patient.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=patient,
        detail={"duplicate_confirmed": bool(duplicates)},
    )
    return patient


@transaction.atomic
def patient_update(*, actor: User, patient: Patient, data: dict[str, Any]) -> Patient:
    changed = _changed_fields(patient, data)
    for name in changed:
        setattr(patient, name, data[name])
    if not changed:
        return patient
    patient.full_clean()
    _refresh_search_fields(patient)
    patient.save()
    audit_record(
        actor=actor, action=Action.UPDATE, patient=patient, obj=patient, detail={"fields": changed}
    )
    return patient


@transaction.atomic
def patient_soft_delete(*, actor: User, patient: Patient, reason: str) -> Patient:
    """Hide a patient from every list; the row and its history stay. Managers only."""
    if role_in_clinic(actor, patient.clinic_id) != Role.MANAGER:
        raise PermissionDenied("Only a clinic manager can delete a patient record.")
    if not reason.strip():
        raise DomainError("Say why the record is being deleted.", field="reason")
    if patient.is_deleted:
        raise DomainError("This record is already deleted.")
    patient.deleted_at = timezone.now()
    patient.deleted_by = actor
    patient.deletion_reason = reason.strip()
    patient.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.DELETE,
        patient=patient,
        obj=patient,
        detail={"reason": reason.strip()},
    )
    return patient
