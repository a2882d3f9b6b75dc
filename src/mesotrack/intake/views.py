"""Intake pages: summary with version history, draft editing, read-only versions, signing.

Clinical roles only. The patient is looked up among the clinics where the user holds a clinical
role (else 404), and each page records one VIEW audit event naming the intake version shown.
"""

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.intake import selectors, services
from mesotrack.intake.answers import IntakeAnswersInvalid
from mesotrack.intake.forms import IntakeForms
from mesotrack.intake.models import Intake, IntakeStatus
from mesotrack.intake.presenters import intake_display, lab_unit_hints, lab_unit_spellings
from mesotrack.patients.models import Patient, SexAtBirth

CLINICAL = tuple(CLINICAL_ROLES)


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have gone through these answers with the patient. Once signed they cannot be "
        "changed; corrections go into a new version.",
        error_messages={"required": "Tick the box to confirm you have reviewed the answers."},
    )


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _patient(request: HttpRequest, patient_id: int) -> Patient:
    try:
        return selectors.patient_get_for_clinician(user=request.user, patient_id=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient in your clinics.") from None


def _version(patient: Patient, version: int) -> Intake:
    try:
        return selectors.intake_get_for_patient(patient=patient, version=version)
    except Intake.DoesNotExist:
        raise Http404("No such intake version.") from None


def _audit_view(request: HttpRequest, patient: Patient, intake: Intake | None, page: str) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=intake or patient,
        detail={"page": page, "version": intake.version if intake else None},
    )


def _is_practitioner(request: HttpRequest, patient: Patient) -> bool:
    return role_in_clinic(request.user, patient.clinic_id) == Role.PRACTITIONER


@staff_required(*CLINICAL)
def intake_summary(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    versions = selectors.intake_versions_for_patient(patient=patient)
    latest = versions[0] if versions else None
    _audit_view(request, patient, latest, "intake summary")
    context = {
        "patient": patient,
        "intake": latest,
        "display": intake_display(latest.answers) if latest else None,
        "versions": versions,
        "can_sign": bool(latest and not latest.is_signed and _is_practitioner(request, patient)),
        "can_start": latest is None or latest.is_signed,
    }
    return render(request, "intake/summary.html", context)


@staff_required(*CLINICAL)
def intake_start(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    if request.method != "POST":
        return _start_page(request, patient, notice="")
    try:
        intake = services.intake_start(actor=_actor(request), patient=patient)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("intake:summary", patient_id=patient.pk)
    messages.success(request, f"Intake version {intake.version} started.")
    return redirect("intake:edit", patient_id=patient.pk)


def _start_page(request: HttpRequest, patient: Patient, notice: str) -> HttpResponse:
    latest = selectors.intake_latest_for_patient(patient=patient)
    _audit_view(request, patient, latest, "intake start")
    context = {"patient": patient, "latest": latest, "notice": notice}
    return render(request, "intake/start.html", context)


@staff_required(*CLINICAL)
def intake_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    draft = selectors.intake_latest_for_patient(patient=patient)
    if draft is None or draft.status != IntakeStatus.DRAFT:
        return _start_page(
            request, patient, "There is no draft to edit: start a new version first."
        )
    intake_forms = IntakeForms(request.POST if request.method == "POST" else None, draft.answers)
    if request.method == "POST" and intake_forms.is_valid():
        try:
            services.intake_update(
                actor=_actor(request),
                intake=draft,
                answers=intake_forms.answers(),
                loaded_at=_loaded_at(request),
            )
        except IntakeAnswersInvalid as invalid:
            intake_forms.add_service_errors(invalid.errors)
        except DomainError as error:
            intake_forms.errors.append(error.message)
        else:
            messages.success(request, f"Intake version {draft.version} saved.")
            return redirect("intake:summary", patient_id=patient.pk)
    if request.method == "GET":
        _audit_view(request, patient, draft, "intake edit")
    context = {
        "patient": patient,
        "intake": draft,
        "loaded_at": request.POST.get("loaded_at") or draft.updated_at.isoformat(),
        "forms": intake_forms,
        "pregnancy_relevant": patient.sex_at_birth != SexAtBirth.MALE,
        "lab_units": lab_unit_hints(),
        "lab_unit_spellings": lab_unit_spellings(),
    }
    return render(request, "intake/edit.html", context)


def _loaded_at(request: HttpRequest) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(request.POST.get("loaded_at", ""))
    except ValueError:
        return None


@staff_required(*CLINICAL)
def intake_version(request: HttpRequest, patient_id: int, version: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    intake = _version(patient, version)
    _audit_view(request, patient, intake, "intake version")
    context = {"patient": patient, "intake": intake, "display": intake_display(intake.answers)}
    return render(request, "intake/version.html", context)


@staff_required(Role.PRACTITIONER)
def intake_sign(request: HttpRequest, patient_id: int, version: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    if not _is_practitioner(request, patient):
        return forbidden(request, "role in this clinic")
    intake = _version(patient, version)
    if intake.is_signed:
        messages.info(request, f"Version {intake.version} is already signed.")
        return redirect("intake:summary", patient_id=patient.pk)
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_sign(actor=_actor(request), intake=intake)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Intake version {intake.version} signed.")
            return redirect("intake:summary", patient_id=patient.pk)
    if request.method == "GET":
        _audit_view(request, patient, intake, "intake sign")
    context = {
        "patient": patient,
        "intake": intake,
        "display": intake_display(intake.answers),
        "form": form,
    }
    return render(request, "intake/sign.html", context)
