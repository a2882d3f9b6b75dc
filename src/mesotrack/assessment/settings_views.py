"""Clinic settings pages for managers: the price list and the screening settings."""

import dataclasses

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Clinic, Role
from mesotrack.assessment import selectors, services
from mesotrack.assessment.codes import PriceItem
from mesotrack.assessment.forms import PriceListForm, ScreeningSettingsForm, add_service_error
from mesotrack.assessment.thresholds import threshold_fields
from mesotrack.assessment.views import actor
from mesotrack.core.errors import DomainError


def _managed_clinic(request: HttpRequest, clinic_id: int) -> Clinic:
    """A clinic the user manages, else 404 (another clinic's settings are not revealed)."""
    for clinic in selectors.clinics_managed_by(request.user):
        if clinic.pk == clinic_id:
            return clinic
    raise Http404("No such clinic among those you manage.")


@staff_required(Role.MANAGER)
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/settings_home.html",
        {"clinics": selectors.clinics_managed_by(request.user)},
    )


@staff_required(Role.MANAGER)
def price_list(request: HttpRequest, clinic_id: int) -> HttpResponse:
    clinic = _managed_clinic(request, clinic_id)
    current = selectors.clinic_price_list(clinic_id=clinic.pk)
    initial: dict[str, object] = {item: price.amount for item, price in current.items()}
    initial["currency"] = next((p.currency for p in current.values()), "GBP")
    form = PriceListForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        items=PriceItem.choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_prices_set(
                actor=actor(request),
                clinic=clinic,
                prices=form.prices(),
                currency=form.cleaned_data["currency"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Prices for {clinic.name} saved.")
            return redirect("clinic_settings:prices", clinic_id=clinic.pk)
    return render(request, "assessment/settings_prices.html", {"clinic": clinic, "form": form})


@staff_required(Role.MANAGER)
def screening_settings(request: HttpRequest, clinic_id: int) -> HttpResponse:
    clinic = _managed_clinic(request, clinic_id)
    stored = selectors.clinic_screening_settings(clinic_id=clinic.pk)
    thresholds = selectors.lab_thresholds_from(stored)
    initial: dict[str, object] = dict(dataclasses.asdict(thresholds))
    initial["override_valid_days"] = stored.override_valid_days if stored else 0
    form = ScreeningSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        thresholds=threshold_fields(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_screening_settings_set(
                actor=actor(request),
                clinic=clinic,
                lab_thresholds=form.thresholds(),
                override_valid_days=form.cleaned_data["override_valid_days"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Screening settings for {clinic.name} saved.")
            return redirect("clinic_settings:screening", clinic_id=clinic.pk)
    changed = set(stored.lab_thresholds) if stored else set()
    return render(
        request,
        "assessment/settings_screening.html",
        {"clinic": clinic, "form": form, "changed": changed},
    )
