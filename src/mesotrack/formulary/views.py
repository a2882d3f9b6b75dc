"""Formulary pages: stock overview, products, receiving stock, lots and their ledger, settings.

Stock is read across the organisation; changing it needs a role at the lot's clinic.
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Organisation, Role, User
from mesotrack.accounts.selectors import clinics_for, has_role, role_in_clinic
from mesotrack.core.errors import DomainError
from mesotrack.formulary import selectors, services
from mesotrack.formulary.catalogue import ingredient_catalogue
from mesotrack.formulary.forms import (
    CompositionFormSet,
    MovementForm,
    ProductForm,
    ReceiveForm,
    SettingsForm,
    StatusForm,
    add_service_error,
    composition_lines,
)
from mesotrack.formulary.models import Lot, LotStatus, MovementKind, Product
from mesotrack.formulary.roles import (
    FORMULARY_ROLES,
    MANAGING_ROLES,
    SETTINGS_ROLES,
    STOCK_ROLES,
)

STATUS_CHANGES = {
    "quarantine": LotStatus.QUARANTINED,
    "release": LotStatus.ACTIVE,
    "recall": LotStatus.RECALLED,
    "expire": LotStatus.EXPIRED,
}


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def can_act(user: User, clinic_id: int, roles: frozenset[Role]) -> bool:
    return role_in_clinic(user, clinic_id) in roles


def organisation_for(request: HttpRequest, roles: frozenset[Role]) -> Organisation:
    """The organisation the user's formulary work happens in (the first, if several)."""
    clinics = clinics_for(request.user, roles)
    if not clinics:
        raise Http404("No clinic where you can do this.")
    return min(clinics, key=lambda clinic: clinic.pk).organisation


def lot_for_request(request: HttpRequest, lot_id: int) -> Lot:
    try:
        return selectors.lot_get_for_user(user=request.user, lot_id=lot_id)
    except Lot.DoesNotExist:
        raise Http404("No such lot in your organisation.") from None


def product_for_request(request: HttpRequest, product_id: int) -> Product:
    try:
        return selectors.product_get_for_user(user=request.user, product_id=product_id)
    except Product.DoesNotExist:
        raise Http404("No such product in your organisation.") from None


@staff_required(*FORMULARY_ROLES)
def formulary_home(request: HttpRequest) -> HttpResponse:
    context = {
        "overview": selectors.formulary_overview(user=request.user),
        "expiring": selectors.lots_expiring(user=request.user),
        "clinics": clinics_for(request.user, FORMULARY_ROLES),
        "catalogue": ingredient_catalogue(),
        "can_manage": bool(clinics_for(request.user, MANAGING_ROLES)),
        "can_configure": bool(clinics_for(request.user, SETTINGS_ROLES)),
    }
    return render(request, "formulary/home.html", context)


@staff_required(*FORMULARY_ROLES)
def ingredient_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "formulary/ingredients.html", {"ingredients": ingredient_catalogue().values()}
    )


