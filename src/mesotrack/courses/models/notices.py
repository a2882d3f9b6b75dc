"""Calendar feeds behind a secret address, and day-before reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mesotrack.courses.models.courses import Appointment


class FeedKind(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner's appointments"
    PATIENT = "patient", "Patient's appointments"


class CalendarFeed(models.Model):
    """A secret iCalendar address. Only a hash of the token is stored."""

    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="practitioner", practitioner__isnull=False, patient__isnull=True)
                    | Q(kind="patient", patient__isnull=False, practitioner__isnull=True)
                ),
                name="feed_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["practitioner", "clinic"],
                condition=Q(revoked_at__isnull=True, kind="practitioner"),
                name="one_live_practitioner_feed",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(revoked_at__isnull=True, kind="patient"),
                name="one_live_patient_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed {self.token_prefix}…"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent"


class Reminder(models.Model):
    """The day-before reminder of one appointment; unique, so never sent twice."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="reminder"
    )
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED
    )
    task_id = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminder: {self.get_status_display()}"
