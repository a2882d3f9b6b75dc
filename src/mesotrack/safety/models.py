"""Adverse events after treatment sessions, and the in-app notifications they raise."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mesotrack.core.models import TimeStampedModel
from mesotrack.safety.grading import needs_review
from mesotrack.safety.terms import adverse_event_terms, term_label


class Outcome(models.TextChoices):
    # ICH E2B outcome categories.
    RECOVERED = "recovered", "Recovered / resolved"
    RECOVERING = "recovering", "Recovering / resolving"
    NOT_RECOVERED = "not_recovered", "Not recovered / not resolved"
    SEQUELAE = "sequelae", "Recovered with sequelae"
    FATAL = "fatal", "Fatal"
    UNKNOWN = "unknown", "Unknown"


class Seriousness(models.TextChoices):
    # ICH E2A seriousness criteria.
    DEATH = "death", "Resulted in death"
    LIFE_THREATENING = "life_threatening", "Life-threatening"
    HOSPITALISATION = "hospitalisation", "Required or prolonged hospitalisation"
    DISABILITY = "disability", "Persistent or significant disability or incapacity"
    OTHER_IMPORTANT = "other_medically_important", "Other medically important event"


class Causality(models.TextChoices):
    # WHO-UMC causality categories.
    CERTAIN = "certain", "Certain"
    PROBABLE = "probable", "Probable"
    POSSIBLE = "possible", "Possible"
    UNLIKELY = "unlikely", "Unlikely"


class AdverseEvent(TimeStampedModel):
    """A side effect reported after a session (or, reported without one, for the patient)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="adverse_events"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "charting.TreatmentSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    term = models.CharField(max_length=40)
    other_term = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    grade = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    pain_nrs = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    onset_at = models.DateTimeField()
    duration_hours = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.UNKNOWN)
    seriousness = models.JSONField(default=list, blank=True)
    # Kept with the criteria so the block and the signal queries filter on a plain column.
    serious = models.BooleanField(default=False)
    causality = models.CharField(max_length=10, choices=Causality.choices)
    suspected_lots = models.ManyToManyField("formulary.Lot", blank=True, related_name="+")
    suspected_ingredients = models.JSONField(default=list, blank=True)
    zones = models.JSONField(default=list, blank=True)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actions_taken = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-onset_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "onset_at"], name="safety_event_patient"),
            models.Index(fields=["session"], name="safety_event_session"),
            models.Index(fields=["clinic", "onset_at"], name="safety_event_clinic"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=5), name="safety_grade_1_5"
            ),
            models.CheckConstraint(
                condition=Q(pain_nrs__isnull=True) | Q(pain_nrs__lte=10),
                name="safety_pain_nrs_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term_label} (grade {self.grade})"

    @property
    def term_label(self) -> str:
        if self.term == "other" and self.other_term:
            return f"Other: {self.other_term}"
        return term_label(self.term)

    @property
    def meddra_label(self) -> str:
        term = adverse_event_terms().get(self.term)
        return term.meddra_label if term else "—"

    @property
    def session_start(self) -> "dt.datetime | None":
        if self.session is None:
            return None
        return self.session.started_at or self.session.checked_in_at

    @property
    def is_serious(self) -> bool:
        return self.serious

    @property
    def needs_review(self) -> bool:
        return needs_review(grade=self.grade, serious=self.is_serious)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_blocking(self) -> bool:
        return self.needs_review and not self.is_reviewed

    @property
    def seriousness_labels(self) -> list[str]:
        return [Seriousness(code).label for code in self.seriousness]


class Notification(models.Model):
    """An in-app message to one user, e.g. the manager told of a serious adverse event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_notifications"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    adverse_event = models.ForeignKey(
        AdverseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="safety_notification_unread")]

    def __str__(self) -> str:
        return self.text
