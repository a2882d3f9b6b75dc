"""Constants and helpers shared by the outcomes API modules."""

from typing import Any

from django.http import HttpRequest

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.api.errors import ErrorOut
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors
from mesotrack.outcomes.models import MeasurementSite
from mesotrack.patients.models import Patient

CLINICAL = tuple(CLINICAL_ROLES)
RECORDERS = (Role.PRACTITIONER, Role.NURSE)
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def patient_for(request: HttpRequest, patient_id: int) -> Patient:
    return selectors.patient_get_for_clinician(user=request.user, patient_id=patient_id)


def audit_view(request: HttpRequest, patient: Patient, obj: Any, what: str, **detail: Any) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=obj or patient,
        detail={"api": what, **detail},
    )


def site_for(
    patient: Patient, site_id: int | None, field: str = "site_id"
) -> MeasurementSite | None:
    if site_id is None:
        return None
    try:
        return selectors.site_get_for_patient(patient=patient, site_id=site_id)
    except MeasurementSite.DoesNotExist:
        raise DomainError("This patient has no such measurement site.", field=field) from None
