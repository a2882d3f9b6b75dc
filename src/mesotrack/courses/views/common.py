"""Shared helpers of the courses pages."""

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest, QueryDict

from mesotrack.accounts.models import Clinic, Role
from mesotrack.accounts.selectors import clinics_for
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import Appointment, TreatmentCourse
from mesotrack.patients.models import Patient


def course_for_request(patient: Patient, course_id: int) -> TreatmentCourse:
    try:
        course = selectors.course_get_for_patient(patient=patient, course_id=course_id)
    except TreatmentCourse.DoesNotExist:
        raise Http404("No such course for this patient.") from None
    course.patient = patient
    return course


def appointment_for_request(patient: Patient, appointment_id: int) -> Appointment:
    try:
        appointment = selectors.appointment_get_for_patient(
            patient=patient, appointment_id=appointment_id
        )
    except Appointment.DoesNotExist:
        raise Http404("No such appointment for this patient.") from None
    appointment.patient = patient
    appointment.course.patient = patient
    return appointment


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, which still means "do it"), else None."""
    return request.POST if request.method == "POST" else None


def apply_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=clinic_timezone())


def chosen_clinic(request: HttpRequest, roles: frozenset[Role] | None = None) -> Clinic:
    """The clinic named by ?clinic= among the user's, else their first one."""
    clinics = clinics_for(request.user, roles) if roles else clinics_for(request.user)
    if not clinics:
        raise Http404("You work at no clinic with this role.")
    wanted = request.GET.get("clinic") or request.POST.get("clinic")
    return next((c for c in clinics if str(c.pk) == wanted), clinics[0])


def chosen_date(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return default
