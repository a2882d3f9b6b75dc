"""Outcome pages: the progress page, measurement sites, visits and their captures.

Clinical roles read (a receptionist gets 403); practitioners and nurses write; a patient outside
the user's clinics is a 404. Every page that shows the patient records one VIEW audit event.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.forms import (
    CaptureForm,
    SiteForm,
    VisitEditForm,
    VisitForm,
    add_service_error,
)
from mesotrack.outcomes.measures import SITE_INPUTS, VISIT_FIELDS, VISIT_INPUTS
from mesotrack.outcomes.models import MeasurementVisit
from mesotrack.outcomes.progress import patient_progress
from mesotrack.outcomes.views.common import (
    CLINICAL,
    RECORDERS,
    actor,
    audit_view,
    can_record,
    clinical_patient,
)
from mesotrack.patients.models import Patient


def patient_visit(patient: Patient, visit_id: int) -> MeasurementVisit:
    try:
        return selectors.visit_get_for_patient(patient=patient, visit_id=visit_id)
    except MeasurementVisit.DoesNotExist:
        raise Http404("No such measurement visit for this patient.") from None


@staff_required(*CLINICAL)
def outcomes_home(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    progress = patient_progress(patient=patient, today=timezone.localdate())
    audit_view(request, patient, None, "outcomes")
    context = {
        "patient": patient,
        "progress": progress,
        "visit_measures": VISIT_INPUTS,
        "analyses": selectors.analyses_for_patient(patient=patient)[:10],
        "can_record": can_record(request, patient),
    }
    return render(request, "outcomes/home.html", context)


@staff_required(*RECORDERS)
def site_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    form = SiteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.measurement_site_create(
                actor=actor(request), patient=patient, data=form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Site “{site.label}” added.")
            return redirect("outcomes:home", patient_id=patient.pk)
    if request.method == "GET":
        audit_view(request, patient, None, "new measurement site")
    return render(request, "outcomes/site_form.html", {"patient": patient, "form": form})


@staff_required(*RECORDERS)
def visit_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    sites = selectors.sites_for_patient(patient=patient)
    form = VisitForm(
        request.POST if request.method == "POST" else None,
        sites=sites,
        initial={"measured_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.measurement_visit_record(
                actor=actor(request),
                patient=patient,
                data=form.visit_data(),
                site_values=form.site_values(),
            )
        except DomainError as error:
            add_service_error(form, error, form.error_fields())
        else:
            messages.success(request, "Measurements recorded.")
            return redirect("outcomes:visit", patient_id=patient.pk, visit_id=visit.pk)
    if request.method == "GET":
        audit_view(request, patient, None, "new measurement visit")
    return render(request, "outcomes/visit_form.html", {"patient": patient, "form": form})


@staff_required(*CLINICAL)
def visit_detail(request: HttpRequest, patient_id: int, visit_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    visit = patient_visit(patient, visit_id)
    audit_view(request, patient, visit, "measurement visit")
    context = {
        "patient": patient,
        "visit": visit,
        "visit_values": [(m, getattr(visit, m.key)) for m in VISIT_INPUTS],
        "captures": selectors.site_measurements_for_visit(visit=visit),
        "site_measures": SITE_INPUTS,
        "photos": list(visit.photos.order_by("view", "id")),
        "analyses": list(visit.analyses.select_related("site").defer("result")),
        "can_record": can_record(request, patient),
    }
    return render(request, "outcomes/visit.html", context)


def _visit_initial(visit: MeasurementVisit) -> dict[str, object]:
    names = ["measured_on", "label", "qol_instrument", "notes", *VISIT_FIELDS]
    return {name: getattr(visit, name) for name in names}


@staff_required(*RECORDERS)
def visit_edit(request: HttpRequest, patient_id: int, visit_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    visit = patient_visit(patient, visit_id)
    form = VisitEditForm(
        request.POST if request.method == "POST" else None, initial=_visit_initial(visit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_visit_update(
                actor=actor(request), visit=visit, data=form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Measurements saved.")
            return redirect("outcomes:visit", patient_id=patient.pk, visit_id=visit.pk)
    if request.method == "GET":
        audit_view(request, patient, visit, "edit measurement visit")
    return render(
        request, "outcomes/visit_edit.html", {"patient": patient, "visit": visit, "form": form}
    )


@staff_required(*RECORDERS)
def capture_new(request: HttpRequest, patient_id: int, visit_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    visit = patient_visit(patient, visit_id)
    sites = selectors.sites_for_patient(patient=patient)
    form = CaptureForm(request.POST if request.method == "POST" else None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = services.site_measurement_add(
                actor=actor(request),
                visit=visit,
                site=form.cleaned_data["site"],
                data=form.values(),
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Capture {measurement.capture} of {measurement.site.label} recorded."
            )
            return redirect("outcomes:visit", patient_id=patient.pk, visit_id=visit.pk)
    if request.method == "GET":
        audit_view(request, patient, visit, "new capture")
    context = {"patient": patient, "visit": visit, "form": form, "has_sites": bool(sites)}
    return render(request, "outcomes/capture_form.html", context)
