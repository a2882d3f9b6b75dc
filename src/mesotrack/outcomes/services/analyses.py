"""Trichoscopy analyses: submitting an image with its calibration, and running the analyser as a
background task whose progress is stored on the analysis row for the page to show."""

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import analyser
from mesotrack.outcomes.codes import AnalysisStatus, MeasurementSource
from mesotrack.outcomes.models import (
    DeviceProfile,
    MeasurementSite,
    MeasurementVisit,
    SiteMeasurement,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.selectors import outcome_settings_for, visit_on_day
from mesotrack.outcomes.services.common import (
    checked_notes,
    require_own_site,
    require_photo_consent,
    visit_for_day,
)
from mesotrack.outcomes.services.photos import taken_day
from mesotrack.outcomes.services.roles import require_recording_role
from mesotrack.outcomes.services.visits import next_capture
from mesotrack.outcomes.storage import private_storage, random_name, store
from mesotrack.outcomes.uploads import TRICHOSCOPY_LIMITS, cleaned_image
from mesotrack.patients.models import Patient

logger = logging.getLogger(__name__)

MAX_PX_PER_MM = 20_000
CALIBRATION_MISSING = "Give the calibration: pixels per millimetre, or a saved device profile."
UNEXPECTED_FAILURE = (
    "The analyser stopped with an unexpected error. The image is kept: try the analysis again."
)


def _calibration(patient: Patient, px_per_mm: Any, device_profile: DeviceProfile | None) -> float:
    if device_profile is not None:
        if px_per_mm not in (None, ""):
            raise DomainError(
                "Give either pixels per millimetre or a device profile, not both.",
                field="px_per_mm",
            )
        if device_profile.clinic_id != patient.clinic_id or not device_profile.is_active:
            raise DomainError(
                "Choose one of this clinic's device profiles.", field="device_profile"
            )
        return device_profile.px_per_mm
    if px_per_mm in (None, ""):
        raise DomainError(CALIBRATION_MISSING, field="px_per_mm")
    try:
        value = float(px_per_mm)
    except (TypeError, ValueError):
        raise DomainError("Enter a number of pixels per millimetre.", field="px_per_mm") from None
    if not math.isfinite(value) or not 1 <= value <= MAX_PX_PER_MM:
        raise DomainError(
            f"Pixels per millimetre must be from 1 to {MAX_PX_PER_MM:,}.", field="px_per_mm"
        )
    return value


@transaction.atomic
def trichoscopy_analysis_submit(
    *,
    actor: User,
    patient: Patient,
    data: bytes,
    px_per_mm: float | str | None = None,
    device_profile: DeviceProfile | None = None,
    region: Mapping[str, Any] | None = None,
    site: MeasurementSite | None = None,
    taken_on: Any = None,
    notes: str = "",
    file_token: str | None = None,
) -> TrichoscopyAnalysis:
    """Store a trichoscopy image and queue its analysis. The image passes the same checks as a
    clinical photograph (consent, type, size, pixels before decoding) and is kept losslessly.

    The task is enqueued inside this transaction: the database task backend stores it in the
    same commit as the analysis, so neither exists without the other.
    """
    require_recording_role(actor, patient)
    require_own_site(site, patient)
    calibration = _calibration(patient, px_per_mm, device_profile)
    notes = checked_notes(notes)
    require_photo_consent(patient, timezone.localdate())
    clean = cleaned_image(data, TRICHOSCOPY_LIMITS)
    problem = analyser.region_error(region, clean.width, clean.height)
    if problem:
        raise DomainError(problem, field="region")
    day = taken_day(clean, taken_on, patient, "taken_on")
    # A site's image belongs in that day's outcome record; an unassigned one only joins a
    # record that exists already.
    visit = (
        visit_for_day(actor=actor, patient=patient, day=day)
        if site is not None
        else visit_on_day(patient=patient, day=day)
    )
    settings = outcome_settings_for(clinic_id=patient.clinic_id)
    storage = private_storage()
    folder = f"outcomes/trichoscopy/{patient.pk}"
    name = store(storage, random_name(folder, clean.extension, file_token), clean.data)
    try:
        analysis = TrichoscopyAnalysis(
            patient=patient,
            site=site,
            visit=visit,
            px_per_mm=calibration,
            device_profile=device_profile,
            region=dict(region) if region else None,
            vellus_threshold_um=settings.vellus_threshold_um,
            notes=notes,
            submitted_by=actor,
            image=name,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            file_size=len(clean.data),
            sha256=clean.sha256,
            captured_at=clean.captured_at,
            taken_on=day,
        )
        analysis.full_clean()
        analysis.save()
    except BaseException:
        storage.delete(name)
        raise
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=analysis,
        detail={
            "taken_on": day.isoformat(),
            "px_per_mm": calibration,
            "site": site.pk if site else None,
            "sha256": clean.sha256,
        },
    )
    return _enqueue(analysis)


