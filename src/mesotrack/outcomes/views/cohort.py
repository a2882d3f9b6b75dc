"""Clinic-level pages for managers: cohort analytics with its CSV export, and the clinic's
outcome settings and device profiles."""

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Clinic, Role
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.cohort import CohortQuery, CohortResult, cohort_analysis
from mesotrack.outcomes.forms import (
    CohortForm,
    DeviceProfileForm,
    OutcomeSettingsForm,
    add_service_error,
)
from mesotrack.outcomes.models import DeviceProfile
from mesotrack.outcomes.views.common import actor


def _form(request: HttpRequest) -> CohortForm:
    defaults = CohortQuery()
    data = {
        "measure": request.GET.get("measure", defaults.measure),
        "region": request.GET.get("region", defaults.region),
        "months": request.GET.get("months", defaults.months),
        "window_days": request.GET.get("window_days", defaults.window_days),
        "grouping": request.GET.get("grouping", defaults.grouping),
    }
    return CohortForm(data)


def _result(request: HttpRequest, form: CohortForm) -> CohortResult:
    return cohort_analysis(user=request.user, query=form.query(), today=timezone.localdate())


@staff_required(Role.MANAGER)
def cohort_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    result = _result(request, form)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        detail={
            "page": "cohort analytics",
            "measure": result.query.measure,
            "grouping": result.query.grouping,
            "patients": len(result.changes),
        },
    )
    query_string = request.GET.urlencode()
    return render(
        request,
        "outcomes/cohort.html",
        {"form": form, "result": result, "query_string": query_string},
    )


def _number(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _patients_csv(result: CohortResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "record_number",
            "group",
            "measure",
            "baseline_on",
            "baseline",
            "follow_up_on",
            "follow_up",
            "change",
            "percent_change",
            "responder",
        ]
    )
    for row in result.changes:
        writer.writerow(
            [
                row.record_number,
                row.group,
                result.measure.key,
                row.baseline_on.isoformat(),
                _number(row.baseline),
                row.follow_up_on.isoformat(),
                _number(row.follow_up),
                _number(row.change),
                _number(row.percent_change),
                "" if row.responder is None else ("yes" if row.responder else "no"),
            ]
        )
    return buffer.getvalue()


def _summary_csv(result: CohortResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "group",
            "n",
            "mean_change",
            "ci95_low",
            "ci95_high",
            "mean_percent_change",
            "responders",
            "judged",
            "slope_per_month",
            "slope_ci95_low",
            "slope_ci95_high",
        ]
    )
    for group in [*result.groups, *([result.overall] if result.overall else [])]:
        model = group.model
        writer.writerow(
            [
                group.label,
                group.change.n,
                _number(group.change.mean),
                _number(group.change.low),
                _number(group.change.high),
                _number(group.percent_change.mean if group.percent_change else None),
                group.responders,
                group.judged,
                _number(model.slope_per_month if model else None, 4),
                _number(model.slope_low if model else None, 4),
                _number(model.slope_high if model else None, 4),
            ]
        )
    return buffer.getvalue()


@staff_required(Role.MANAGER)
def cohort_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    result = _result(request, form)
    kind = "summary" if request.GET.get("kind") == "summary" else "patients"
    body = _summary_csv(result) if kind == "summary" else _patients_csv(result)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        detail={
            "export": f"cohort {kind}",
            "measure": result.query.measure,
            "grouping": result.query.grouping,
            "months": result.query.months,
            "patient_ids": [row.patient_id for row in result.changes],
        },
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="cohort-{kind}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _managed_clinic(request: HttpRequest, clinic_id: int) -> Clinic:
    for clinic in selectors.clinics_managed_by(request.user):
        if clinic.pk == clinic_id:
            return clinic
    raise Http404("No such clinic among those you manage.")


@staff_required(Role.MANAGER)
def settings_home(request: HttpRequest) -> HttpResponse:
    clinics = selectors.clinics_managed_by(request.user)
    if len(clinics) == 1:
        return redirect("cohort:settings", clinic_id=clinics[0].pk)
    return render(request, "outcomes/settings_home.html", {"clinics": clinics})


def _settings_initial(clinic: Clinic) -> dict[str, object]:
    stored = selectors.outcome_settings_for(clinic_id=clinic.pk)
    names = OutcomeSettingsForm.base_fields
    return {name: getattr(stored, name) for name in names}


def _profile_post(request: HttpRequest, clinic: Clinic, form: DeviceProfileForm) -> bool:
    retire = request.POST.get("retire") or request.POST.get("restore")
    if retire and retire.isdigit():
        profile = DeviceProfile.objects.filter(clinic=clinic, pk=int(retire)).first()
        if profile is None:
            raise Http404("No such device profile.")
        services.device_profile_set_active(
            actor=actor(request), profile=profile, active="restore" in request.POST
        )
        return True
    if form.is_valid():
        try:
            services.device_profile_create(
                actor=actor(request), clinic=clinic, data=form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
            return False
        return True
    return False


@staff_required(Role.MANAGER)
def clinic_settings(request: HttpRequest, clinic_id: int) -> HttpResponse:
    clinic = _managed_clinic(request, clinic_id)
    posted = request.method == "POST"
    which = request.POST.get("form") if posted else None
    settings_form = OutcomeSettingsForm(
        request.POST if which == "settings" else None, initial=_settings_initial(clinic)
    )
    profile_form = DeviceProfileForm(request.POST if which == "profile" else None)
    if which == "settings" and settings_form.is_valid():
        try:
            services.outcome_settings_set(
                actor=actor(request), clinic=clinic, data=settings_form.cleaned_data
            )
        except DomainError as error:
            add_service_error(settings_form, error)
        else:
            messages.success(request, f"Outcome settings for {clinic.name} saved.")
            return redirect("cohort:settings", clinic_id=clinic.pk)
    if which == "profile" and _profile_post(request, clinic, profile_form):
        messages.success(request, "Device profiles saved.")
        return redirect("cohort:settings", clinic_id=clinic.pk)
    context = {
        "clinic": clinic,
        "settings_form": settings_form,
        "profile_form": profile_form,
        "profiles": selectors.device_profiles_for_clinic(clinic_id=clinic.pk, active_only=False),
    }
    return render(request, "outcomes/settings.html", context)
