"""Day and week calendars, and the reminders of a day."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.courses.calendar import day_calendar, treating_staff, week_calendar
from mesotrack.courses.models import Appointment
from mesotrack.courses.presenters import day_grid_rows
from mesotrack.courses.roles import BOOKING_ROLES
from mesotrack.courses.services.reminders import reminder_summary, reminders_queue_for_day
from mesotrack.courses.views.common import chosen_clinic, chosen_date


def _practitioner_id(request: HttpRequest) -> int | None:
    value = request.GET.get("practitioner", "")
    return int(value) if value.isdigit() else None


def _audit_list(
    request: HttpRequest, clinic: Clinic, appointments: list[Appointment], what: str
) -> None:
    """A calendar shows patients' names: one view event lists whose."""
    if appointments:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            clinic=clinic,
            detail={"list": what, "patient_ids": sorted({a.patient_id for a in appointments})},
        )


def _query(clinic_id: int, day: dt.date, practitioner_id: int | None) -> str:
    query = f"?clinic={clinic_id}&date={day.isoformat()}"
    return query + (f"&practitioner={practitioner_id}" if practitioner_id else "")


@staff_required(*BOOKING_ROLES)
def calendar_day(request: HttpRequest) -> HttpResponse:
    clinic = chosen_clinic(request)
    day = chosen_date(request, timezone.localdate())
    practitioner_id = _practitioner_id(request)
    calendar = day_calendar(clinic=clinic, day=day, practitioner_id=practitioner_id)
    _audit_list(request, clinic, calendar.appointments + calendar.not_shown, "calendar day")
    one_day = dt.timedelta(days=1)
    return render(
        request,
        "courses/calendar_day.html",
        {
            "calendar": calendar,
            "grid": day_grid_rows(calendar),
            "clinic": clinic,
            "staff": treating_staff(clinic=clinic),
            "practitioner_id": practitioner_id,
            "previous": _query(clinic.pk, day - one_day, practitioner_id),
            "next": _query(clinic.pk, day + one_day, practitioner_id),
            "week": reverse("calendar:week") + _query(clinic.pk, day, practitioner_id),
            "reminders": reminder_summary(clinic_id=clinic.pk, day=day),
            "can_queue": day >= timezone.localdate(),
        },
    )


@staff_required(*BOOKING_ROLES)
def calendar_week(request: HttpRequest) -> HttpResponse:
    clinic = chosen_clinic(request)
    day = chosen_date(request, timezone.localdate())
    monday = day - dt.timedelta(days=day.weekday())
    practitioner_id = _practitioner_id(request)
    calendar = week_calendar(clinic=clinic, monday=monday, practitioner_id=practitioner_id)
    _audit_list(request, clinic, calendar.appointments, "calendar week")
    week = dt.timedelta(days=7)
    return render(
        request,
        "courses/calendar_week.html",
        {
            "calendar": calendar,
            "clinic": clinic,
            "staff": treating_staff(clinic=clinic),
            "practitioner_id": practitioner_id,
            "previous": _query(clinic.pk, monday - week, practitioner_id),
            "next": _query(clinic.pk, monday + week, practitioner_id),
            "today": timezone.localdate(),
        },
    )


@staff_required(*BOOKING_ROLES)
@require_POST
def reminders_queue(request: HttpRequest) -> HttpResponse:
    clinic = chosen_clinic(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        day = timezone.localdate() + dt.timedelta(days=1)
    if day < timezone.localdate():
        messages.error(request, "Reminders are only sent for today or later.")
    else:
        batch = reminders_queue_for_day(day=day, clinic_ids={clinic.pk})
        text = f"Reminders queued: {batch.queued}."
        if batch.already:
            text += f" {batch.already} already had one."
        if batch.not_sendable:
            text += f" {batch.not_sendable} have no email address or phone number."
        messages.success(request, text)
    return redirect(reverse("calendar:day") + _query(clinic.pk, day, None))
