"""Measurement sites, measurement visits and clinical photographs."""

import base64
import datetime as dt
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
    PhotoImageOut,
    PhotoOut,
    SiteIn,
    SiteOut,
    VisitIn,
    VisitOut,
)
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.models import (
    ClinicalPhoto,
    MeasurementSite,
    MeasurementVisit,
    SiteMeasurement,
)
from mesotrack.outcomes.uploads import PHOTO_LIMITS, read_upload
from mesotrack.patients.models import Patient

router = Router(tags=["outcomes"])


def _visit_out(visit: MeasurementVisit, captures: list[SiteMeasurement]) -> dict[str, Any]:
    data = {name: getattr(visit, name) for name in VisitOut.model_fields if name != "sites"}
    data["sites"] = captures
    return data


def _visits(patient: Patient) -> list[dict[str, Any]]:
    by_visit: dict[int, list[SiteMeasurement]] = {}
    for capture in selectors.site_measurements_for_patient(patient=patient):
        by_visit.setdefault(capture.visit_id, []).append(capture)
    return [
        _visit_out(v, by_visit.get(v.pk, [])) for v in selectors.visits_for_patient(patient=patient)
    ]


@router.get(
    "/{int:patient_id}/outcomes/sites",
    response={200: list[SiteOut], **ERRORS},
    summary="List measurement sites",
)
@api_staff_required(*CLINICAL)
def site_list(request: HttpRequest, patient_id: int) -> list[MeasurementSite]:
    patient = patient_for(request, patient_id)
    sites = selectors.sites_for_patient(patient=patient)
    audit_view(request, patient, None, "measurement sites")
    return sites


@router.post(
    "/{int:patient_id}/outcomes/sites",
    response={201: SiteOut, **ERRORS},
    summary="Add a measurement site",
)
@api_staff_required(*RECORDERS)
def site_create(request: HttpRequest, patient_id: int, payload: SiteIn) -> Status[MeasurementSite]:
    patient = patient_for(request, patient_id)
    site = services.measurement_site_create(
        actor=api_user(request), patient=patient, data=payload.model_dump()
    )
    return Status(201, site)


@router.get(
    "/{int:patient_id}/outcomes/measures",
    response={200: list[VisitOut], **ERRORS},
    summary="List measurement visits with their site measures",
)
@api_staff_required(*CLINICAL)
def measure_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient = patient_for(request, patient_id)
    visits = _visits(patient)
    audit_view(request, patient, None, "outcome measures", visits=[v["id"] for v in visits])
    return visits


@router.post(
    "/{int:patient_id}/outcomes/measures",
    response={201: VisitOut, **ERRORS},
    summary="Record a measurement visit",
)
@api_staff_required(*RECORDERS)
def measure_create(request: HttpRequest, patient_id: int, payload: VisitIn) -> Status[dict]:
    patient = patient_for(request, patient_id)
    entries = []
    for index, values in enumerate(payload.sites):
        site = site_for(patient, values.site_id, field=f"sites.{index}.site_id")
        entries.append((site, values.model_dump(exclude={"site_id"})))
    visit = services.measurement_visit_record(
        actor=api_user(request),
        patient=patient,
        data=payload.model_dump(exclude={"sites"}),
        site_values=entries,  # type: ignore[arg-type]
    )
    return Status(201, _visit_out(visit, selectors.site_measurements_for_visit(visit=visit)))


@router.get(
    "/{int:patient_id}/photos",
    response={200: list[PhotoOut], **ERRORS},
    summary="List clinical photographs",
)
@api_staff_required(*CLINICAL)
def photo_list(request: HttpRequest, patient_id: int, view: str = "") -> list[ClinicalPhoto]:
    patient = patient_for(request, patient_id)
    photos = selectors.photos_for_patient(patient=patient, view=view)
    audit_view(request, patient, None, "photographs", photos=[p.pk for p in photos])
    return photos


@router.post(
    "/{int:patient_id}/photos",
    response={201: PhotoOut, **ERRORS},
    summary="Upload a clinical photograph (multipart: file, view, taken_on, site_id, notes)",
)
@api_staff_required(*RECORDERS)
def photo_upload(
    request: HttpRequest,
    patient_id: int,
    file: File[UploadedFile | None] = None,
    view: Form[str] = "",
    taken_on: Form[dt.date | None] = None,
    site_id: Form[int | None] = None,
    notes: Form[str] = "",
) -> Status[ClinicalPhoto]:
    patient = patient_for(request, patient_id)
    if file is None:
        raise DomainError("Attach the image as `file`.", field="file")
    photo = services.clinical_photo_upload(
        actor=api_user(request),
        patient=patient,
        data=read_upload(file, PHOTO_LIMITS),
        view=view,
        taken_on=taken_on,
        site=site_for(patient, site_id),
        notes=notes,
    )
    return Status(201, photo)


@router.get(
    "/{int:patient_id}/photos/{int:photo_id}/image",
    response={200: PhotoImageOut, **ERRORS},
    summary="Fetch a photograph's image (base64)",
)
@api_staff_required(*CLINICAL)
def photo_image(request: HttpRequest, patient_id: int, photo_id: int) -> dict[str, Any]:
    patient = patient_for(request, patient_id)
    photo = selectors.photo_get_for_patient(patient=patient, photo_id=photo_id)
    with photo.image.open("rb") as stored:
        data = stored.read()
    audit_view(request, patient, photo, "photograph image")
    return {
        "id": photo.pk,
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "data_base64": base64.b64encode(data).decode("ascii"),
    }
