"""Session pages: the list, check-in, one session through its steps, the aftercare sheet."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.charting import selectors, services
from mesotrack.charting.forms import (
    CheckInForm,
)
from mesotrack.charting.rules import aftercare_for
from mesotrack.charting.services._common import PRESCRIBER_ROLES
from mesotrack.charting.session_page import context_for, form_error, session_for, staff_user
from mesotrack.charting.steps import ACTIONS
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import Appointment
from mesotrack.patients.models import Patient
from mesotrack.patients.views import patient_for_request

clinical = staff_required(*CLINICAL_ROLES)


@clinical
def session_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    sessions = list(selectors.sessions_for_patient(patient=patient))
    return render(request, "charting/list.html", {"patient": patient, "sessions": sessions})


@clinical
def session_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    staff = selectors.staff_at(clinic_id=patient.clinic_id, roles=[*PRESCRIBER_ROLES, Role.NURSE])
    nurses = selectors.staff_at(clinic_id=patient.clinic_id, roles=[Role.NURSE])
    appointment = _appointment(
        patient, request.GET.get("appointment") or request.POST.get("appointment")
    )
    initial: dict[str, Any] = {}
    if appointment is not None:
        initial = {
            "modality": appointment.course.modality,
            "practitioner": appointment.practitioner,
        }
    form = CheckInForm(request.POST or None, staff=staff, nurses=nurses, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_check_in(
                actor=staff_user(request),
                patient=patient,
                appointment=appointment,
                modality=form.cleaned_data["modality"],
                practitioner=form.cleaned_data["practitioner"],
                assisting_nurse=form.cleaned_data["assisting_nurse"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "Patient checked in.")
            return redirect("charting:session-detail", patient.pk, session.pk)
    context = {"patient": patient, "form": form, "appointment": appointment}
    return render(request, "charting/new.html", context)


def _appointment(patient: Patient, raw: str | None) -> Appointment | None:
    if not raw or not raw.isdigit():
        return None
    return Appointment.objects.select_related("course").filter(patient=patient, pk=int(raw)).first()


@clinical
def session_detail(request: HttpRequest, patient_id: int, session_id: int) -> HttpResponse:
    """The session through its steps; each POST names its step in `action`."""
    patient = patient_for_request(request, patient_id)
    session = session_for(request, patient, session_id)
    if request.method != "POST":
        return render(request, "charting/detail.html", context_for(request, patient, session))
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("No such step.")
    return handler(request, patient, session)


@clinical
def session_aftercare(request: HttpRequest, patient_id: int, session_id: int) -> HttpResponse:
    """The printable aftercare sheet of a signed session."""
    patient = patient_for_request(request, patient_id)
    session = session_for(request, patient, session_id)
    aftercare = aftercare_for(session.modality) if session.is_signed else None
    return render(
        request,
        "charting/aftercare.html",
        {"patient": patient, "session": session, "aftercare": aftercare},
    )
