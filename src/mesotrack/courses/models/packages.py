"""Course packages: sessions paid for in advance, and their append-only ledger."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from mesotrack.core.models import TimeStampedModel
from mesotrack.courses.models.courses import Appointment, TreatmentCourse

APPEND_ONLY_MESSAGE = "Package entries cannot be changed or deleted once written."


class CoursePackage(TimeStampedModel):
    """Sessions paid for in advance; what is left is the sum of the package's entries."""

    course = models.ForeignKey(TreatmentCourse, on_delete=models.PROTECT, related_name="packages")
    sessions = models.PositiveSmallIntegerField()
    price_per_session = models.DecimalField(max_digits=10, decimal_places=2)
    total_price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gt=0), name="package_has_sessions"),
            models.CheckConstraint(
                condition=Q(price_per_session__gte=0, total_price__gte=0),
                name="package_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions} sessions ({self.total_price} {self.currency})"


class PackageEntryKind(models.TextChoices):
    PURCHASE = "purchase", "Purchase"
    USE = "use", "Session used"
    REFUND = "refund", "Refund"
    ADJUSTMENT = "adjustment", "Adjustment"


class PackageEntry(models.Model):
    """Append-only: sessions (+ bought, − used or refunded) and money moved."""

    package = models.ForeignKey(CoursePackage, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=PackageEntryKind.choices)
    sessions = models.SmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "package entries"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(kind="use"),
                name="package_use_once_per_appointment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sessions:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError(APPEND_ONLY_MESSAGE)
