"""Versioned consent forms, the consents patients sign on them, and withdrawals.

A signed consent is a record of what a person agreed to: it is written once and never changed.
Withdrawal is a separate row pointing at it, and a changed form is a new template version.
"""

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone

from mesotrack.core.errors import DomainError


class ConsentKind(models.TextChoices):
    MESOTHERAPY = "mesotherapy", "Mesotherapy"
    PRP = "prp", "PRP (platelet-rich plasma)"
    CLINICAL_PHOTOGRAPHY = "clinical_photography", "Clinical photography"
    DATA_PROCESSING = "data_processing", "Use of personal data"


class ConsentRecordLocked(DomainError):
    """A signed consent, its withdrawal, or a form someone has signed cannot be changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="locked")


# The parts of a template that a signature vouches for; none may change once it is signed.
TEMPLATE_CONTENT_FIELDS = ("kind", "version", "title", "body", "valid_for_months", "effective_from")


class ConsentTemplate(models.Model):
    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain language. Blank lines separate paragraphs; '## ' starts a heading; "
        "'- ' starts a list item."
    )
    valid_for_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long a signature stays valid. Leave empty for 'until withdrawn'.",
    )
    effective_from = models.DateField()
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self._content_changed() and self.signatures.exists():
            raise ConsentRecordLocked(
                "People have signed this version, so its text cannot change. "
                "Create a new version instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConsentRecordLocked("Consent form versions are kept; retire one instead.")

    def _content_changed(self) -> bool:
        stored = ConsentTemplate.objects.filter(pk=self.pk).values(*TEMPLATE_CONTENT_FIELDS).first()
        if stored is None:
            return False
        return any(stored[name] != getattr(self, name) for name in TEMPLATE_CONTENT_FIELDS)

    @property
    def text_sha256(self) -> str:
        """Fingerprint of the text as shown, so a signature is refused if it changed meanwhile."""
        return hashlib.sha256(f"{self.title}\n\n{self.body}".encode()).hexdigest()


class SignedConsent(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="signed_consents"
    )
    template = models.ForeignKey(
        ConsentTemplate, on_delete=models.PROTECT, related_name="signatures"
    )
    # Copied from the template so the validity check needs no join.
    kind = models.CharField(max_length=30, choices=ConsentKind.choices, editable=False)
    title_snapshot = models.CharField(max_length=200, editable=False)
    body_snapshot = models.TextField(editable=False, help_text="The exact text that was signed.")
    typed_name = models.CharField(max_length=200)
    signer_relationship = models.CharField(
        max_length=60,
        blank=True,
        help_text="Empty when the patient signed; otherwise how the signer is related to them.",
    )
    signature_png = models.BinaryField(editable=False)
    signed_at = models.DateTimeField(editable=False)
    expires_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The first day it is no longer valid."
    )
    signed_by_patient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    witness_name = models.CharField(max_length=200, editable=False)
    document_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "kind", "signed_at"], name="consent_patient_kind_time")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} consent signed {self.signed_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConsentRecordLocked(
                "A signed consent cannot be changed. Record a withdrawal, or have the patient "
                "sign again."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConsentRecordLocked("A signed consent is kept for good; record a withdrawal instead.")

    @property
    def withdrawal_or_none(self) -> "ConsentWithdrawal | None":
        try:
            return self.withdrawal
        except ObjectDoesNotExist:
            return None

    @property
    def signed_on(self) -> dt.date:
        return timezone.localdate(self.signed_at)

    def compute_sha256(self) -> str:
        return consent_document_sha256(
            kind=self.kind,
            version=self.template.version,
            patient_id=self.patient_id,
            title=self.title_snapshot,
            body=self.body_snapshot,
            typed_name=self.typed_name,
            signer_relationship=self.signer_relationship,
            witness_name=self.witness_name,
            signed_at=self.signed_at,
            signature_png=bytes(self.signature_png),
        )

    @property
    def is_intact(self) -> bool:
        """False when any signed part of the row no longer matches the stored fingerprint."""
        return self.compute_sha256() == self.document_sha256


class ConsentWithdrawal(models.Model):
    consent = models.OneToOneField(
        SignedConsent, on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawn_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200)
    reason = models.TextField()

    class Meta:
        ordering = ["-withdrawn_at"]

    def __str__(self) -> str:
        return f"Withdrawal of consent {self.consent_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConsentRecordLocked("A recorded withdrawal cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConsentRecordLocked("A recorded withdrawal is kept for good.")


def consent_document_sha256(
    *,
    kind: str,
    version: int,
    patient_id: int,
    title: str,
    body: str,
    typed_name: str,
    signer_relationship: str,
    witness_name: str,
    signed_at: dt.datetime,
    signature_png: bytes,
) -> str:
    """SHA-256 over every signed part; each part is length-prefixed so parts cannot run together."""
    digest = hashlib.sha256()
    text_parts = [
        kind,
        str(version),
        str(patient_id),
        title,
        body,
        typed_name,
        signer_relationship,
        witness_name,
        signed_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    ]
    for part in [p.encode() for p in text_parts] + [signature_png]:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()
