"""A patient's courses: list, plan and book a new one, detail, cancel, book what is missing."""

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import User
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.forms import BookForm, CourseForm, ReasonForm
from mesotrack.courses.models import TreatmentCourse
from mesotrack.courses.progress import course_progress
from mesotrack.courses.protocols import METHOD_LABELS, PHASE_LABELS, ProtocolDefinition
from mesotrack.courses.roles import (
    BOOKING_ROLES,
    PACKAGE_SALE_ROLES,
    PLANNING_ROLES,
    may,
)
from mesotrack.courses.services.appointments import course_book_remaining
from mesotrack.courses.services.courses import (
    PLAN_CHANGED,
    CourseChoice,
    CoursePlan,
    course_cancel,
    course_create,
    course_plan_preview,
)
from mesotrack.courses.services.packages import package_balance
from mesotrack.courses.views.common import apply_error, aware, course_for_request, posted
from mesotrack.patients.models import Patient
from mesotrack.patients.views import patient_for_request


@staff_required(*BOOKING_ROLES)
def course_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    courses = selectors.course_list_for_patient(patient=patient)
    grouped: dict[int, list] = {}
    for appointment in selectors.appointments_of_patient(patient=patient):
        grouped.setdefault(appointment.course_id, []).append(appointment)
    now = timezone.now()
    rows = [(c, course_progress(c, grouped.get(c.pk, []), now)) for c in courses]
    return render(
        request,
        "courses/course_list.html",
        {
            "patient": patient,
            "rows": rows,
            "can_plan": may(request.user, patient.clinic_id, PLANNING_ROLES),
        },
    )


def _course_form(request: HttpRequest, patient: Patient) -> CourseForm:
    return CourseForm(
        posted(request),
        protocols=selectors.protocol_options(clinic_id=patient.clinic_id),
        recipes=selectors.recipe_options(clinic=patient.clinic),
        practitioners=selectors.practitioner_options(clinic_id=patient.clinic_id),
        initial={"practitioner": request.user.pk, "start_date": timezone.localdate()},
    )


def _choice(form: CourseForm) -> CourseChoice:
    data = form.cleaned_data
    return CourseChoice(
        protocol_code=data["protocol"],
        recipe=data["recipe"],
        target_zones=data["target_zones"],
        practitioner=data["practitioner"],
        start_date=data["start_date"],
        preferred_time=data["preferred_time"],
    )


@staff_required(*PLANNING_ROLES)
def course_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    user: User = request.user  # type: ignore[assignment]
    form = _course_form(request, patient)
    plan: CoursePlan | None = None
    if request.method == "POST" and form.is_valid():
        choice = _choice(form)
        try:
            if request.POST.get("action") == "confirm":
                course = course_create(
                    actor=user,
                    patient=patient,
                    choice=choice,
                    fingerprint=form.cleaned_data["fingerprint"] or None,
                    notes=form.cleaned_data["notes"],
                )
                count = course.appointments.count()
                messages.success(request, f"Course booked: {count} visits.")
                return redirect("courses:detail", patient_id=patient.pk, course_id=course.pk)
            plan = course_plan_preview(actor=user, patient=patient, choice=choice)
        except DomainError as error:
            if error.message == PLAN_CHANGED:
                messages.warning(request, PLAN_CHANGED)
                plan = course_plan_preview(actor=user, patient=patient, choice=choice)
            else:
                apply_error(form, error)
        if plan is not None:
            data = cast(QueryDict, form.data).copy()
            data["fingerprint"] = plan.fingerprint
            form.data = data
    return render(
        request,
        "courses/course_new.html",
        {"patient": patient, "form": form, "plan": plan, "phases": PHASE_LABELS},
    )


@staff_required(*BOOKING_ROLES)
def course_detail(request: HttpRequest, patient_id: int, course_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    course = course_for_request(patient, course_id)
    appointments = selectors.appointments_of_course(course=course)
    definition = ProtocolDefinition.model_validate(course.protocol)
    packages = [
        (p, package_balance(list(p.entries.all())))
        for p in selectors.packages_of_course(course=course)
    ]
    clinic_id = patient.clinic_id
    return render(
        request,
        "courses/course_detail.html",
        {
            "patient": patient,
            "course": course,
            "definition": definition,
            "method": METHOD_LABELS[definition.technique.method],
            "live": [a for a in appointments if a.status in ("booked", "attended")],
            "history": [a for a in appointments if a.status not in ("booked", "attended")],
            "progress": course_progress(course, appointments, timezone.now()),
            "packages": packages,
            "now": timezone.now(),
            "can_plan": may(request.user, clinic_id, PLANNING_ROLES),
            "can_sell": may(request.user, clinic_id, PACKAGE_SALE_ROLES),
        },
    )


@staff_required(*PLANNING_ROLES)
def course_cancel_view(request: HttpRequest, patient_id: int, course_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    course = course_for_request(patient, course_id)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            course_cancel(actor=request.user, course=course, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Course cancelled; its booked visits are freed.")
            return redirect("courses:detail", patient_id=patient.pk, course_id=course.pk)
    return render(
        request, "courses/course_cancel.html", {"patient": patient, "course": course, "form": form}
    )


def _book(request: HttpRequest, course: TreatmentCourse, form: BookForm) -> bool:
    data = form.cleaned_data
    starts_at = aware(data["date"], data["time"]) if data.get("date") else None
    try:
        result = course_book_remaining(
            actor=request.user,  # type: ignore[arg-type]
            course=course,
            starts_at=starts_at,
            outside_window_reason=data["outside_window_reason"],
        )
    except DomainError as error:
        apply_error(form, error)
        return False
    messages.success(request, f"Booked {len(result.booked)} visits.")
    return True


@staff_required(*BOOKING_ROLES)
def course_book(request: HttpRequest, patient_id: int, course_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    course = course_for_request(patient, course_id)
    form = BookForm(posted(request))
    if request.method == "POST" and form.is_valid() and _book(request, course, form):
        return redirect("courses:detail", patient_id=patient.pk, course_id=course.pk)
    progress = course_progress(
        course, selectors.appointments_of_course(course=course), timezone.now()
    )
    return render(
        request,
        "courses/course_book.html",
        {"patient": patient, "course": course, "form": form, "progress": progress},
    )
