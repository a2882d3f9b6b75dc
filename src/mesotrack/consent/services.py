"""Writes: publishing consent form versions, signing, withdrawing. Each is atomic and audited."""

import datetime as dt
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.accounts.selectors import has_role, role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.consent.models import (
    ConsentKind,
    ConsentTemplate,
    ConsentWithdrawal,
    SignedConsent,
    consent_document_sha256,
)
from mesotrack.consent.selectors import (
    consent_is_withdrawable,
    consent_template_current,
    consent_template_has_signatures,
)
from mesotrack.consent.signatures import signature_png_check
from mesotrack.consent.validity import expiry_date
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.patients.models import Patient

MAX_VALID_FOR_MONTHS = 120


def _require_manager(actor: User) -> None:
    if not has_role(actor, [Role.MANAGER]):
        raise PermissionDenied("Only a clinic manager can change consent forms.")


def _require_clinic_staff(actor: User, patient: Patient) -> None:
    if role_in_clinic(actor, patient.clinic_id) is None:
        raise PermissionDenied("You do not work at this patient's clinic.")


def _clean_template_fields(
    *, title: str, body: str, valid_for_months: int | None, effective_from: dt.date
) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise DomainError("Give the form a title.", field="title")
    if not body:
        raise DomainError("Write the text the patient will read and sign.", field="body")
    if valid_for_months is not None and not 1 <= valid_for_months <= MAX_VALID_FOR_MONTHS:
        raise DomainError(
            f"A signature can stay valid for 1 to {MAX_VALID_FOR_MONTHS} months; leave it empty "
            "for 'until withdrawn'.",
            field="valid_for_months",
        )
    if effective_from < timezone.localdate():
        raise DomainError("A version cannot take effect in the past.", field="effective_from")
    return title, body


@transaction.atomic
def consent_template_create_version(
    *,
    actor: User,
    kind: ConsentKind | str,
    title: str,
    body: str,
    valid_for_months: int | None,
    effective_from: dt.date | None = None,
) -> ConsentTemplate:
    """Publish the next version of a consent form. Earlier versions and their signatures stay."""
    _require_manager(actor)
    if kind not in ConsentKind.values:
        raise DomainError("Choose a kind of consent.", field="kind")
    effective_from = effective_from or timezone.localdate()
    title, body = _clean_template_fields(
        title=title, body=body, valid_for_months=valid_for_months, effective_from=effective_from
    )
    # Locking the kind's versions makes two managers publishing at once take turns.
    existing = ConsentTemplate.objects.select_for_update().filter(kind=kind)
    latest = existing.aggregate(latest=Max("version"))["latest"] or 0
    template = ConsentTemplate(
        kind=kind,
        version=latest + 1,
        title=title,
        body=body,
        valid_for_months=valid_for_months,
        effective_from=effective_from,
        created_by=actor,
    )
    template.full_clean()
    template.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=template,
        detail={"kind": template.kind, "version": template.version},
    )
    return template


@transaction.atomic
def consent_template_update(
    *,
    actor: User,
    template: ConsentTemplate,
    title: str,
    body: str,
    valid_for_months: int | None,
    effective_from: dt.date,
) -> ConsentTemplate:
    """Correct a version nobody has signed yet; a signed version is fixed for good."""
    _require_manager(actor)
    template = ConsentTemplate.objects.select_for_update().get(pk=template.pk)
    if consent_template_has_signatures(template):
        raise DomainError(
            "People have signed this version, so its text cannot change. "
            "Create a new version instead."
        )
    if template.retired_at is not None:
        raise DomainError("This version is retired. Create a new version instead.")
    title, body = _clean_template_fields(
        title=title, body=body, valid_for_months=valid_for_months, effective_from=effective_from
    )
    changed = [
        name
        for name, value in (
            ("title", title),
            ("body", body),
            ("valid_for_months", valid_for_months),
            ("effective_from", effective_from),
        )
        if getattr(template, name) != value
    ]
    if not changed:
        return template
    template.title, template.body = title, body
    template.valid_for_months, template.effective_from = valid_for_months, effective_from
    template.full_clean()
    template.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=template, detail={"fields": changed})
    return template


