"""Trichoscopy analyses: upload, progress (an htmx-polled status fragment), the overlay review
where the practitioner adds and removes hairs, and the images, served only through here."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.corrections import CorrectedResult, ReviewHair, corrected_result
from mesotrack.outcomes.forms import AnalysisForm, CorrectionForm, add_service_error
from mesotrack.outcomes.models import TrichoscopyAnalysis
from mesotrack.outcomes.uploads import TRICHOSCOPY_LIMITS, read_upload
from mesotrack.outcomes.views.common import (
    CLINICAL,
    RECORDERS,
    actor,
    audit_view,
    can_record,
    clinical_patient,
    private_image,
)
from mesotrack.patients.models import Patient

MARKER_FRACTION = 90  # marker radius: the image's longer side / 90


def patient_analysis(patient: Patient, analysis_id: int) -> TrichoscopyAnalysis:
    try:
        return selectors.analysis_get_for_patient(patient=patient, analysis_id=analysis_id)
    except TrichoscopyAnalysis.DoesNotExist:
        raise Http404("No such trichoscopy analysis for this patient.") from None


@dataclass(frozen=True)
class Marker:
    hair: ReviewHair
    points: str
    label: str

    @property
    def classes(self) -> str:
        kind = "added" if self.hair.added else "auto"
        state = " removed" if self.hair.removed else ""
        width = " vellus" if self.hair.is_vellus else ""
        return f"hair {kind}{width}{state}"


def _marker(hair: ReviewHair, threshold: float) -> Marker:
    kind = "vellus" if hair.is_vellus else "terminal"
    size = f", {hair.diameter_um:.0f} µm" if hair.diameter_um else ""
    origin = "added by hand" if hair.added else "found by the analyser"
    action = "put back" if hair.removed else "remove"
    label = f"Hair {hair.number} ({kind}{size}, {origin}): {action}"
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in hair.path)
    return Marker(hair=hair, points=points, label=label)


def review_context(analysis: TrichoscopyAnalysis) -> dict[str, Any]:
    corrections = selectors.corrections_for_analysis(analysis=analysis)
    current: CorrectedResult = corrected_result(
        analysis.result, corrections, analysis.area_mm2 or 0.0
    )
    longest = max(analysis.width, analysis.height)
    return {
        "analysis": analysis,
        "current": current,
        "markers": [_marker(h, analysis.vellus_threshold_um) for h in current.hairs],
        "corrections": corrections,
        "marker_r": max(4, round(longest / MARKER_FRACTION)),
        "stroke": max(1, round(longest / 400)),
        "region": analysis.region,
    }


@staff_required(*CLINICAL)
def analysis_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    analyses = selectors.analyses_for_patient(patient=patient)
    audit_view(request, patient, None, "trichoscopy analyses", analyses=[a.pk for a in analyses])
    context = {"patient": patient, "analyses": analyses, "can_record": can_record(request, patient)}
    return render(request, "outcomes/analyses.html", context)


def _submit(request: HttpRequest, patient: Patient, form: AnalysisForm) -> TrichoscopyAnalysis:
    return services.trichoscopy_analysis_submit(
        actor=actor(request),
        patient=patient,
        data=read_upload(form.upload(), TRICHOSCOPY_LIMITS),
        px_per_mm=form.cleaned_data["px_per_mm"],
        device_profile=form.cleaned_data["device_profile"],
        region=form.region(),
        site=form.cleaned_data["site"],
        taken_on=form.cleaned_data["taken_on"],
        notes=form.cleaned_data["notes"],
    )


@staff_required(*RECORDERS)
def analysis_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    posted = request.method == "POST"
    form = AnalysisForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        sites=selectors.sites_for_patient(patient=patient),
        profiles=selectors.device_profiles_for_clinic(clinic_id=patient.clinic_id),
    )
    if posted and form.is_valid():
        try:
            analysis = _submit(request, patient, form)
        except DomainError as error:
            add_service_error(form, error, {"region": "region_r"})
        else:
            messages.success(request, "Image saved; the analysis is under way.")
            return redirect("outcomes:analysis", patient_id=patient.pk, analysis_id=analysis.pk)
    if not posted:
        audit_view(request, patient, None, "new trichoscopy analysis")
    return render(request, "outcomes/analysis_form.html", {"patient": patient, "form": form})


@staff_required(*CLINICAL)
def analysis_detail(request: HttpRequest, patient_id: int, analysis_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    analysis = patient_analysis(patient, analysis_id)
    audit_view(request, patient, analysis, "trichoscopy analysis")
    context = {
        "patient": patient,
        **review_context(analysis),
        "can_record": can_record(request, patient),
        "form": CorrectionForm(),
    }
    return render(request, "outcomes/analysis.html", context)


@staff_required(*CLINICAL)
def analysis_status(request: HttpRequest, patient_id: int, analysis_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    analysis = patient_analysis(patient, analysis_id)
    audit_view(request, patient, analysis, "trichoscopy analysis status")
    response = render(
        request, "outcomes/_analysis_status.html", {"patient": patient, "analysis": analysis}
    )
    if request.headers.get("HX-Request") and not analysis.is_active:
        # The review needs the whole page once the analysis is done.
        response["HX-Refresh"] = "true"
    return response


@staff_required(*CLINICAL)
def analysis_image(request: HttpRequest, patient_id: int, analysis_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    analysis = patient_analysis(patient, analysis_id)
    overlay = request.GET.get("overlay") == "1" and bool(analysis.overlay)
    stored = analysis.overlay if overlay else analysis.image
    with stored.open("rb") as file:
        data = file.read()
    audit_view(
        request, patient, analysis, "trichoscopy image", image="overlay" if overlay else "image"
    )
    content_type = "image/png" if overlay else analysis.content_type
    suffix = "-overlay" if overlay else ""
    return private_image(data, content_type, f"trichoscopy-{analysis.pk}{suffix}.png")


def _correction_response(
    request: HttpRequest, patient: Patient, analysis: TrichoscopyAnalysis, error: str = ""
) -> HttpResponse:
    analysis.refresh_from_db()
    context = {
        "patient": patient,
        **review_context(analysis),
        "can_record": True,
        "error": error,
        "form": CorrectionForm(),
    }
    return render(request, "outcomes/_review.html", context, status=400 if error else 200)


@staff_required(*RECORDERS)
def analysis_corrections(request: HttpRequest, patient_id: int, analysis_id: int) -> HttpResponse:
    """POST one correction (from the overlay's script or the form); GET shows the form."""
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    analysis = patient_analysis(patient, analysis_id)
    scripted = request.headers.get("X-Requested-With") == "fetch"
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_correction_add(
                actor=actor(request), analysis=analysis, **form.cleaned_data
            )
        except DomainError as error:
            if scripted:
                return _correction_response(request, patient, analysis, error.message)
            add_service_error(form, error)
        else:
            if scripted:
                return _correction_response(request, patient, analysis)
            messages.success(request, "Correction saved.")
            return redirect("outcomes:analysis", patient_id=patient.pk, analysis_id=analysis.pk)
    elif request.method == "POST" and scripted:
        return _correction_response(request, patient, analysis, "Click on the image to correct it.")
    if request.method == "GET":
        audit_view(request, patient, analysis, "correct trichoscopy analysis")
    context = {"patient": patient, **review_context(analysis), "form": form}
    return render(request, "outcomes/correction_form.html", context)


@staff_required(*RECORDERS)
def analysis_retry(request: HttpRequest, patient_id: int, analysis_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    analysis = patient_analysis(patient, analysis_id)
    error = ""
    if request.method == "POST":
        try:
            services.trichoscopy_analysis_retry(actor=actor(request), analysis=analysis)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, "The analysis is under way again.")
            return redirect("outcomes:analysis", patient_id=patient.pk, analysis_id=analysis.pk)
    else:
        audit_view(request, patient, analysis, "run trichoscopy analysis again")
    context = {"patient": patient, "analysis": analysis, "error": error}
    return render(request, "outcomes/analysis_retry.html", context)
