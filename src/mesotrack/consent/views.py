"""A patient's consents: status and history, signing, reading one, withdrawing."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.consent import selectors, services
from mesotrack.consent.forms import ConsentSignForm, ConsentWithdrawForm
from mesotrack.consent.models import ConsentKind, ConsentTemplate, SignedConsent
from mesotrack.consent.text import consent_text_blocks
from mesotrack.core.errors import DomainError
from mesotrack.patients.models import Patient
from mesotrack.patients.selectors import patient_get_for_user


def _patient(request: HttpRequest, patient_id: int) -> Patient:
    """The patient in the URL if the user may see it, else 404. Each view audits what it shows."""
    try:
        return patient_get_for_user(user=request.user, patient_id=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient in your clinics.") from None


def _consent(patient: Patient, consent_id: int) -> SignedConsent:
    try:
        return selectors.consent_get_for_patient(patient=patient, consent_id=consent_id)
    except SignedConsent.DoesNotExist:
        raise Http404("No such consent for this patient.") from None


def _kind(kind: str) -> ConsentKind:
    if kind not in ConsentKind.values:
        raise Http404("No such kind of consent.")
    return ConsentKind(kind)


def add_service_error(form: forms.Form, error: DomainError | ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@staff_required()
def consent_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    statuses = selectors.consent_status_for_patient(patient)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=patient,
        detail={"consents": [c.pk for s in statuses for c in s.history]},
    )
    return render(request, "consent/list.html", {"patient": patient, "statuses": statuses})


@staff_required()
def consent_sign(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    patient = _patient(request, patient_id)
    consent_kind = _kind(kind)
    user: User = request.user  # type: ignore[assignment]
    template = selectors.consent_template_current(consent_kind)
    form = ConsentSignForm(
        request.POST or None,
        witness_label=f"I, {user.get_full_name() or user.get_username()}, watched the "
        "person named above sign this form.",
        initial={
            "template_id": template.pk if template else None,
            "shown_text_sha256": template.text_sha256 if template else "",
        },
    )
    if request.method == "POST" and template is not None and form.is_valid():
        consent = _sign(request, form, patient, template)
        if consent is not None:
            messages.success(request, f"{consent.get_kind_display()} consent signed and stored.")
            return redirect("consent:detail", patient_id=patient.pk, consent_id=consent.pk)
    if request.method == "GET":
        audit_record(
            actor=user,
            action=Action.VIEW,
            patient=patient,
            obj=patient,
            detail={"signing": consent_kind.value},
        )
    context: dict[str, Any] = {
        "patient": patient,
        "kind": consent_kind,
        "template": template,
        "blocks": consent_text_blocks(template.body) if template else [],
        "form": form,
    }
    return render(request, "consent/sign.html", context)


def _sign(
    request: HttpRequest, form: ConsentSignForm, patient: Patient, template: ConsentTemplate
) -> SignedConsent | None:
    data = form.cleaned_data
    if data["template_id"] != template.pk:
        form.add_error(
            None,
            "A newer version of this form was published while the page was open. Read the "
            "text below with the patient, then sign again.",
        )
        return None
    try:
        return services.consent_sign(
            actor=request.user,  # type: ignore[arg-type]
            patient=patient,
            template=template,
            typed_name=data["typed_name"],
            signer_relationship=data["signer_relationship"],
            signature_png=data["signature"],
            witness_confirmed=data["witness_confirmed"],
            shown_text_sha256=data["shown_text_sha256"],
        )
    except (DomainError, ValidationError) as error:
        add_service_error(form, error)
        return None


@staff_required()
def consent_detail(request: HttpRequest, patient_id: int, consent_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    consent = _consent(patient, consent_id)
    audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=consent)
    context = {
        "patient": patient,
        "consent": consent,
        "withdrawal": consent.withdrawal_or_none,
        "blocks": consent_text_blocks(consent.body_snapshot),
        "is_intact": consent.is_intact,
        "can_withdraw": selectors.consent_is_withdrawable(consent),
    }
    return render(request, "consent/detail.html", context)


@staff_required()
def consent_signature_image(request: HttpRequest, patient_id: int, consent_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    consent = _consent(patient, consent_id)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=consent,
        detail={"part": "signature image"},
    )
    response = HttpResponse(bytes(consent.signature_png), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="consent-{consent.pk}-signature.png"'
    return response


@staff_required()
def consent_withdraw(request: HttpRequest, patient_id: int, consent_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    consent = _consent(patient, consent_id)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,  # type: ignore[arg-type]
                consent=consent,
                reason=form.cleaned_data["reason"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Withdrawal of the {consent.get_kind_display()} consent recorded."
            )
            return redirect("consent:detail", patient_id=patient.pk, consent_id=consent.pk)
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, patient=patient, obj=consent)
    context = {"patient": patient, "consent": consent, "form": form}
    return render(request, "consent/withdraw.html", context)
