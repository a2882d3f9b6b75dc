"""Clinical photos, trichoscopy analyses and their corrections. Imported by `outcomes.models`,
which re-exports them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mesotrack.outcomes.codes import (
    AnalysisStatus,
    CorrectionKind,
    PhotoView,
)
from mesotrack.outcomes.models import (
    APPEND_ONLY_MESSAGE,
    DEFAULT_VELLUS_THRESHOLD_UM,
    DeviceProfile,
    MeasurementSite,
    MeasurementVisit,
)
from mesotrack.outcomes.storage import private_storage


class ImageFile(models.Model):
    """The stored image and its checked facts (the pixels were re-encoded without metadata)."""

    image = models.FileField(storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # From the camera's EXIF DateTimeOriginal, kept when the rest of the metadata was removed.
    captured_at = models.DateTimeField(null=True, blank=True)
    taken_on = models.DateField()

    class Meta:
        abstract = True


class ClinicalPhoto(ImageFile):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="clinical_photos"
    )
    view = models.CharField(max_length=20, choices=PhotoView.choices)
    site = models.ForeignKey(
        MeasurementSite, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    visit = models.ForeignKey(
        MeasurementVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    notes = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient", "-taken_on", "-id"]
        indexes = [models.Index(fields=["patient", "view", "taken_on"], name="photo_patient_view")]

    def __str__(self) -> str:
        return f"{self.get_view_display()} photo of {self.taken_on:%d %b %Y}"


class TrichoscopyAnalysis(ImageFile):
    """One trichoscopy field: the image, its calibration and region, the analyser's result
    (kept as it came out) and the result after the practitioner's corrections."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="trichoscopy_analyses"
    )
    site = models.ForeignKey(
        MeasurementSite, null=True, blank=True, on_delete=models.PROTECT, related_name="analyses"
    )
    visit = models.ForeignKey(
        MeasurementVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="analyses"
    )
    px_per_mm = models.FloatField("pixels per millimetre")
    device_profile = models.ForeignKey(
        DeviceProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.JSONField(null=True, blank=True)
    vellus_threshold_um = models.FloatField(default=DEFAULT_VELLUS_THRESHOLD_UM)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The analyser's own output, never changed after it finishes.
    result = models.JSONField(null=True, blank=True)
    overlay = models.FileField(storage=private_storage, max_length=200, blank=True)
    area_mm2 = models.FloatField(null=True, blank=True)
    auto_hair_count = models.PositiveIntegerField(null=True, blank=True)
    auto_density_per_cm2 = models.FloatField(null=True, blank=True)
    auto_vellus_count = models.PositiveIntegerField(null=True, blank=True)
    auto_mean_diameter_um = models.FloatField(null=True, blank=True)
    quality_ok = models.BooleanField(null=True, blank=True)
    quality_messages = models.JSONField(default=list, blank=True)
    # After the corrections (equal to the automatic values until the first correction).
    hair_count = models.PositiveIntegerField(null=True, blank=True)
    density_per_cm2 = models.FloatField(null=True, blank=True)
    vellus_count = models.PositiveIntegerField(null=True, blank=True)
    mean_diameter_um = models.FloatField(null=True, blank=True)
    cumulative_thickness_mm_per_cm2 = models.FloatField(null=True, blank=True)
    corrections_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["patient", "-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(px_per_mm__gt=0), name="analysis_px_positive"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="analysis_progress_100"),
        ]
        indexes = [models.Index(fields=["patient", "taken_on"], name="analysis_patient_day")]

    def __str__(self) -> str:
        return f"Trichoscopy analysis of {self.taken_on:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)

    @property
    def is_finished(self) -> bool:
        return self.status == AnalysisStatus.FINISHED

    @property
    def terminal_count(self) -> int | None:
        if self.hair_count is None or self.vellus_count is None:
            return None
        return self.hair_count - self.vellus_count


class AppendOnlyRecordError(RuntimeError):
    pass


class AnalysisCorrection(models.Model):
    """One click of the review: a missed hair added, a false one removed, or a removal undone.

    `hair_ref` names the hair: "auto:<id>" for one the analyser found, "added:<correction id>"
    for one added by hand. Replaying the corrections in order gives the corrected result.
    """

    analysis = models.ForeignKey(
        TrichoscopyAnalysis, on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(max_length=10, choices=CorrectionKind.choices)
    hair_ref = models.CharField(max_length=30, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    is_vellus = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["analysis", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.analysis}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyRecordError(APPEND_ONLY_MESSAGE)
