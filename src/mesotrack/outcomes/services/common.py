"""Small checks shared by the outcome services."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_is_valid
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.models import MeasurementSite, MeasurementVisit
from mesotrack.patients.models import Patient

NO_PHOTO_CONSENT = (
    "This patient has no valid consent to clinical photography: record their consent before "
    "adding photographs or trichoscopy images."
)
NOTES_LIMIT = 5000


def checked_day(value: Any, patient: Patient, field: str) -> dt.date:
    """A date that is neither in the future nor before the patient was born."""
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise DomainError("Enter a date as YYYY-MM-DD.", field=field) from None
    if not isinstance(value, dt.date):
        raise DomainError("Enter a date as YYYY-MM-DD.", field=field)
    if value > timezone.localdate():
        raise DomainError("The date is in the future.", field=field)
    if value < patient.date_of_birth:
        raise DomainError("The date is before the patient was born.", field=field)
    return value


def checked_notes(value: Any, field: str = "notes") -> str:
    text = str(value or "").strip()
    if len(text) > NOTES_LIMIT:
        raise DomainError(f"Keep the notes under {NOTES_LIMIT} characters.", field=field)
    return text


def require_photo_consent(patient: Patient, day: dt.date) -> None:
    if not consent_is_valid(patient, ConsentKind.CLINICAL_PHOTOGRAPHY, day):
        raise DomainError(NO_PHOTO_CONSENT, code="no_consent")


def require_own_site(site: MeasurementSite | None, patient: Patient, field: str = "site") -> None:
    if site is not None and site.patient_id != patient.pk:
        raise DomainError("That measurement site belongs to another patient.", field=field)


def visit_for_day(*, actor: User, patient: Patient, day: dt.date) -> MeasurementVisit:
    """The patient's measurement visit on `day`, opened (and audited) if there is none yet."""
    existing = MeasurementVisit.objects.filter(patient=patient, measured_on=day).first()
    if existing is not None:
        return existing
    visit = MeasurementVisit(patient=patient, measured_on=day, created_by=actor, updated_by=actor)
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise DomainError(
            "Another measurement visit for that day was saved at the same moment: try again.",
            code="conflict",
        ) from None
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=visit,
        detail={"measured_on": day.isoformat(), "opened_for": "image"},
    )
    return visit
