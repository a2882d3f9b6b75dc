"""Writes to intakes. Each is atomic, checks the actor's role in the patient's clinic, and is
audited. A signed version never changes: corrections go into a new version."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.intake.answers import empty_answers, validate_answers
from mesotrack.intake.models import SIGNED_MESSAGE, Intake, IntakeStatus
from mesotrack.patients.models import Patient

STALE_MESSAGE = (
    "Someone else saved this draft after you opened it. Open it again to see their changes, "
    "then make yours."
)


def _require_clinical_role(actor: User, patient: Patient) -> None:
    if role_in_clinic(actor, patient.clinic_id) not in CLINICAL_ROLES:
        raise PermissionDenied(
            "Only clinical staff of this patient's clinic can work on the intake."
        )


def _locked_state(intake: Intake) -> tuple[str, dt.datetime]:
    # The row lock makes a concurrent sign and save take turns, so no edit lands after signing.
    return Intake.objects.select_for_update().values_list("status", "updated_at").get(pk=intake.pk)


@transaction.atomic
def intake_start(*, actor: User, patient: Patient) -> Intake:
    """Open version 1, or a new draft copied from the latest signed version.

    Refuses while a draft is open: there is only ever one version being edited.
    """
    _require_clinical_role(actor, patient)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()
    latest = Intake.objects.filter(patient=patient).order_by("-version").first()
    if latest is not None and latest.status == IntakeStatus.DRAFT:
        raise DomainError(
            f"Version {latest.version} is still a draft: finish and sign it before starting "
            "another.",
            code="draft_open",
        )
    intake = Intake(
        patient=patient,
        version=latest.version + 1 if latest else 1,
        answers=dict(latest.answers) if latest else empty_answers(),
        created_by=actor,
        updated_by=actor,
        supersedes=latest,
    )
    intake.full_clean()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=intake,
        detail={
            "version": intake.version,
            "copied_from_version": latest.version if latest else None,
        },
    )
    return intake


@transaction.atomic
def intake_update(
    *,
    actor: User,
    intake: Intake,
    answers: Mapping[str, Any],
    loaded_at: dt.datetime | None = None,
) -> Intake:
    """Replace the draft's answers with `answers`, validated against the rule tables.

    `loaded_at` is when the editor's copy was last saved (the form's `updated_at`): a save from a
    copy someone else has since changed is refused rather than silently overwriting their work.
    Raises IntakeAnswersInvalid (every field at fault) and writes nothing when any answer is bad.
    """
    _require_clinical_role(actor, intake.patient)
    status, updated_at = _locked_state(intake)
    if status == IntakeStatus.SIGNED:
        raise DomainError(SIGNED_MESSAGE, code="signed")
    if loaded_at is not None and loaded_at != updated_at:
        raise DomainError(STALE_MESSAGE, code="stale")
    stored = validate_answers(answers).model_dump(mode="json")
    changed = [name for name, value in stored.items() if intake.answers.get(name) != value]
    if not changed:
        return intake
    intake.answers = stored
    intake.updated_by = actor
    intake.full_clean()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=intake.patient,
        obj=intake,
        detail={"version": intake.version, "sections": changed},
    )
    return intake


@transaction.atomic
def intake_sign(*, actor: User, intake: Intake) -> Intake:
    """Sign the draft: from now on it is read-only. Practitioners of the patient's clinic only."""
    if role_in_clinic(actor, intake.patient.clinic_id) != Role.PRACTITIONER:
        raise PermissionDenied("Only a practitioner can sign an intake.")
    if _locked_state(intake)[0] == IntakeStatus.SIGNED:
        raise DomainError("This intake is already signed.", code="signed")
    # Re-checked against today's tables: nothing is signed that would not be accepted now.
    validate_answers(intake.answers)
    intake.status = IntakeStatus.SIGNED
    intake.signed_by = actor
    intake.signed_at = timezone.now()
    intake.updated_by = actor
    intake.full_clean()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.SIGN,
        patient=intake.patient,
        obj=intake,
        detail={"version": intake.version},
    )
    return intake
