"""Trichoscopy analyses: submit, status, result and corrections."""

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.outcomes.common import (
    CLINICAL,
    ERRORS,
    RECORDERS,
    audit_view,
    patient_for,
    site_for,
)
from mesotrack.api.outcomes.schemas import (
    AnalysisOut,
    AnalysisResultOut,
    CorrectionIn,
    CorrectionOut,
)
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.corrections import corrected_result
from mesotrack.outcomes.models import (
    AnalysisCorrection,
    DeviceProfile,
    TrichoscopyAnalysis,
)
from mesotrack.outcomes.uploads import TRICHOSCOPY_LIMITS, read_upload
from mesotrack.patients.models import Patient

router = Router(tags=["trichoscopy"])


def _figures(analysis: TrichoscopyAnalysis, prefix: str) -> dict[str, Any]:
    return {
        name: getattr(analysis, f"{prefix}{name}")
        for name in ("hair_count", "density_per_cm2", "vellus_count", "mean_diameter_um")
    }


def _analysis_out(analysis: TrichoscopyAnalysis) -> dict[str, Any]:
    names = set(AnalysisOut.model_fields) - {"automatic", "corrected"}
    data = {name: getattr(analysis, name) for name in names}
    data["automatic"] = _figures(analysis, "auto_")
    data["corrected"] = _figures(analysis, "")
    return data


def _profile(patient: Patient, profile_id: int | None) -> DeviceProfile | None:
    if profile_id is None:
        return None
    profile = DeviceProfile.objects.filter(pk=profile_id, clinic_id=patient.clinic_id).first()
    if profile is None:
        raise DomainError("Choose one of this clinic's device profiles.", field="device_profile_id")
    return profile


def _region(raw: str) -> dict[str, Any] | None:
    if not raw.strip():
        return None
    try:
        region = json.loads(raw)
    except ValueError:
        raise DomainError("Give the region as JSON.", field="region") from None
    if not isinstance(region, dict):
        raise DomainError(
            'Give the region as {"kind": "circle", "cx": …, "cy": …, "r": …} or a polygon.',
            field="region",
        )
    return region


@router.post(
    "/{int:patient_id}/analyses",
    response={201: AnalysisOut, **ERRORS},
    summary="Submit a trichoscopy image for analysis (multipart)",
    description=(
        "Form fields: `file`; `px_per_mm` or `device_profile_id`; optional `region` as JSON "
        '(`{"kind": "circle", "cx": 320, "cy": 240, "r": 200}` or `{"kind": "polygon", '
        '"points": [[x, y], …]}`), `site_id`, `taken_on`, `notes`. The analysis runs in the '
        "background: poll GET …/analyses/{id} until `status` is finished or failed."
    ),
)
@api_staff_required(*RECORDERS)
def analysis_submit(
    request: HttpRequest,
    patient_id: int,
    file: File[UploadedFile | None] = None,
    px_per_mm: Form[float | None] = None,
    device_profile_id: Form[int | None] = None,
    region: Form[str] = "",
    site_id: Form[int | None] = None,
    taken_on: Form[dt.date | None] = None,
    notes: Form[str] = "",
) -> Status[dict]:
    patient = patient_for(request, patient_id)
    if file is None:
        raise DomainError("Attach the image as `file`.", field="file")
    analysis = services.trichoscopy_analysis_submit(
        actor=api_user(request),
        patient=patient,
        data=read_upload(file, TRICHOSCOPY_LIMITS),
        px_per_mm=px_per_mm,
        device_profile=_profile(patient, device_profile_id),
        region=_region(region),
        site=site_for(patient, site_id),
        taken_on=taken_on,
        notes=notes,
    )
    return Status(201, _analysis_out(analysis))


@router.get(
    "/{int:patient_id}/analyses",
    response={200: list[AnalysisOut], **ERRORS},
    summary="List trichoscopy analyses",
)
@api_staff_required(*CLINICAL)
def analysis_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient = patient_for(request, patient_id)
    analyses = selectors.analyses_for_patient(patient=patient)
    audit_view(request, patient, None, "trichoscopy analyses", analyses=[a.pk for a in analyses])
    return [_analysis_out(a) for a in analyses]


def _analysis(request: HttpRequest, patient_id: int, analysis_id: int) -> TrichoscopyAnalysis:
    patient = patient_for(request, patient_id)
    return selectors.analysis_get_for_patient(patient=patient, analysis_id=analysis_id)


@router.get(
    "/{int:patient_id}/analyses/{int:analysis_id}",
    response={200: AnalysisOut, **ERRORS},
    summary="Status and figures of a trichoscopy analysis",
)
@api_staff_required(*CLINICAL)
def analysis_status(request: HttpRequest, patient_id: int, analysis_id: int) -> dict[str, Any]:
    analysis = _analysis(request, patient_id, analysis_id)
    audit_view(request, analysis.patient, analysis, "trichoscopy analysis")
    return _analysis_out(analysis)


@router.get(
    "/{int:patient_id}/analyses/{int:analysis_id}/result",
    response={200: AnalysisResultOut, **ERRORS},
    summary="Every hair of a finished analysis, automatic and corrected",
)
@api_staff_required(*CLINICAL)
def analysis_result(request: HttpRequest, patient_id: int, analysis_id: int) -> dict[str, Any]:
    analysis = _analysis(request, patient_id, analysis_id)
    if not analysis.is_finished:
        raise DomainError(
            f"The analysis is not finished ({analysis.get_status_display().lower()}).",
            code="not_finished",
        )
    corrections = selectors.corrections_for_analysis(analysis=analysis)
    current = corrected_result(analysis.result, corrections, analysis.area_mm2 or 0.0)
    audit_view(request, analysis.patient, analysis, "trichoscopy result")
    return {
        **_analysis_out(analysis),
        "hairs": current.hairs,
        "automatic_result": analysis.result or {},
    }


@router.get(
    "/{int:patient_id}/analyses/{int:analysis_id}/corrections",
    response={200: list[CorrectionOut], **ERRORS},
    summary="The corrections made to an analysis, in order",
)
@api_staff_required(*CLINICAL)
def correction_list(
    request: HttpRequest, patient_id: int, analysis_id: int
) -> list[AnalysisCorrection]:
    analysis = _analysis(request, patient_id, analysis_id)
    audit_view(request, analysis.patient, analysis, "trichoscopy corrections")
    return selectors.corrections_for_analysis(analysis=analysis)


@router.post(
    "/{int:patient_id}/analyses/{int:analysis_id}/corrections",
    response={201: AnalysisOut, **ERRORS},
    summary="Add, remove or restore a hair; answers with the corrected figures",
)
@api_staff_required(*RECORDERS)
def correction_add(
    request: HttpRequest, patient_id: int, analysis_id: int, payload: CorrectionIn
) -> Status[dict]:
    analysis = _analysis(request, patient_id, analysis_id)
    services.analysis_correction_add(
        actor=api_user(request), analysis=analysis, **payload.model_dump()
    )
    analysis.refresh_from_db()
    return Status(201, _analysis_out(analysis))
