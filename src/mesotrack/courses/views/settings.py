"""A clinic's calendar settings (managers): opening hours, closures, chairs, practitioners'
hours and leave. One page; each form posts its own `form` name."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Clinic, User
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.forms import (
    ChairForm,
    ClosureForm,
    LeaveForm,
    PractitionerWeekForm,
    WeekForm,
    format_periods,
)
from mesotrack.courses.models import (
    Chair,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
    Weekday,
)
from mesotrack.courses.roles import SETTINGS_ROLES
from mesotrack.courses.services import clinic_time
from mesotrack.courses.views.common import apply_error, chosen_clinic


def _week_initial(rows: list[tuple[int, Any, Any]]) -> dict[str, str]:
    days: dict[int, list[tuple[Any, Any]]] = {}
    for weekday, starts, ends in rows:
        days.setdefault(weekday, []).append((starts, ends))
    return {f"day_{d.value}": format_periods(days.get(d.value, [])) for d in Weekday}


def _forms(request: HttpRequest, clinic: Clinic, staff: list[User]) -> dict[str, forms.Form]:
    posted = request.POST.get("form") if request.method == "POST" else None

    def data(name: str) -> Any:
        return request.POST if posted == name else None

    opening = list(
        OpeningHours.objects.filter(clinic=clinic).values_list("weekday", "opens", "closes")
    )
    return {
        "opening": WeekForm(data("opening"), initial=_week_initial(opening), prefix="opening"),
        "closure": ClosureForm(data("closure"), prefix="closure"),
        "chair": ChairForm(data("chair"), prefix="chair"),
        "hours": PractitionerWeekForm(data("hours"), practitioners=staff, prefix="hours"),
        "leave": LeaveForm(data("leave"), practitioners=staff, prefix="leave"),
    }


def _save(name: str, form: forms.Form, user: User, clinic: Clinic) -> str:
    data = form.cleaned_data
    if name == "opening":
        opening = clinic_time.opening_hours_set(actor=user, clinic=clinic, hours=form.hours())  # type: ignore[attr-defined]
        return "Opening hours saved." if opening else "Opening hours saved: closed every day."
    if name == "closure":
        closure = clinic_time.closure_add(
            actor=user,
            clinic=clinic,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        )
        return _closure_message(closure, clinic)
    if name == "chair":
        return f"{clinic_time.chair_add(actor=user, clinic=clinic, name=data['name'])} added."
    if name == "hours":
        rows = clinic_time.practitioner_hours_set(
            actor=user,
            clinic=clinic,
            practitioner=data["practitioner"],
            hours=form.hours(),  # type: ignore[attr-defined]
        )
        return (
            "Working hours saved."
            if rows
            else "Working hours cleared: whenever the clinic is open."
        )
    clinic_time.leave_add(
        actor=user,
        clinic=clinic,
        practitioner=data["practitioner"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        reason=data["reason"],
    )
    return _leave_message(clinic, data)


def _closure_message(closure: Closure, clinic: Clinic) -> str:
    booked = clinic_time.booked_between(
        clinic=clinic, starts_on=closure.starts_on, ends_on=closure.ends_on
    )
    text = f"Closed: {closure.reason}."
    return text + (f" {booked} booked visits fall on those days: move them." if booked else "")


def _leave_message(clinic: Clinic, data: dict[str, Any]) -> str:
    booked = clinic_time.booked_between(
        clinic=clinic,
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        practitioner=data["practitioner"],
    )
    return "Leave recorded." + (
        f" {booked} booked visits fall on those days: move them." if booked else ""
    )


def _remove(request: HttpRequest, user: User, clinic: Clinic) -> str:
    kind, _, raw = request.POST.get("remove", "").partition(":")
    target = int(raw) if raw.isdigit() else 0
    if kind == "closure":
        clinic_time.closure_remove(actor=user, clinic=clinic, closure_id=target)
        return "Closure removed."
    if kind == "leave":
        clinic_time.leave_remove(actor=user, clinic=clinic, leave_id=target)
        return "Leave removed."
    if kind in ("chair-off", "chair-on"):
        chair = clinic_time.chair_set_active(
            actor=user, clinic=clinic, chair_id=target, active=kind == "chair-on"
        )
        return f"{chair} is {'back in use' if chair.is_active else 'out of use'}."
    raise DomainError("Nothing to change.")


@staff_required(*SETTINGS_ROLES)
def calendar_settings(request: HttpRequest) -> HttpResponse:
    clinic = chosen_clinic(request, SETTINGS_ROLES)
    user: User = request.user  # type: ignore[assignment]
    staff = selectors.practitioner_options(clinic_id=clinic.pk)
    all_forms = _forms(request, clinic, staff)
    if request.method == "POST":
        name = request.POST.get("form", "")
        try:
            if name == "remove":
                messages.success(request, _remove(request, user, clinic))
                return redirect(reverse("calendar:settings") + f"?clinic={clinic.pk}")
            form = all_forms.get(name)
            if form is not None and form.is_valid():
                messages.success(request, _save(name, form, user, clinic))
                return redirect(reverse("calendar:settings") + f"?clinic={clinic.pk}")
        except DomainError as error:
            if name in all_forms:
                apply_error(all_forms[name], error)
            else:
                messages.error(request, error.message)
    hours: dict[int, list[PractitionerHours]] = {}
    for row in PractitionerHours.objects.filter(clinic=clinic):
        hours.setdefault(row.practitioner_id, []).append(row)
    return render(
        request,
        "courses/settings.html",
        {
            "clinic": clinic,
            "forms": all_forms,
            "chairs": list(Chair.objects.filter(clinic=clinic)),
            "closures": list(
                Closure.objects.filter(clinic=clinic, ends_on__gte=timezone.localdate())
            ),
            "leave": list(
                PractitionerLeave.objects.filter(
                    clinic=clinic, ends_on__gte=timezone.localdate()
                ).select_related("practitioner")
            ),
            "staff_hours": [(person, hours.get(person.pk, [])) for person in staff],
        },
    )