@transaction.atomic
def consent_template_retire(*, actor: User, template: ConsentTemplate) -> ConsentTemplate:
    """Stop offering a version for signing; consents already signed on it are unaffected."""
    _require_manager(actor)
    template = ConsentTemplate.objects.select_for_update().get(pk=template.pk)
    if template.retired_at is not None:
        raise DomainError("This version is already retired.")
    template.retired_at = timezone.now()
    template.save(update_fields=["retired_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=template, detail={"fields": ["retired_at"]})
    return template


def _normalised_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _check_signer(patient: Patient, typed_name: str, signer_relationship: str) -> None:
    if not typed_name:
        raise DomainError("Type the full name of the person signing.", field="typed_name")
    if signer_relationship:
        return
    if _normalised_name(typed_name) != _normalised_name(patient.full_name):
        raise DomainError(
            f"The typed name must be the patient's full name, {patient.full_name}. If someone "
            "else is signing for the patient, say how they are related to them.",
            field="typed_name",
        )


@transaction.atomic
def consent_sign(
    *,
    actor: User,
    patient: Patient,
    template: ConsentTemplate,
    typed_name: str,
    signature_png: bytes,
    witness_confirmed: bool,
    signer_relationship: str = "",
    shown_text_sha256: str = "",
) -> SignedConsent:
    """Store a consent the patient signed in front of `actor`, who witnesses it.

    The typed name must be the patient's full name (ignoring case and spacing), unless
    `signer_relationship` says who else signs for them (a parent, guardian or attorney); then the
    typed name is that person's. `shown_text_sha256`, when given, is the fingerprint of the text on
    the screen the patient read: a signature is refused if the form changed meanwhile.
    """
    _require_clinic_staff(actor, patient)
    typed_name = re.sub(r"\s+", " ", typed_name).strip()
    signer_relationship = signer_relationship.strip()
    # The lock keeps a manager from correcting the text between this check and the signature.
    template = ConsentTemplate.objects.select_for_update().get(pk=template.pk)
    current = consent_template_current(template.kind)
    if current is None or current.pk != template.pk:
        raise DomainError(
            "This version of the form is no longer the one to sign. Open the current version and "
            "go through it with the patient."
        )
    if shown_text_sha256 and shown_text_sha256 != template.text_sha256:
        raise DomainError(
            "The text of this form changed while the page was open. Read the new text with the "
            "patient, then sign again."
        )
    _check_signer(patient, typed_name, signer_relationship)
    signature_png_check(signature_png)
    if not witness_confirmed:
        raise DomainError(
            "Tick the box to confirm you watched the patient sign.", field="witness_confirmed"
        )
    consent = _new_consent(
        actor=actor,
        patient=patient,
        template=template,
        typed_name=typed_name,
        signer_relationship=signer_relationship,
        signature_png=signature_png,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=consent,
        detail={
            "kind": consent.kind,
            "version": template.version,
            "signed_by": signer_relationship or "patient",
            "document_sha256": consent.document_sha256,
        },
    )
    return consent


def _new_consent(
    *,
    actor: User,
    patient: Patient,
    template: ConsentTemplate,
    typed_name: str,
    signer_relationship: str,
    signature_png: bytes,
) -> SignedConsent:
    signed_at = timezone.now()
    consent = SignedConsent(
        patient=patient,
        template=template,
        kind=template.kind,
        title_snapshot=template.title,
        body_snapshot=template.body,
        typed_name=typed_name,
        signer_relationship=signer_relationship,
        signature_png=signature_png,
        signed_at=signed_at,
        expires_on=expiry_date(timezone.localdate(signed_at), template.valid_for_months),
        witness=actor,
        witness_name=actor.get_full_name() or actor.get_username(),
    )
    consent.document_sha256 = consent_document_sha256(
        kind=consent.kind,
        version=template.version,
        patient_id=patient.pk,
        title=consent.title_snapshot,
        body=consent.body_snapshot,
        typed_name=typed_name,
        signer_relationship=signer_relationship,
        witness_name=consent.witness_name,
        signed_at=signed_at,
        signature_png=signature_png,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: SignedConsent, reason: str) -> ConsentWithdrawal:
    """Record that the patient withdrew this consent, as of now. The signed record is kept."""
    patient = consent.patient
    _require_clinic_staff(actor, patient)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Say why the consent is withdrawn, in the patient's words if you can.", field="reason"
        )
    # Locking the consent row serialises two people recording the same withdrawal.
    locked = SignedConsent.objects.select_for_update().get(pk=consent.pk)
    if ConsentWithdrawal.objects.filter(consent_id=locked.pk).exists():
        raise DomainError("This consent has already been withdrawn.")
    if not consent_is_withdrawable(locked):
        raise DomainError(
            "The patient has signed this kind of consent again since. Withdraw the latest one."
        )
    withdrawal = ConsentWithdrawal(
        consent=locked,
        withdrawn_at=timezone.now(),
        recorded_by=actor,
        recorded_by_name=actor.get_full_name() or actor.get_username(),
        reason=reason,
    )
    withdrawal.full_clean()
    withdrawal.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=patient,
        obj=locked,
        detail={"withdrawn": True, "kind": locked.kind, "reason": reason},
    )
    return withdrawal
