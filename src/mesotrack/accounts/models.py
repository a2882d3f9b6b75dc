"""Organisations, clinics, users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    MANAGER = "manager", "Clinic manager"
    PRACTITIONER = "practitioner", "Practitioner"
    NURSE = "nurse", "Nurse"
    RECEPTIONIST = "receptionist", "Receptionist"


STAFF_ROLES = frozenset(Role)
CLINICAL_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER, Role.NURSE})
# Managers and practitioners can change clinical decisions and see everything: 2FA is mandatory.
TWO_FACTOR_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER})


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Clinic(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=6,
        unique=True,
        help_text="Short prefix of the clinic's record numbers, e.g. LDN.",
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    last_record_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="clinic_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login: staff (with memberships) or a patient (linked from patients.Patient.user)."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_role_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.clinic}"
