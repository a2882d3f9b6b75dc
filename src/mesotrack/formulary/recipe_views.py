"""Recipe pages: the list, a recipe's versions with the dose of each ingredient, writing a new
version (with a live dose preview over htmx), and preparing a batch of syringes."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.selectors import clinic_ids_for, clinics_for
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.formulary import selectors, services
from mesotrack.formulary.doses import DoseReport, cocktail_doses
from mesotrack.formulary.forms import (
    BatchForm,
    ComponentFormSet,
    RecipeForm,
    RecipeVersionForm,
    add_service_error,
)
from mesotrack.formulary.models import (
    Lot,
    LotStatus,
    PreparedBatch,
    Product,
    Recipe,
    RecipeVersion,
)
from mesotrack.formulary.roles import FORMULARY_ROLES, MANAGING_ROLES, STOCK_ROLES
from mesotrack.formulary.services import ComponentInput
from mesotrack.formulary.views import actor, can_act, organisation_for

# The form's suggested use-by: a clinic session's worth of hours; the nurse sets the real one.
USE_BY = dt.timedelta(hours=6)


def _recipe(request: HttpRequest, recipe_id: int) -> Recipe:
    try:
        return selectors.recipe_get_for_user(user=request.user, recipe_id=recipe_id)
    except Recipe.DoesNotExist:
        raise Http404("No such recipe in your organisation.") from None


def _version(recipe: Recipe, number: str | None) -> RecipeVersion:
    try:
        return selectors.recipe_version_get(
            recipe=recipe,
            version=int(number) if number else recipe.version_count,  # type: ignore[attr-defined]
        )
    except (RecipeVersion.DoesNotExist, ValueError):
        raise Http404("No such version of this recipe.") from None


@staff_required(*FORMULARY_ROLES)
def recipe_list(request: HttpRequest) -> HttpResponse:
    recipes = selectors.recipe_queryset_for_user(user=request.user).order_by("-is_active", "name")
    context = {"recipes": recipes, "can_write": bool(clinics_for(request.user, MANAGING_ROLES))}
    return render(request, "formulary/recipe_list.html", context)


@staff_required(*FORMULARY_ROLES)
def recipe_detail(request: HttpRequest, recipe_id: int) -> HttpResponse:
    recipe = _recipe(request, recipe_id)
    version = _version(recipe, request.GET.get("version"))
    context = {
        "recipe": recipe,
        "version": version,
        "versions": recipe.versions.order_by("-version").select_related("created_by"),
        "report": selectors.recipe_version_doses(version=version),
        "batches": selectors.batch_queryset_for_user(user=request.user).filter(
            recipe_version__recipe=recipe
        )[:20],
        "can_write": bool(clinics_for(request.user, MANAGING_ROLES)) and recipe.is_active,
        "can_prepare": bool(clinics_for(request.user, STOCK_ROLES)) and recipe.is_active,
    }
    return render(request, "formulary/recipe_detail.html", context)


def _products(request: HttpRequest) -> QuerySet[Product]:
    return selectors.product_queryset_for_user(user=request.user).filter(is_active=True, unit="mL")


def _components(formset: Any) -> list[ComponentInput]:
    return [
        ComponentInput(row["product"], row["volume_ml"])
        for row in formset.cleaned_data
        if row.get("product")
    ]


def _preview(request: HttpRequest, formset: Any) -> HttpResponse:
    """The dose table of what the form holds so far (htmx), saving nothing."""
    report: DoseReport | None = None
    if formset.is_valid():
        rows = [c for c in _components(formset) if Decimal(c.volume_ml) > 0]
        report = cocktail_doses(
            [selectors.cocktail_component(c.product, Decimal(c.volume_ml)) for c in rows]
        )
    return render(request, "formulary/_doses.html", {"report": report, "preview": True})


def _component_formset(request: HttpRequest, initial: list[dict[str, Any]] | None = None) -> Any:
    return ComponentFormSet(
        request.POST or None,
        initial=initial,
        prefix="components",
        form_kwargs={"products": _products(request)},
    )


@staff_required(*MANAGING_ROLES)
def recipe_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, MANAGING_ROLES)
    form = RecipeForm(request.POST or None)
    formset = _component_formset(request)
    if request.method == "POST" and request.headers.get("HX-Request"):
        return _preview(request, formset)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            recipe = services.recipe_create(
                actor=actor(request),
                organisation=organisation,
                components=_components(formset),
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved {recipe.name}, version 1.")
            return redirect("formulary:recipe", recipe_id=recipe.pk)
    context = {"form": form, "formset": formset, "creating": True}
    return render(request, "formulary/recipe_form.html", context)


@staff_required(*MANAGING_ROLES)
def recipe_version_create(request: HttpRequest, recipe_id: int) -> HttpResponse:
    recipe = _recipe(request, recipe_id)
    current = _version(recipe, None)
    initial = [{"product": c.product, "volume_ml": c.volume_ml} for c in current.components.all()]
    form = RecipeVersionForm(request.POST or None)
    formset = _component_formset(request, initial)
    if request.method == "POST" and request.headers.get("HX-Request"):
        return _preview(request, formset)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = services.recipe_version_create(
                actor=actor(request),
                recipe=recipe,
                components=_components(formset),
                notes=form.cleaned_data["notes"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved version {version.version} of {recipe.name}.")
            return redirect("formulary:recipe", recipe_id=recipe.pk)
    context = {
        "form": form,
        "formset": formset,
        "recipe": recipe,
        "current": current,
        "report": selectors.recipe_version_doses(version=current),
    }
    return render(request, "formulary/recipe_form.html", context)


def _lot_choices(request: HttpRequest, version: RecipeVersion) -> dict[Product, QuerySet[Lot]]:
    clinic_ids = clinic_ids_for(request.user, STOCK_ROLES)
    usable = (
        selectors.with_on_hand(
            Lot.objects.filter(
                clinic_id__in=clinic_ids,
                status=LotStatus.ACTIVE,
                expiry_date__gte=timezone.localdate(),
            ).select_related("clinic", "product")
        )
        .filter(Q(on_hand__gt=0))
        .order_by("clinic__name", "expiry_date", "id")
    )
    return {
        component.product: usable.filter(product=component.product)
        for component in version.components.all()
        if component.product.is_stocked
    }


@staff_required(*STOCK_ROLES)
def batch_create(request: HttpRequest, recipe_id: int) -> HttpResponse:
    recipe = _recipe(request, recipe_id)
    version = _version(recipe, request.GET.get("version"))
    form = BatchForm(
        request.POST or None,
        clinics=clinics_for(request.user, STOCK_ROLES),
        lot_choices=_lot_choices(request, version),
        initial={"use_by": (timezone.localtime() + USE_BY).replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_prepare(
                actor=actor(request),
                version=version,
                clinic=data["clinic"],
                syringes=data["syringes"],
                use_by=data["use_by"],
                lots=form.chosen_lots(),
                notes=data["notes"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Prepared batch {batch.pk}: {batch.syringes} syringes.")
            return redirect("formulary:batch", batch_id=batch.pk)
    context = {"form": form, "recipe": recipe, "version": version}
    return render(request, "formulary/batch_form.html", context)


def _batch(request: HttpRequest, batch_id: int) -> PreparedBatch:
    try:
        return selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    except PreparedBatch.DoesNotExist:
        raise Http404("No such batch in your organisation.") from None


@staff_required(*FORMULARY_ROLES)
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    shows_patients = batch.clinic_id in clinic_ids_for(request.user, FORMULARY_ROLES)
    syringes = list(batch.prepared_syringes.select_related("patient", "used_by"))
    given = [s.patient_id for s in syringes if s.patient_id]
    if shows_patients and given:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            clinic=batch.clinic,
            obj=batch,
            detail={"list": "batch_syringes", "patient_ids": sorted(set(given))},
        )
    context = {
        "batch": batch,
        "draws": selectors.batch_lot_movements(batch=batch),
        "syringes": syringes,
        "shows_patients": shows_patients,
        "can_discard": can_act(actor(request), batch.clinic_id, STOCK_ROLES)
        and batch.available > 0,  # type: ignore[attr-defined]
    }
    return render(request, "formulary/batch_detail.html", context)


@staff_required(*STOCK_ROLES)
@require_POST
def batch_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        count = services.batch_discard_remaining(
            actor=actor(request), batch=batch, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Discarded {count} syringes of batch {batch.pk}.")
    return redirect("formulary:batch", batch_id=batch.pk)
