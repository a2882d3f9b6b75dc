"""Writes to assessments and their addenda. Atomic, role-checked in the patient's clinic,
audited. A signed assessment never changes: corrections are addenda."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.assessment.measures import checked_entries, missing_for_signature
from mesotrack.assessment.models import (
    SIGNED_MESSAGE,
    Assessment,
    AssessmentAddendum,
    AssessmentStatus,
)
from mesotrack.assessment.panel import flags_to_dicts
from mesotrack.assessment.selectors import patient_screening
from mesotrack.assessment.services.roles import DRAFTING_ROLES, require_role
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.patients.models import Patient

ADDENDUM_MAX_LENGTH = 5000


def _require_drafting_role(actor: User, patient: Patient) -> None:
    require_role(
        actor,
        patient.clinic_id,
        DRAFTING_ROLES,
        "Only a practitioner or nurse of this patient's clinic can write an assessment.",
    )


def _locked_status(assessment: Assessment) -> str:
    # The row lock makes a concurrent sign and save take turns, so no edit lands after signing.
    return (
        Assessment.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=assessment.pk)
    )


@transaction.atomic
def assessment_create(*, actor: User, patient: Patient, data: Mapping[str, Any]) -> Assessment:
    """Start a draft assessment with `data`; refused while another draft is open."""
    _require_drafting_role(actor, patient)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()
    if Assessment.objects.filter(patient=patient, status=AssessmentStatus.DRAFT).exists():
        raise DomainError(
            "There is already a draft assessment for this patient: finish it first.",
            code="draft_open",
        )
    entries = checked_entries(
        {"assessed_on": timezone.localdate(), **data}, today=timezone.localdate()
    )
    assessment = Assessment(patient=patient, created_by=actor, updated_by=actor, **entries)
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=assessment,
        detail={"diagnosis": assessment.diagnosis, "stage": assessment.stage_label},
    )
    return assessment


@transaction.atomic
def assessment_update(
    *, actor: User, assessment: Assessment, data: Mapping[str, Any]
) -> Assessment:
    """Replace the draft's entries with `data` (checked as a whole; nothing saved on refusal)."""
    _require_drafting_role(actor, assessment.patient)
    if _locked_status(assessment) == AssessmentStatus.SIGNED:
        raise DomainError(SIGNED_MESSAGE, code="signed")
    entries = checked_entries(data, today=timezone.localdate())
    changed = sorted(name for name, value in entries.items() if getattr(assessment, name) != value)
    if not changed:
        return assessment
    for name, value in entries.items():
        setattr(assessment, name, value)
    assessment.updated_by = actor
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=assessment.patient,
        obj=assessment,
        detail={"fields": changed},
    )
    return assessment


@transaction.atomic
def assessment_sign(*, actor: User, assessment: Assessment) -> Assessment:
    """Sign the draft: it is read-only from now on. Practitioners of the patient's clinic only.

    Keeps the lab flags and screening flags shown at signing with the record.
    """
    patient = assessment.patient
    require_role(
        actor, patient.clinic_id, [Role.PRACTITIONER], "Only a practitioner can sign an assessment."
    )
    if _locked_status(assessment) == AssessmentStatus.SIGNED:
        raise DomainError("This assessment is already signed.", code="signed")
    missing = missing_for_signature(
        {
            name: getattr(assessment, name)
            for name in ("diagnosis", "icd10_code", "telogen_course", "stage_scale", "stage_value")
        }
    )
    if missing is not None:
        raise missing
    screening = patient_screening(
        patient=patient, on_date=assessment.assessed_on, assessment=assessment
    )
    assessment.lab_flags = flags_to_dicts(screening.lab_flags)
    assessment.screening = flags_to_dicts(screening.result.flags)
    assessment.status = AssessmentStatus.SIGNED
    assessment.signed_by = actor
    assessment.signed_at = timezone.now()
    assessment.updated_by = actor
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=Action.SIGN,
        patient=patient,
        obj=assessment,
        detail={
            "diagnosis": assessment.diagnosis,
            "icd10_code": assessment.icd10_code,
            "stage": assessment.stage_label,
            "flags": [flag["code"] for flag in assessment.screening],
        },
    )
    return assessment


@transaction.atomic
def assessment_addendum_add(
    *, actor: User, assessment: Assessment, text: str
) -> AssessmentAddendum:
    """Append a correction or later note to a signed assessment. Practitioners only."""
    require_role(
        actor,
        assessment.patient.clinic_id,
        [Role.PRACTITIONER],
        "Only a practitioner can add an addendum.",
    )
    if _locked_status(assessment) != AssessmentStatus.SIGNED:
        raise DomainError(
            "Addenda are for signed assessments: edit the draft instead.", code="draft"
        )
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the addendum.", field="text")
    if len(text) > ADDENDUM_MAX_LENGTH:
        raise DomainError(
            f"Keep the addendum under {ADDENDUM_MAX_LENGTH} characters.", field="text"
        )
    addendum = AssessmentAddendum(assessment=assessment, text=text, author=actor)
    addendum.full_clean()
    addendum.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=assessment.patient,
        obj=addendum,
        detail={"assessment": assessment.pk},
    )
    return addendum
