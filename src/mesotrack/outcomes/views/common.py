"""Helpers shared by the outcome pages."""

from typing import Any, cast

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse

from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.outcomes import selectors
from mesotrack.outcomes.roles import RECORDING_ROLES
from mesotrack.patients.models import Patient

CLINICAL = tuple(CLINICAL_ROLES)
RECORDERS = tuple(RECORDING_ROLES)


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def clinical_patient(request: HttpRequest, patient_id: int) -> Patient:
    """The patient in the URL if the user holds a clinical role in their clinic, else 404."""
    try:
        return selectors.patient_get_for_clinician(user=request.user, patient_id=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient in your clinics.") from None


def role_here(request: HttpRequest, patient: Patient) -> Role | None:
    return role_in_clinic(request.user, patient.clinic_id)


def can_record(request: HttpRequest, patient: Patient) -> bool:
    return role_here(request, patient) in RECORDING_ROLES


def audit_view(
    request: HttpRequest, patient: Patient, obj: Model | None, page: str, **detail: Any
) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=obj or patient,
        detail={"page": page, **detail},
    )


def private_image(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """An image for this user's eyes only: never cached, never sniffed as anything else."""
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
