"""Treatment courses, their appointments, and the slot rows that make double booking impossible.

Every booked appointment claims its 15-minute grid slots in `PractitionerSlot` and `ChairSlot`,
each unique per practitioner or chair and slot, so two concurrent bookings of one slot cannot
both commit (on SQLite and PostgreSQL).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mesotrack.core.models import TimeStampedModel
from mesotrack.courses.models.clinic_time import Chair, Modality


class Zone(models.TextChoices):
    FRONTAL_HAIRLINE = "frontal_hairline", "Frontal hairline"
    FRONTAL = "frontal", "Frontal"
    MID_SCALP = "mid_scalp", "Mid-scalp"
    VERTEX = "vertex", "Vertex (crown)"
    LEFT_TEMPORAL = "left_temporal", "Left temporal"
    RIGHT_TEMPORAL = "right_temporal", "Right temporal"
    LEFT_PARIETAL = "left_parietal", "Left parietal"
    RIGHT_PARIETAL = "right_parietal", "Right parietal"
    OCCIPITAL = "occipital", "Occipital"


class CourseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class TreatmentCourse(TimeStampedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_courses"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    protocol_code = models.CharField(max_length=60)
    protocol_label = models.CharField(max_length=200)
    # The protocol as it was when the course was planned (a clinic may edit its own later).
    protocol = models.JSONField()
    modality = models.CharField(max_length=20, choices=Modality.choices)
    recipe_version = models.ForeignKey(
        "formulary.RecipeVersion", on_delete=models.PROTECT, related_name="+"
    )
    target_zones = models.JSONField(default=list)
    start_date = models.DateField()
    preferred_time = models.TimeField(null=True, blank=True)
    session_count = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["clinic", "status"], name="course_clinic_status")]

    def __str__(self) -> str:
        return f"{self.protocol_label} from {self.start_date:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.status in (CourseStatus.PLANNED, CourseStatus.IN_PROGRESS)

    def zone_labels(self) -> list[str]:
        labels = dict(Zone.choices)
        return [str(labels.get(zone, zone)) for zone in self.target_zones]


class AppointmentKind(models.TextChoices):
    SESSION = "session", "Treatment session"
    MEASUREMENT = "measurement", "Measurement visit"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"
    RESCHEDULED = "rescheduled", "Moved"


LIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED)


class Appointment(TimeStampedModel):
    course = models.ForeignKey(
        TreatmentCourse, on_delete=models.PROTECT, related_name="appointments"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chair = models.ForeignKey(Chair, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    # Session number (1..N), or the measurement visit's position in the protocol.
    number = models.PositiveSmallIntegerField()
    measurement_code = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=120)
    phase = models.CharField(max_length=20, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    window_earliest = models.DateField()
    window_target = models.DateField()
    window_latest = models.DateField()
    window_late = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "kind", "number"],
                condition=Q(status__in=["booked", "attended"]),
                name="one_live_appointment_per_visit",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_later"
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_time"),
            models.Index(fields=["practitioner", "starts_at"], name="appointment_person_time"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_time"),
        ]

    def __str__(self) -> str:
        return f"{self.label} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_session(self) -> bool:
        return self.kind == AppointmentKind.SESSION

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class PractitionerSlot(models.Model):
    """One 15-minute slot of a practitioner's time held by a booked appointment."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="practitioner_slots"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "starts_at"], name="practitioner_slot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class ChairSlot(models.Model):
    """One 15-minute slot of a chair held by a booked appointment."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="chair_slots"
    )
    chair = models.ForeignKey(Chair, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chair", "starts_at"], name="chair_slot_once")
        ]

    def __str__(self) -> str:
        return f"Chair {self.chair_id} at {self.starts_at:%Y-%m-%d %H:%M}"
