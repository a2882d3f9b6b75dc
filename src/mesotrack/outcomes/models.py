"""Outcome measures over time: measurement sites, visits and their measures, clinical photos,
trichoscopy analyses with the practitioner's corrections, and each clinic's outcome settings.

Images are files in private storage (see storage.py); rows hold what was measured and who did it.
Corrections are append-only: the automatic result and every change to it stay on record.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mesotrack.core.models import TimeStampedModel
from mesotrack.outcomes.codes import (
    REFERENCE_REGIONS,
    Landmark,
    MeasurementSource,
    ScalpRegion,
)

DEFAULT_VELLUS_THRESHOLD_UM = 30.0
APPEND_ONLY_MESSAGE = "A correction cannot be changed or deleted once recorded."


class OutcomeSettings(models.Model):
    """A clinic's choices for outcome measures; a clinic without a row uses the defaults."""

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="outcome_settings"
    )
    # Trichoscopy texts cut at 30 µm (Rakowska), TrichoScan at 40 µm (clinical_rules.md §6).
    vellus_threshold_um = models.FloatField(default=DEFAULT_VELLUS_THRESHOLD_UM)
    responder_gain_percent = models.FloatField(default=10.0)
    responder_after_months = models.PositiveSmallIntegerField(default=6)
    responder_window_days = models.PositiveSmallIntegerField(default=45)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Outcome settings of {self.clinic}"


class DeviceProfile(models.Model):
    """A dermatoscope set-up the clinic calibrated once: how many pixels make a millimetre."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="device_profiles"
    )
    name = models.CharField(max_length=80)
    px_per_mm = models.FloatField("pixels per millimetre")
    magnification = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="device_profile_name_unique"),
            models.CheckConstraint(condition=Q(px_per_mm__gt=0), name="device_profile_px_positive"),
        ]

    def __str__(self) -> str:
        suffix = f", {self.magnification}" if self.magnification else ""
        return f"{self.name} ({self.px_per_mm:g} px/mm{suffix})"


class MeasurementSite(models.Model):
    """A spot on the scalp found again at every visit: a landmark and offsets, or a tattoo dot."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="measurement_sites"
    )
    label = models.CharField(max_length=60)
    region = models.CharField(max_length=20, choices=ScalpRegion.choices)
    landmark = models.CharField(max_length=30, choices=Landmark.choices, blank=True)
    # From the landmark: along the midline towards the back (negative: towards the face), and
    # to the patient's right (negative: to their left).
    offset_back_mm = models.FloatField(null=True, blank=True)
    offset_right_mm = models.FloatField(null=True, blank=True)
    tattoo_dot = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "label"], name="measurement_site_label"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_reference(self) -> bool:
        return self.region in REFERENCE_REGIONS

    @property
    def location_text(self) -> str:
        parts = []
        if self.landmark:
            parts.append(self.get_landmark_display())
            if self.offset_back_mm:
                way = "behind" if self.offset_back_mm > 0 else "in front"
                parts.append(f"{abs(self.offset_back_mm):g} mm {way}")
            if self.offset_right_mm:
                side = "right" if self.offset_right_mm > 0 else "left"
                parts.append(f"{abs(self.offset_right_mm):g} mm to the {side}")
        if self.tattoo_dot:
            parts.append("tattoo dot")
        return ", ".join(parts)