def _enqueue(analysis: TrichoscopyAnalysis) -> TrichoscopyAnalysis:
    from mesotrack.outcomes.tasks import analyse_trichoscopy

    queued = analyse_trichoscopy.enqueue(analysis_id=analysis.pk)
    TrichoscopyAnalysis.objects.filter(pk=analysis.pk).update(task_id=str(queued.id))
    analysis.refresh_from_db()
    return analysis


@transaction.atomic
def trichoscopy_analysis_retry(
    *, actor: User, analysis: TrichoscopyAnalysis
) -> TrichoscopyAnalysis:
    """Queue a failed analysis again (same image, calibration and region)."""
    require_recording_role(actor, analysis.patient)
    status = (
        TrichoscopyAnalysis.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=analysis.pk)
    )
    if status != AnalysisStatus.FAILED:
        raise DomainError("Only a failed analysis can be run again.", code="not_failed")
    TrichoscopyAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.QUEUED, progress=0, progress_message="", error=""
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=analysis.patient,
        obj=analysis,
        detail={"retry": True},
    )
    return _enqueue(analysis)


def _progress_writer(analysis_id: int) -> Callable[[float], None]:
    shown = {"percent": -1}

    def report(fraction: float) -> None:
        percent = max(0, min(99, int(fraction * 100)))
        if percent - shown["percent"] >= 5:
            shown["percent"] = percent
            TrichoscopyAnalysis.objects.filter(pk=analysis_id).update(
                progress=percent, progress_message=f"Analysing the image ({percent}%)"
            )

    return report


def _claim(analysis_id: int) -> bool:
    with transaction.atomic():
        claimed = TrichoscopyAnalysis.objects.filter(
            pk=analysis_id, status=AnalysisStatus.QUEUED
        ).update(
            status=AnalysisStatus.RUNNING,
            started_at=timezone.now(),
            progress=1,
            progress_message="Reading the image",
        )
    return claimed == 1


def _fail(analysis: TrichoscopyAnalysis, message: str) -> str:
    TrichoscopyAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.FAILED,
        error=message,
        progress_message="",
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action=Action.UPDATE,
        patient=analysis.patient,
        obj=analysis,
        detail={"automatic": True, "status": AnalysisStatus.FAILED},
    )
    return AnalysisStatus.FAILED