@staff_required(*MANAGING_ROLES)
def product_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, MANAGING_ROLES)
    form = ProductForm(request.POST or None)
    formset = CompositionFormSet(request.POST or None, prefix="composition")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            product = services.product_create(
                actor=actor(request),
                organisation=organisation,
                composition=composition_lines(formset),
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Added {product.name} to the formulary.")
            return redirect("formulary:product", product_id=product.pk)
    return render(request, "formulary/product_form.html", {"form": form, "formset": formset})


@staff_required(*FORMULARY_ROLES)
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = product_for_request(request, product_id)
    lots = selectors.with_on_hand(
        selectors.lot_queryset_for_user(user=request.user).filter(product=product)
    ).order_by("clinic__name", "expiry_date", "id")
    context = {
        "product": product,
        "lots": list(lots),
        "catalogue": ingredient_catalogue(),
        "can_receive": product.is_stocked and bool(clinics_for(request.user, STOCK_ROLES)),
    }
    return render(request, "formulary/product_detail.html", context)


@staff_required(*STOCK_ROLES)
def stock_receive(request: HttpRequest, product_id: int) -> HttpResponse:
    product = product_for_request(request, product_id)
    clinics = [c for c in clinics_for(request.user, STOCK_ROLES)]
    form = ReceiveForm(request.POST or None, clinics=clinics, product=product)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_receive(actor=actor(request), product=product, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Received {form.cleaned_data['quantity']} {product.unit} "
                f"into lot {lot.lot_number}.",
            )
            return redirect("formulary:lot", lot_id=lot.pk)
    return render(request, "formulary/receive.html", {"form": form, "product": product})


@staff_required(*FORMULARY_ROLES)
def lot_detail(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = lot_for_request(request, lot_id)
    user = actor(request)
    context = {
        "lot": lot,
        "status": lot.effective_status(timezone.localdate()),
        "on_hand": selectors.lot_on_hand(lot=lot),
        "ledger": selectors.lot_ledger(user=user, lot=lot),
        "movement_form": MovementForm() if can_act(user, lot.clinic_id, STOCK_ROLES) else None,
        "status_form": StatusForm() if can_act(user, lot.clinic_id, MANAGING_ROLES) else None,
        "can_see_recall": has_role(user, MANAGING_ROLES),
    }
    return render(request, "formulary/lot_detail.html", context)


def _not_here(request: HttpRequest, lot: Lot, doing: str) -> HttpResponse:
    messages.error(request, f"Only staff of {lot.clinic.name} can {doing} for this lot.")
    return redirect("formulary:lot", lot_id=lot.pk)


@staff_required(*STOCK_ROLES)
def lot_movement(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = lot_for_request(request, lot_id)
    if not can_act(actor(request), lot.clinic_id, STOCK_ROLES):
        return _not_here(request, lot, "record waste or corrections")
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = {
            MovementKind.WASTE: services.stock_waste,
            MovementKind.ADJUST: services.stock_adjust,
            MovementKind.RETURN: services.stock_return,
        }[MovementKind(data["kind"])]
        try:
            movement = record(
                actor=actor(request), lot=lot, quantity=data["quantity"], reason=data["reason"]
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{movement.get_kind_display()}: {movement.quantity} {lot.product.unit}."
            )
            return redirect("formulary:lot", lot_id=lot.pk)
    return render(request, "formulary/lot_movement.html", {"form": form, "lot": lot})


@staff_required(*MANAGING_ROLES)
def lot_status(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = lot_for_request(request, lot_id)
    if not can_act(actor(request), lot.clinic_id, MANAGING_ROLES):
        return _not_here(request, lot, "change the status")
    form = StatusForm(request.POST or None, initial={"action": request.GET.get("action")})
    if request.method == "POST" and form.is_valid():
        to = STATUS_CHANGES[form.cleaned_data["action"]]
        try:
            services.lot_status_change(
                actor=actor(request), lot=lot, to=to, reason=form.cleaned_data["reason"]
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Lot {lot.lot_number} is now {to.label.lower()}.")
            if to == LotStatus.RECALLED:
                return redirect("formulary:recall", lot_id=lot.pk)
            return redirect("formulary:lot", lot_id=lot.pk)
    return render(request, "formulary/lot_status.html", {"form": form, "lot": lot})


@staff_required(*SETTINGS_ROLES)
def formulary_settings(request: HttpRequest) -> HttpResponse:
    clinics = clinics_for(request.user, SETTINGS_ROLES)
    days = selectors.expiry_warning_days(c.pk for c in clinics)
    forms = [
        (
            clinic,
            SettingsForm(
                request.POST if request.POST.get("clinic") == str(clinic.pk) else None,
                initial={"expiry_warning_days": days[clinic.pk]},
                prefix=f"clinic{clinic.pk}",
            ),
        )
        for clinic in clinics
    ]
    for clinic, form in forms:
        if form.is_bound and form.is_valid():
            try:
                services.formulary_settings_set(
                    actor=actor(request),
                    clinic=clinic,
                    expiry_warning_days=form.cleaned_data["expiry_warning_days"],
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Saved the formulary settings of {clinic.name}.")
                return redirect("formulary:settings")
    return render(request, "formulary/settings.html", {"forms": forms})