class MeasurementVisit(TimeStampedModel):
    """One day's outcome record for a patient: the visit-level measures, and site measures
    (SiteMeasurement) below it. `label` names the visit freely until sessions link here."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="measurement_visits"
    )
    measured_on = models.DateField()
    label = models.CharField(max_length=60, blank=True)
    hair_count_60s = models.PositiveSmallIntegerField("60-second hair count", null=True, blank=True)
    pull_test_hairs_held = models.PositiveSmallIntegerField(null=True, blank=True)
    pull_test_hairs_out = models.PositiveSmallIntegerField(null=True, blank=True)
    asfs_total = models.PositiveSmallIntegerField("ASFS", null=True, blank=True)
    global_photographic_score = models.SmallIntegerField(null=True, blank=True)
    self_assessment_score = models.SmallIntegerField(null=True, blank=True)
    qol_instrument = models.CharField("quality-of-life questionnaire", max_length=60, blank=True)
    qol_score = models.FloatField("quality-of-life score", null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "measured_on"], name="measurement_visit_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(pull_test_hairs_out__isnull=True)
                | Q(pull_test_hairs_held__isnull=True)
                | Q(pull_test_hairs_out__lte=F("pull_test_hairs_held")),
                name="measurement_visit_pull_out_within_held",
            ),
            models.CheckConstraint(
                condition=Q(asfs_total__isnull=True) | Q(asfs_total__lte=80),
                name="measurement_visit_asfs_at_most_80",
            ),
            models.CheckConstraint(
                condition=Q(global_photographic_score__isnull=True)
                | Q(global_photographic_score__gte=-3, global_photographic_score__lte=3),
                name="measurement_visit_photo_score_range",
            ),
            models.CheckConstraint(
                condition=Q(self_assessment_score__isnull=True)
                | Q(self_assessment_score__gte=-3, self_assessment_score__lte=3),
                name="measurement_visit_self_score_range",
            ),
            models.CheckConstraint(
                condition=Q(qol_score__isnull=True) | Q(qol_score__gte=0, qol_score__lte=100),
                name="measurement_visit_qol_range",
            ),
        ]

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"Measurements of {self.measured_on:%d %b %Y}{label}"


class SiteMeasurement(models.Model):
    """What one capture of one site measured at a visit. Several captures of the same site on
    the same day are repeat captures: their spread is the measurement's own noise."""

    visit = models.ForeignKey(
        MeasurementVisit, on_delete=models.PROTECT, related_name="site_measurements"
    )
    site = models.ForeignKey(MeasurementSite, on_delete=models.PROTECT, related_name="measurements")
    capture = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(
        max_length=20, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    analysis = models.OneToOneField(
        "outcomes.TrichoscopyAnalysis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_measurement",
    )
    hair_count = models.PositiveIntegerField(null=True, blank=True)
    area_mm2 = models.FloatField("area (mm²)", null=True, blank=True)
    density_per_cm2 = models.FloatField("density (hairs/cm²)", null=True, blank=True)
    mean_diameter_um = models.FloatField("mean shaft diameter (µm)", null=True, blank=True)
    terminal_count = models.PositiveIntegerField(null=True, blank=True)
    vellus_count = models.PositiveIntegerField(null=True, blank=True)
    vellus_threshold_um = models.FloatField(default=DEFAULT_VELLUS_THRESHOLD_UM)
    cumulative_thickness_mm_per_cm2 = models.FloatField(
        "cumulative hair thickness (mm/cm²)", null=True, blank=True
    )
    anagen_percent = models.FloatField("anagen hairs (%)", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["visit", "site", "capture"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "site", "capture"], name="site_measurement_capture_unique"
            ),
            models.CheckConstraint(
                condition=Q(anagen_percent__isnull=True)
                | Q(anagen_percent__gte=0, anagen_percent__lte=100),
                name="site_measurement_anagen_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["site", "visit"], name="site_measurement_site_visit")]

    def __str__(self) -> str:
        return f"{self.site} capture {self.capture}"

    @property
    def vellus_percent(self) -> float | None:
        if self.vellus_count is None or not self.hair_count:
            return None
        return 100.0 * self.vellus_count / self.hair_count

    @property
    def anagen_telogen_ratio(self) -> float | None:
        if self.anagen_percent is None or self.anagen_percent >= 100:
            return None
        return self.anagen_percent / (100.0 - self.anagen_percent)


# Images, analyses and corrections live in their own module; importing them here registers them.
from mesotrack.outcomes.image_models import AnalysisCorrection as AnalysisCorrection  # noqa: E402
from mesotrack.outcomes.image_models import AppendOnlyRecordError as AppendOnlyRecordError  # noqa: E402
from mesotrack.outcomes.image_models import ClinicalPhoto as ClinicalPhoto  # noqa: E402
from mesotrack.outcomes.image_models import ImageFile as ImageFile  # noqa: E402
from mesotrack.outcomes.image_models import TrichoscopyAnalysis as TrichoscopyAnalysis  # noqa: E402
