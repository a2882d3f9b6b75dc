"""The formulary: products and what is in them, lots and their stock ledger, cocktail recipes
(versioned) and the batches of syringes prepared from them.

Stock is never stored as a number that can be edited: the quantity on hand of a lot is the sum
of its movements, and movements are append-only (`save()` refuses changes and, on PostgreSQL,
the database refuses UPDATE and DELETE; migration 0002). Recipe versions are immutable in the
same way: an edit makes a new version, so a session keeps the version it was given.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mesotrack.core.models import TimeStampedModel

APPEND_ONLY_MESSAGE = "Stock movements cannot be changed or deleted; record a correction instead."
IMMUTABLE_VERSION_MESSAGE = "A recipe version cannot be changed; save a new version instead."
DEFAULT_EXPIRY_WARNING_DAYS = 30


class AppendOnlyRecordError(RuntimeError):
    """Raised on any attempt to change or delete a stock movement or a recipe version."""


class ProductKind(models.TextChoices):
    READY_MADE = "ready_made", "Ready-made vial"
    COMPOUNDED = "compounded", "Compounded preparation"
    ANAESTHETIC = "anaesthetic", "Anaesthetic"
    DILUENT = "diluent", "Diluent"
    # Prepared from the patient's own blood on the day: in recipes, never in stock.
    AUTOLOGOUS = "autologous", "Autologous preparation (PRP)"


class StockUnit(models.TextChoices):
    ML = "mL", "mL"
    G = "g", "g"


class AmountUnit(models.TextChoices):
    G = "g", "g"
    MG = "mg", "mg"
    MICROGRAM = "µg", "µg"


class Product(TimeStampedModel):
    """Something the clinic stocks or mixes: a vial, a compounded solution, a cream, saline."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="formulary_products"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProductKind.choices)
    unit = models.CharField(
        max_length=4,
        choices=StockUnit.choices,
        default=StockUnit.ML,
        help_text="Stock is counted in this unit; the composition is given per 1 of it.",
    )
    manufacturer = models.CharField(max_length=200, blank=True)
    presentation = models.CharField(
        max_length=100, blank=True, help_text="How it comes, e.g. '5 mL vial' or '30 g tube'."
    )
    storage = models.CharField(
        max_length=200,
        blank=True,
        help_text="How to store it, e.g. 'Below 25 °C, away from light'.",
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="formulary_product_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stocked(self) -> bool:
        return self.kind != ProductKind.AUTOLOGOUS


class ProductIngredient(models.Model):
    """One line of a product's composition: so much of an ingredient per 1 mL (or 1 g)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="composition")
    ingredient_code = models.CharField(max_length=60)
    amount = models.DecimalField(
        max_digits=12, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    amount_unit = models.CharField(max_length=2, choices=AmountUnit.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "ingredient_code"], name="formulary_composition_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ingredient_code} {self.amount} {self.amount_unit}"


class LotStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    QUARANTINED = "quarantined", "Quarantined"
    RECALLED = "recalled", "Recalled"
    EXPIRED = "expired", "Expired"


class Lot(TimeStampedModel):
    """One manufacturer's lot of a product as held by one clinic."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="formulary_lots"
    )
    lot_number = models.CharField(max_length=60)
    expiry_date = models.DateField()
    supplier = models.CharField(max_length=200)
    received_on = models.DateField()
    storage_notes = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=LotStatus.choices, default=LotStatus.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["expiry_date", "received_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "product", "lot_number"], name="formulary_lot_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "product", "expiry_date"], name="formulary_lot_fefo"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} lot {self.lot_number}"

    def effective_status(self, today: dt.date) -> LotStatus:
        """The recorded status, or `expired` once the expiry date has passed."""
        if self.status == LotStatus.ACTIVE and self.expiry_date < today:
            return LotStatus.EXPIRED
        return LotStatus(self.status)

    def is_usable_on(self, today: dt.date) -> bool:
        return self.effective_status(today) == LotStatus.ACTIVE


class MovementKind(models.TextChoices):
    RECEIVE = "receive", "Received"
    USE = "use", "Used"
    WASTE = "waste", "Wasted"
    ADJUST = "adjust", "Adjusted"
    RETURN = "return", "Returned to supplier"


class StockMovement(models.Model):
    """One line of a lot's ledger. `quantity` is signed: in (+) or out (−), in the product unit."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formulary_movements",
    )
    # What the stock was used for, e.g. "courses.Appointment:123" (set with the patient).
    session_ref = models.CharField(max_length=100, blank=True)
    batch = models.ForeignKey(
        "PreparedBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["lot", "kind"], name="formulary_movement_lot_kind"),
            models.Index(fields=["session_ref"], name="formulary_movement_session"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="formulary_movement_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="receive") | Q(quantity__gt=0),
                name="formulary_receive_adds",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["use", "waste", "return"]) | Q(quantity__lt=0),
                name="formulary_outgoing_removes",
            ),
            models.CheckConstraint(
                condition=~Q(kind="use") | Q(patient__isnull=False) | Q(batch__isnull=False),
                name="formulary_use_names_patient_or_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} of lot {self.lot_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)


class RecipeModality(models.TextChoices):
    MESOTHERAPY = "mesotherapy", "Mesotherapy"
    PRP = "prp", "PRP"


class Recipe(TimeStampedModel):
    """A named cocktail, e.g. "Dutasteride 0.01% + saline"; what is in it lives in versions."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="formulary_recipes"
    )
    name = models.CharField(max_length=200)
    modality = models.CharField(max_length=20, choices=RecipeModality.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="formulary_recipe_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> "RecipeVersion":
        """The newest version (every recipe is created with its first version)."""
        return self.versions.latest("version")


class RecipeVersion(models.Model):
    """What one session of the recipe holds. Immutable once created."""

    recipe = models.ForeignKey(Recipe, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    total_volume_ml = models.DecimalField(max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["recipe", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipe", "version"], name="formulary_recipe_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipe.name} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyRecordError(IMMUTABLE_VERSION_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyRecordError(IMMUTABLE_VERSION_MESSAGE)


class RecipeComponent(models.Model):
    """So many mL of a product in one session of a recipe version."""

    version = models.ForeignKey(RecipeVersion, on_delete=models.PROTECT, related_name="components")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    volume_ml = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "product"], name="formulary_component_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volume_ml} mL {self.product_id}"


class FormularySettings(models.Model):
    """Per-clinic settings of the formulary."""

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="formulary_settings"
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        default=DEFAULT_EXPIRY_WARNING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Warn this many days before a lot expires.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "formulary settings"

    def __str__(self) -> str:
        return f"Formulary settings of clinic {self.clinic_id}"


# Prepared batches live in their own module; importing them here registers them with the app.
from mesotrack.formulary.batch_models import PreparedBatch as PreparedBatch  # noqa: E402
from mesotrack.formulary.batch_models import PreparedSyringe as PreparedSyringe  # noqa: E402
from mesotrack.formulary.batch_models import SyringeStatus as SyringeStatus  # noqa: E402
