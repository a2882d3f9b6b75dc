"""One visit: move it, record that the patient came or did not, or cancel it."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.core.errors import DomainError
from mesotrack.courses.diaries import clinic_calendar, clinic_timezone, practitioner_diary
from mesotrack.courses.forms import CancelForm, MomentForm, ReplanForm
from mesotrack.courses.models import Appointment
from mesotrack.courses.planner import free_starts
from mesotrack.courses.roles import BOOKING_ROLES
from mesotrack.courses.scheduling import Window
from mesotrack.courses.services.appointments import (
    appointment_cancel,
    appointment_mark_attended,
    appointment_record_missed,
    appointment_reschedule,
)
from mesotrack.courses.services.replanning import ReplanResult
from mesotrack.courses.views.common import apply_error, appointment_for_request, aware, posted
from mesotrack.patients.models import Patient
from mesotrack.patients.views import patient_for_request


def _page(
    request: HttpRequest, patient: Patient, appointment: Appointment, form: forms.Form, **extra: Any
) -> HttpResponse:
    context = {
        "patient": patient,
        "appointment": appointment,
        "course": appointment.course,
        "form": form,
    }
    return render(request, "courses/appointment_action.html", context | extra)


def _done(
    request: HttpRequest,
    patient: Patient,
    appointment: Appointment,
    text: str,
    result: ReplanResult | None = None,
) -> HttpResponse:
    messages.success(request, text)
    if result is not None and result.problem:
        messages.warning(
            request,
            f"The rest of the course could not be re-planned: {result.problem} "
            "Book the next session by hand.",
        )
    return redirect("courses:detail", patient_id=patient.pk, course_id=appointment.course_id)


def _free_times(appointment: Appointment) -> list[dt.datetime]:
    """Free start times for this visit near its window, to pick from."""
    course = appointment.course
    today = timezone.localdate()
    first = max(today, appointment.window_earliest)
    last = max(first, appointment.window_latest) + dt.timedelta(days=7)
    window = Window(first, first, last)
    return free_starts(
        clinic_calendar(
            clinic=course.clinic, first=first, last=last, ignore_appointments=[appointment.pk]
        ),
        practitioner_diary(
            clinic=course.clinic,
            practitioner=course.practitioner,
            first=first,
            last=last,
            ignore_appointments=[appointment.pk],
        ),
        window=window,
        minutes=appointment.minutes,
        not_before=timezone.now(),
        limit=12,
    )


@staff_required(*BOOKING_ROLES)
def appointment_reschedule_view(
    request: HttpRequest, patient_id: int, appointment_id: int
) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    appointment = appointment_for_request(patient, appointment_id)
    local = appointment.starts_at.astimezone(clinic_timezone())
    form = MomentForm(posted(request), initial={"date": local.date(), "time": local.time()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = appointment_reschedule(
                actor=request.user,  # type: ignore[arg-type]
                appointment=appointment,
                starts_at=aware(data["date"], data["time"]),
                outside_window_reason=data["outside_window_reason"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            moved = (
                f" and {result.moved - 1} later visits moved with it" if result.moved > 1 else ""
            )
            return _done(request, patient, appointment, f"{appointment.label} moved{moved}.")
    free = (
        _free_times(appointment)
        if appointment.status == "booked" and appointment.course.is_active
        else []
    )
    return _page(
        request,
        patient,
        appointment,
        form,
        action="Move",
        title=f"Move {appointment.label.lower()}",
        free_times=free,
        button="Move the visit",
    )


@staff_required(*BOOKING_ROLES)
def appointment_missed_view(
    request: HttpRequest, patient_id: int, appointment_id: int
) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    appointment = appointment_for_request(patient, appointment_id)
    form = ReplanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = appointment_record_missed(
                actor=request.user,  # type: ignore[arg-type]
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                replan_from=form.cleaned_data["replan_from"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            text = (
                f"Recorded that the patient did not attend; {len(result.booked)} visits re-planned."
            )
            return _done(request, patient, appointment, text, result)
    return _page(
        request,
        patient,
        appointment,
        form,
        title="Did not attend",
        button="Record and re-plan",
        explain="The rest of the course is re-planned from the day given; "
        "measurement visits stay where they are.",
    )


@staff_required(*BOOKING_ROLES)
def appointment_cancel_view(
    request: HttpRequest, patient_id: int, appointment_id: int
) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    appointment = appointment_for_request(patient, appointment_id)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = appointment_cancel(
                actor=request.user,  # type: ignore[arg-type]
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                replan_from=form.cleaned_data["replan_from"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            text = f"{appointment.label} cancelled; {len(result.booked)} visits re-planned."
            return _done(request, patient, appointment, text, result)
    return _page(
        request,
        patient,
        appointment,
        form,
        title=f"Cancel {appointment.label.lower()}",
        button="Cancel and re-plan",
        danger=True,
        explain="The visit is cancelled and the rest of the course re-planned from the day given.",
    )


@staff_required(*BOOKING_ROLES)
def appointment_attended_view(
    request: HttpRequest, patient_id: int, appointment_id: int
) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    appointment = appointment_for_request(patient, appointment_id)
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            appointment_mark_attended(actor=request.user, appointment=appointment)  # type: ignore[arg-type]
        except DomainError as error:
            apply_error(form, error)
        else:
            return _done(request, patient, appointment, f"{appointment.label}: attended.")
    return _page(
        request,
        patient,
        appointment,
        form,
        title="Patient attended",
        button="Record attendance",
        explain="A treatment session uses one prepaid session of the course's package, "
        "if there is one.",
    )
