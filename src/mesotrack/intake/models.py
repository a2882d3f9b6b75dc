"""Versioned patient intake: one row per version, editable until a practitioner signs it."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from mesotrack.core.models import TimeStampedModel

SIGNED_MESSAGE = "This intake is signed and cannot be changed; start a new version."


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class SignedIntakeError(RuntimeError):
    """Raised on any attempt to change or delete a signed intake row."""


class Intake(TimeStampedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="intakes"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    # Validated by intake.answers.IntakeAnswers; lab values keep both as-entered and canonical.
    answers = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The signed version this one was copied from.",
    )

    # The status as last read from or written to the database: what save() and delete() guard.
    _stored_status: str | None = None

    class Meta:
        ordering = ["patient", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="intake_version_unique"),
            # Two clinicians starting a new version at once must not get two drafts.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="draft"),
                name="intake_one_draft_per_patient",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="intake_version_positive"),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", signed_by__isnull=True, signed_at__isnull=True)
                    | Q(status="signed", signed_by__isnull=False, signed_at__isnull=False)
                ),
                name="intake_signature_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Intake v{self.version} ({self.get_status_display()})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> "Intake":
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_signed(self) -> bool:
        return self.status == IntakeStatus.SIGNED

    def _status_in_database(self) -> str | None:
        if self._state.adding or self.pk is None:
            return None
        stored = self._stored_status
        if stored is None:
            stored = Intake.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._status_in_database() == IntakeStatus.SIGNED:
            raise SignedIntakeError(SIGNED_MESSAGE)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._status_in_database() == IntakeStatus.SIGNED:
            raise SignedIntakeError(SIGNED_MESSAGE)
        return super().delete(*args, **kwargs)
