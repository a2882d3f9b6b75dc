"""Compounded cocktails prepared ahead: which lots went into which syringes, by whom, when,
and until when they may be given. Imported by `formulary.models`, which re-exports them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mesotrack.formulary.models import RecipeVersion


class PreparedBatch(models.Model):
    """Syringes compounded from a recipe version in one go, from named lots."""

    recipe_version = models.ForeignKey(
        RecipeVersion, on_delete=models.PROTECT, related_name="batches"
    )
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="formulary_batches"
    )
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    use_by = models.DateTimeField()
    syringes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    volume_per_syringe_ml = models.DecimalField(max_digits=6, decimal_places=2)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]

    def __str__(self) -> str:
        return f"Batch {self.pk}"


class SyringeStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    USED = "used", "Given"
    DISCARDED = "discarded", "Discarded"


class PreparedSyringe(models.Model):
    batch = models.ForeignKey(
        PreparedBatch, on_delete=models.PROTECT, related_name="prepared_syringes"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=SyringeStatus.choices, default=SyringeStatus.AVAILABLE
    )
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formulary_syringes",
    )
    session_ref = models.CharField(max_length=100, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discard_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="formulary_syringe_unique"),
            models.CheckConstraint(
                condition=~Q(status="used") | Q(patient__isnull=False),
                name="formulary_used_syringe_names_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Batch {self.batch_id} syringe {self.number}"
