"""The patient registry."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from mesotrack.core.models import SoftDeletableModel


class SexAtBirth(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Not recorded"


class Patient(SoftDeletableModel):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField(max_length=20, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField(max_length=10, choices=SexAtBirth.choices)
    gender = models.CharField(max_length=60, blank=True, help_text="As the patient describes it.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    preferred_language = models.CharField(max_length=40, default="English")
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_record",
        help_text="The patient's own login for the portal, if they have one.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Lower-cased "given family record phone-digits", kept by the services; search matches it
    # (a trigram index on PostgreSQL makes substring search fast at 100,000+ patients).
    search_text = models.TextField(editable=False, default="")
    phone_digits = models.CharField(max_length=40, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "record_number"], name="record_number_unique_in_clinic"
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"], name="patient_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.record_number})"

    def clean(self) -> None:
        born = self.date_of_birth
        if isinstance(born, dt.date) and born > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth is in the future."})
        if isinstance(born, dt.date) and born.year < 1900:
            raise ValidationError({"date_of_birth": "Check the year: it is before 1900."})

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
