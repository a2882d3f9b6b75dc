"""Managers publish, correct and retire consent form versions."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Role
from mesotrack.consent import selectors, services
from mesotrack.consent.forms import ConsentTemplateForm
from mesotrack.consent.models import ConsentKind, ConsentTemplate
from mesotrack.consent.text import consent_text_blocks
from mesotrack.consent.views import add_service_error
from mesotrack.core.errors import DomainError


def _template(template_id: int) -> ConsentTemplate:
    try:
        return ConsentTemplate.objects.get(pk=template_id)
    except ConsentTemplate.DoesNotExist:
        raise Http404("No such consent form version.") from None


@staff_required(Role.MANAGER)
def template_list(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.consent_template_versions())
    current_ids = selectors.consent_template_current_ids()
    by_kind = {kind: list(group) for kind, group in groupby(versions, key=lambda t: t.kind)}
    kinds = [(kind, by_kind.get(kind.value, [])) for kind in ConsentKind]
    context = {"kinds": kinds, "current_ids": current_ids, "today": timezone.localdate()}
    return render(request, "consent/template_list.html", context)


@staff_required(Role.MANAGER)
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template(template_id)
    context = {
        "template": template,
        "blocks": consent_text_blocks(template.body),
        "has_signatures": selectors.consent_template_has_signatures(template),
        "is_current": template.pk in selectors.consent_template_current_ids(),
    }
    return render(request, "consent/template_detail.html", context)


@staff_required(Role.MANAGER)
def template_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ConsentKind.values:
        raise Http404("No such kind of consent.")
    consent_kind = ConsentKind(kind)
    latest = ConsentTemplate.objects.filter(kind=consent_kind).order_by("-version").first()
    initial = ConsentTemplateForm.initial_from(latest) if latest else {}
    initial.pop("effective_from", None)
    form = ConsentTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.consent_template_create_version(
                actor=request.user,  # type: ignore[arg-type]
                kind=consent_kind,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Published {template}.")
            return redirect("consent_templates:detail", template_id=template.pk)
    context = {"form": form, "kind": consent_kind, "based_on": latest}
    return render(request, "consent/template_form.html", context)


@staff_required(Role.MANAGER)
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template(template_id)
    if selectors.consent_template_has_signatures(template):
        messages.error(
            request,
            "People have signed this version, so its text cannot change. "
            "Create a new version instead.",
        )
        return redirect("consent_templates:detail", template_id=template.pk)
    form = ConsentTemplateForm(
        request.POST or None, initial=ConsentTemplateForm.initial_from(template)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_template_update(
                actor=request.user,  # type: ignore[arg-type]
                template=template,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved {template}.")
            return redirect("consent_templates:detail", template_id=template.pk)
    context = {"form": form, "kind": ConsentKind(template.kind), "template": template}
    return render(request, "consent/template_form.html", context)


@staff_required(Role.MANAGER)
@require_POST
def template_retire(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template(template_id)
    try:
        services.consent_template_retire(actor=request.user, template=template)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Retired {template}; it can no longer be signed.")
    return redirect("consent_templates:detail", template_id=template.pk)