def trichoscopy_analysis_run(*, analysis_id: int) -> str:
    """Run the analyser on a queued analysis (the background task calls this) and store the
    automatic result, its overlay and, when the image belongs to a site, the site's capture.
    A retried task finds the analysis no longer queued and does nothing."""
    if not _claim(analysis_id):
        return str(
            TrichoscopyAnalysis.objects.filter(pk=analysis_id)
            .values_list("status", flat=True)
            .first()
        )
    analysis = TrichoscopyAnalysis.objects.select_related("patient", "site", "visit").get(
        pk=analysis_id
    )
    started = time.perf_counter()
    try:
        with analysis.image.open("rb") as stored:
            pixels = analyser.load_pixels(
                stored.read(),
                max_bytes=TRICHOSCOPY_LIMITS.max_bytes * 4,
                max_pixels=TRICHOSCOPY_LIMITS.max_pixels,
            )
        output = analyser.run(
            pixels,
            px_per_mm=analysis.px_per_mm,
            region=analysis.region,
            vellus_threshold_um=analysis.vellus_threshold_um,
            progress=_progress_writer(analysis.pk),
        )
    except ValueError as error:
        return _fail(analysis, f"The image could not be analysed: {error}")
    except Exception:
        logger.exception("Trichoscopy analysis %s failed", analysis_id)
        return _fail(analysis, UNEXPECTED_FAILURE)
    _finish(analysis, output, time.perf_counter() - started)
    return AnalysisStatus.FINISHED


@transaction.atomic
def _finish(analysis: TrichoscopyAnalysis, output: analyser.AnalyserOutput, seconds: float) -> None:
    result = output.result
    storage = private_storage()
    overlay_name = store(
        storage, f"{analysis.image.name.rsplit('.', 1)[0]}-overlay.png", output.overlay_png
    )
    quality = result.get("quality", {})
    analysis.result = result
    analysis.overlay = overlay_name
    analysis.area_mm2 = result["area_mm2"]
    analysis.auto_hair_count = analysis.hair_count = result["hair_count"]
    analysis.auto_density_per_cm2 = analysis.density_per_cm2 = result["density_per_cm2"]
    analysis.auto_vellus_count = analysis.vellus_count = result["vellus_count"]
    analysis.auto_mean_diameter_um = analysis.mean_diameter_um = result.get("mean_diameter_um")
    analysis.cumulative_thickness_mm_per_cm2 = result.get("cumulative_thickness_mm_per_cm2")
    analysis.quality_ok = bool(quality.get("ok", True))
    analysis.quality_messages = list(quality.get("messages", []))
    analysis.status = AnalysisStatus.FINISHED
    analysis.progress = 100
    analysis.progress_message = ""
    analysis.finished_at = timezone.now()
    analysis.seconds = round(seconds, 3)
    analysis.save()
    if analysis.site is not None and analysis.visit is not None:
        _site_measurement(analysis, analysis.site, analysis.visit)
    audit_record(
        actor=None,
        action=Action.UPDATE,
        patient=analysis.patient,
        obj=analysis,
        detail={
            "automatic": True,
            "status": AnalysisStatus.FINISHED,
            "hair_count": analysis.auto_hair_count,
            "density_per_cm2": analysis.auto_density_per_cm2,
        },
    )


def measurement_values(analysis: TrichoscopyAnalysis) -> dict[str, Any]:
    """The site measures an analysis gives (after its corrections)."""
    vellus = analysis.vellus_count
    return {
        "hair_count": analysis.hair_count,
        "area_mm2": round(analysis.area_mm2, 4) if analysis.area_mm2 else None,
        "density_per_cm2": round(analysis.density_per_cm2 or 0.0, 2),
        "mean_diameter_um": _rounded(analysis.mean_diameter_um),
        "terminal_count": analysis.terminal_count,
        "vellus_count": vellus,
        "vellus_threshold_um": analysis.vellus_threshold_um,
        "cumulative_thickness_mm_per_cm2": _rounded(analysis.cumulative_thickness_mm_per_cm2, 3),
    }


def _rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def _site_measurement(
    analysis: TrichoscopyAnalysis, site: MeasurementSite, visit: MeasurementVisit
) -> SiteMeasurement:
    measurement = SiteMeasurement(
        visit=visit,
        site=site,
        capture=next_capture(visit, site),
        source=MeasurementSource.TRICHOSCOPY,
        analysis=analysis,
        created_by=analysis.submitted_by,
        **measurement_values(analysis),
    )
    measurement.save()
    return measurement
