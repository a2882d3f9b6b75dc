"""Assessment visits with their addenda, screening overrides, treatment plans, and the clinic
settings they read (price list, lab thresholds).

A signed assessment is a signed clinical note: `save()` refuses to change it and the database
refuses UPDATE (migration 0002). Addenda and overrides are append-only in the same way.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mesotrack.assessment.codes import (
    Diagnosis,
    Modality,
    PatientDecision,
    PriceItem,
    TelogenCourse,
)
from mesotrack.core.models import TimeStampedModel

SIGNED_MESSAGE = "This assessment is signed and cannot be changed; add an addendum instead."
APPEND_ONLY_MESSAGE = "This record cannot be changed or deleted once written."


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class SignedAssessmentError(RuntimeError):
    """Raised on any attempt to change or delete a signed assessment row."""


class AppendOnlyRecordError(RuntimeError):
    """Raised on any attempt to change or delete an addendum or an override."""


class Assessment(TimeStampedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    assessed_on = models.DateField()
    diagnosis = models.CharField(max_length=30, choices=Diagnosis.choices, blank=True)
    icd10_code = models.CharField("ICD-10 code", max_length=10, blank=True)
    telogen_course = models.CharField(max_length=10, choices=TelogenCourse.choices, blank=True)
    diagnosis_notes = models.TextField(blank=True)
    stage_scale = models.CharField(max_length=20, blank=True)
    stage_value = models.CharField(max_length=20, blank=True)
    # SALT (alopecia areata): percent of hair lost per region, and the weighted result.
    salt_loss = models.JSONField(default=dict, blank=True)
    salt_total = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    salt_class = models.CharField(max_length=2, blank=True)
    pull_test_hairs_held = models.PositiveSmallIntegerField(null=True, blank=True)
    pull_test_hairs_out = models.PositiveSmallIntegerField(null=True, blank=True)
    pull_test_positive = models.BooleanField(null=True, blank=True)
    hair_count_60s = models.PositiveSmallIntegerField("60-second hair count", null=True, blank=True)
    wash_test_total = models.PositiveIntegerField(null=True, blank=True)
    wash_test_short_percent = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True
    )
    scalp_inflammation = models.BooleanField(default=False)
    scalp_infection = models.BooleanField(default=False)
    scalp_wound = models.BooleanField(default=False)
    seborrhoeic_dermatitis = models.BooleanField(default=False)
    asfs_octants = models.JSONField(default=list, blank=True)
    asfs_total = models.PositiveSmallIntegerField("ASFS", null=True, blank=True)
    scalp_notes = models.TextField(blank=True)
    trichoscopy_findings = models.JSONField(default=list, blank=True)
    trichoscopy_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # Frozen when signed: what the practitioner saw when signing.
    lab_flags = models.JSONField(default=list, blank=True)
    screening = models.JSONField(default=list, blank=True)
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

    _stored_status: str | None = None

    class Meta:
        ordering = ["patient", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["patient", "-assessed_on"], name="assessment_patient_day")]
        constraints = [
            # One assessment is being written at a time, as with the intake.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="draft"),
                name="assessment_one_draft_per_patient",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", signed_by__isnull=True, signed_at__isnull=True)
                    | Q(status="signed", signed_by__isnull=False, signed_at__isnull=False)
                ),
                name="assessment_signature_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(pull_test_hairs_out__isnull=True)
                | Q(pull_test_hairs_held__isnull=True)
                | Q(pull_test_hairs_out__lte=F("pull_test_hairs_held")),
                name="assessment_pull_test_out_within_held",
            ),
            models.CheckConstraint(
                condition=Q(asfs_total__isnull=True) | Q(asfs_total__lte=80),
                name="assessment_asfs_at_most_80",
            ),
            models.CheckConstraint(
                condition=Q(salt_total__isnull=True) | Q(salt_total__gte=0, salt_total__lte=100),
                name="assessment_salt_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.assessed_on:%d %b %Y} ({self.get_status_display()})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> "Assessment":
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_signed(self) -> bool:
        return self.status == AssessmentStatus.SIGNED

    @property
    def stage_label(self) -> str:
        if not self.stage_scale:
            return ""
        if self.stage_scale == "salt" and self.salt_total is not None:
            return f"SALT {self.salt_total} ({self.salt_class})"
        return f"{self.stage_scale.title()} {self.stage_value}"

    def _status_in_database(self) -> str | None:
        if self._state.adding or self.pk is None:
            return None
        if self._stored_status is None:
            return Assessment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return self._stored_status

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._status_in_database() == AssessmentStatus.SIGNED:
            raise SignedAssessmentError(SIGNED_MESSAGE)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._status_in_database() == AssessmentStatus.SIGNED:
            raise SignedAssessmentError(SIGNED_MESSAGE)
        return super().delete(*args, **kwargs)


class AppendOnlyModel(models.Model):
    # A default rather than auto_now_add, so the demo can write past times without an UPDATE
    # (which the database refuses for these rows).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)


class AssessmentAddendum(AppendOnlyModel):
    """A correction or later note on a signed assessment: appended, never edited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assessment", "created_at", "id"]

    def __str__(self) -> str:
        return f"Addendum to {self.assessment}"


class TreatmentPlan(TimeStampedModel):
    """The option the practitioner and patient chose, with what the decision aid showed then."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_plans"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="treatment_plans"
    )
    chosen_modality = models.CharField(max_length=30, choices=Modality.choices)
    medical_options = models.JSONField(default=list, blank=True)
    ingredients = models.JSONField(default=list, blank=True)
    anaesthetic = models.CharField(max_length=40, blank=True)
    details = models.TextField("Protocol and details", blank=True)
    goals = models.JSONField(default=list, blank=True)
    options_snapshot = models.JSONField(default=list, blank=True)
    screening_snapshot = models.JSONField(default=list, blank=True)
    costs_snapshot = models.JSONField(default=list, blank=True)
    patient_decision = models.CharField(max_length=20, choices=PatientDecision.choices)
    decided_at = models.DateTimeField()
    decision_history = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient", "-decided_at", "-id"]
        indexes = [models.Index(fields=["patient", "-decided_at"], name="plan_patient_decided")]

    def __str__(self) -> str:
        return f"{self.get_chosen_modality_display()} ({self.get_patient_decision_display()})"


class ScreeningOverride(AppendOnlyModel):
    """A practitioner's reasoned decision to go ahead despite a screening block, for a while."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="screening_overrides"
    )
    flag_code = models.CharField(max_length=60)
    ingredient = models.CharField(max_length=40, blank=True)
    flag_message = models.TextField(blank=True)
    reason = models.TextField()
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField()
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="overrides"
    )
    plan = models.ForeignKey(
        TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="overrides"
    )

    class Meta:
        ordering = ["patient", "-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "valid_until"], name="override_patient_valid")]

    def __str__(self) -> str:
        return f"Override of {self.flag_code} until {self.valid_until:%d %b %Y}"


class ClinicPrice(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=40, choices=PriceItem.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["clinic", "item"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "item"], name="clinic_price_item_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="clinic_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.amount} {self.currency}"


class ClinicScreeningSettings(models.Model):
    """Per-clinic choices the screening reads: lab thresholds and how long an override lasts."""

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="screening_settings"
    )
    # Only the thresholds the clinic changed, by LabThresholds field name; the rest are defaults.
    lab_thresholds = models.JSONField(default=dict, blank=True)
    override_valid_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many days after the day it is recorded an override still counts "
        "(0: that day only).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Screening settings of {self.clinic}"
