"""Reads of outcome records. The patient always comes from a clinic-scoped selector first
(`patient_get_for_clinician`), so every read below is already limited to the user's clinics."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, FloatField, QuerySet, Sum
from django.db.models.functions import Cast

from mesotrack.accounts.models import Clinic, Role
from mesotrack.accounts.selectors import AnyUser, clinics_for
from mesotrack.intake.selectors import patient_get_for_clinician as _clinician_patient
from mesotrack.outcomes.models import (
    AnalysisCorrection,
    ClinicalPhoto,
    DeviceProfile,
    MeasurementSite,
    MeasurementVisit,
    OutcomeSettings,
    SiteMeasurement,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.stats import RepeatGroup
from mesotrack.patients.models import Patient

# Site measures whose repeat captures give a minimal detectable change. (Hair counts are left
# out: they depend on the area counted, which differs between set-ups; density does not.)
NOISE_FIELDS = ("density_per_cm2", "mean_diameter_um", "cumulative_thickness_mm_per_cm2")


def patient_get_for_clinician(*, user: AnyUser, patient_id: int) -> Patient:
    """A patient in a clinic where the user holds a clinical role; Patient.DoesNotExist if not."""
    return _clinician_patient(user=user, patient_id=patient_id)


def outcome_settings_for(*, clinic_id: int) -> OutcomeSettings:
    """The clinic's outcome settings, or the defaults (an unsaved row) if it never set them."""
    return OutcomeSettings.objects.filter(clinic_id=clinic_id).first() or OutcomeSettings(
        clinic_id=clinic_id
    )


def clinics_managed_by(user: AnyUser) -> list[Clinic]:
    return clinics_for(user, [Role.MANAGER])


def device_profiles_for_clinic(*, clinic_id: int, active_only: bool = True) -> list[DeviceProfile]:
    profiles = DeviceProfile.objects.filter(clinic_id=clinic_id)
    if active_only:
        profiles = profiles.filter(is_active=True)
    return list(profiles.order_by("name", "id"))


def sites_for_patient(*, patient: Patient) -> list[MeasurementSite]:
    return list(MeasurementSite.objects.filter(patient=patient).order_by("id"))


def site_get_for_patient(*, patient: Patient, site_id: int) -> MeasurementSite:
    return MeasurementSite.objects.get(patient=patient, pk=site_id)


def _visits(patient: Patient) -> QuerySet[MeasurementVisit]:
    return MeasurementVisit.objects.filter(patient=patient).select_related(
        "created_by", "updated_by"
    )


def visits_for_patient(*, patient: Patient) -> list[MeasurementVisit]:
    """Every measurement visit, oldest first."""
    return list(_visits(patient).order_by("measured_on", "id"))


def visit_get_for_patient(*, patient: Patient, visit_id: int) -> MeasurementVisit:
    return _visits(patient).get(pk=visit_id)


def visit_on_day(*, patient: Patient, day: dt.date) -> MeasurementVisit | None:
    return _visits(patient).filter(measured_on=day).first()


def site_measurements_for_patient(*, patient: Patient) -> list[SiteMeasurement]:
    """Every capture of every site, with its visit and site (one query)."""
    return list(
        SiteMeasurement.objects.filter(visit__patient=patient)
        .select_related("visit", "site")
        .order_by("visit__measured_on", "site_id", "capture")
    )


def site_measurements_for_visit(*, visit: MeasurementVisit) -> list[SiteMeasurement]:
    return list(
        SiteMeasurement.objects.filter(visit=visit)
        .select_related("site", "analysis")
        .order_by("site_id", "capture")
    )


def photos_for_patient(*, patient: Patient, view: str = "") -> list[ClinicalPhoto]:
    photos = ClinicalPhoto.objects.filter(patient=patient).select_related("site", "uploaded_by")
    if view:
        photos = photos.filter(view=view)
    return list(photos.order_by("-taken_on", "-id"))


def photo_get_for_patient(*, patient: Patient, photo_id: int) -> ClinicalPhoto:
    return ClinicalPhoto.objects.select_related("site").get(patient=patient, pk=photo_id)


def analyses_for_patient(*, patient: Patient) -> list[TrichoscopyAnalysis]:
    return list(
        TrichoscopyAnalysis.objects.filter(patient=patient)
        .select_related("site", "submitted_by", "device_profile")
        .defer("result")
        .order_by("-taken_on", "-id")
    )


def analysis_get_for_patient(*, patient: Patient, analysis_id: int) -> TrichoscopyAnalysis:
    return TrichoscopyAnalysis.objects.select_related("site", "visit", "device_profile").get(
        patient=patient, pk=analysis_id
    )


def corrections_for_analysis(*, analysis: TrichoscopyAnalysis) -> list[AnalysisCorrection]:
    return list(analysis.corrections.select_related("author").order_by("id"))


def repeat_capture_sums(*, clinic_id: int) -> dict[str, list[RepeatGroup]]:
    """For each noise measure, (captures, sum, sum of squares) of every site that was captured
    more than once on one day in the clinic. One query."""
    annotations: dict[str, Any] = {}
    for name in NOISE_FIELDS:
        value = Cast(F(name), FloatField())
        annotations[f"{name}__n"] = Count(name)
        annotations[f"{name}__sum"] = Sum(value)
        annotations[f"{name}__squares"] = Sum(value * value)
    groups = (
        SiteMeasurement.objects.filter(
            visit__patient__clinic_id=clinic_id, visit__patient__deleted_at__isnull=True
        )
        .values("visit_id", "site_id")
        .annotate(captures=Count("id"), **annotations)
        .filter(captures__gte=2)  # type: ignore[misc]
        .order_by()
    )
    sums: dict[str, list[RepeatGroup]] = defaultdict(list)
    for group in groups:
        for name in NOISE_FIELDS:
            if group[f"{name}__n"] >= 2:
                sums[name].append(
                    (group[f"{name}__n"], group[f"{name}__sum"], group[f"{name}__squares"])
                )
    return dict(sums)
