"""A clinic's time: chairs, opening hours, closures, practitioners' hours and leave, and the
clinic's own protocols."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mesotrack.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Modality(models.TextChoices):
    MESOTHERAPY = "mesotherapy", "Mesotherapy"
    PRP = "prp", "PRP"


class Chair(models.Model):
    """A treatment chair (or room): one patient at a time."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["clinic", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="courses_chair_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["clinic", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_closes_later")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days the clinic is closed (bank holidays, refurbishment), first and last day included."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["clinic", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on:%d %b %Y})"


class PractitionerHours(models.Model):
    """When a practitioner works at a clinic. None at all: whenever the clinic is open."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["clinic", "practitioner", "weekday", "starts"]
        verbose_name_plural = "practitioner hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="practitioner_hours_end_later"
            )
        ]

    def __str__(self) -> str:
        hours = f"{self.starts:%H:%M}–{self.ends:%H:%M}"
        return f"{self.practitioner} {self.get_weekday_display()} {hours}"


class PractitionerLeave(models.Model):
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practitioner", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="leave_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} away {self.starts_on:%d %b}–{self.ends_on:%d %b %Y}"


class ClinicProtocol(TimeStampedModel):
    """A clinic's own protocol; `definition` obeys the same schema as the shipped table."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    modality = models.CharField(max_length=20, choices=Modality.choices)
    definition = models.JSONField()
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["clinic", "label"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="clinic_protocol_code_unique")
        ]

    def __str__(self) -> str:
        return self.label
