from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.accounts.models import Role, User
from mesotrack.accounts.selectors import clinics_for, role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.patients import selectors, services
from mesotrack.patients.chart import chart_sections, patient_timeline
from mesotrack.patients.forms import PatientCreateForm, PatientDeleteForm, PatientForm
from mesotrack.patients.models import Patient

PAGE_SIZE = 25


def patient_for_request(request: HttpRequest, patient_id: int) -> Patient:
    """The patient named in the URL, if the user may see it (else 404).

    A GET shows the patient, so it writes a `view` audit event; other methods change something,
    and the service doing the change writes its own event.
    """
    try:
        patient = selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient in your clinics.") from None
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=patient)
    return patient


@staff_required()
def patient_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    page = Paginator(
        selectors.patient_list_for_user(user=request.user, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    if page.object_list:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            detail={"list": "patients", "query": query, "patient_ids": [p.pk for p in page]},
        )
    context = {"page": page, "query": query}
    if request.headers.get("HX-Request"):
        return render(request, "patients/_results.html", context)
    return render(request, "patients/list.html", context)


@staff_required()
def patient_create(request: HttpRequest) -> HttpResponse:
    clinics = clinics_for(request.user)
    form = PatientCreateForm(request.POST or None, clinics=clinics)
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(
                actor=request.user,  # type: ignore[arg-type]
                clinic=form.cleaned_data["clinic"],
                data=form.cleaned_data,
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
            )
        except services.ProbableDuplicate as duplicate:
            duplicates = duplicate.duplicates
            form.add_error("confirm_not_duplicate", duplicate.message)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Registered {patient.full_name} as {patient.record_number}.")
            return redirect("patients:chart", patient_id=patient.pk)
    return render(
        request, "patients/form.html", {"form": form, "duplicates": duplicates, "creating": True}
    )


@staff_required()
def patient_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    sections = chart_sections(patient, request.user)
    context = {
        "patient": patient,
        "sections": sections,
        "alerts": [alert for section in sections for alert in section.alerts],
        "timeline": patient_timeline(patient, request.user),
        "can_delete": role_in_clinic(request.user, patient.clinic_id) == Role.MANAGER,
    }
    return render(request, "patients/chart.html", context)


@staff_required()
def patient_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    form = PatientForm(request.POST or None, instance=Patient.objects.get(pk=patient.pk))
    if request.method == "POST" and form.is_valid():
        services.patient_update(actor=request.user, patient=patient, data=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "Saved.")
        return redirect("patients:chart", patient_id=patient.pk)
    return render(request, "patients/form.html", {"form": form, "patient": patient})


@staff_required(Role.MANAGER)
def patient_delete(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    user: User = request.user  # type: ignore[assignment]
    if role_in_clinic(user, patient.clinic_id) != Role.MANAGER:
        return forbidden(request, "role in this clinic")
    form = PatientDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_soft_delete(
                actor=user, patient=patient, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, f"{patient.record_number} is deleted; the audit trail keeps it."
            )
            return redirect("patients:list")
    return render(request, "patients/delete.html", {"form": form, "patient": patient})
