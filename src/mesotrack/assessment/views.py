"""Assessment pages: list, new draft, edit draft, read, sign, addendum.

Clinical roles only (a receptionist gets 403); a patient outside the user's clinics is a 404.
Practitioners and nurses write drafts, practitioners sign and add addenda, managers read. Every
page that shows the patient records one VIEW audit event.
"""

from typing import Any, cast

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.assessment import selectors, services
from mesotrack.assessment.forms import AddendumForm, AssessmentForm, SignForm
from mesotrack.assessment.models import Assessment
from mesotrack.assessment.presenters import assessment_summary, picker_context
from mesotrack.assessment.services.roles import DRAFTING_ROLES
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.patients.models import Patient

CLINICAL = tuple(CLINICAL_ROLES)


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def clinical_patient(request: HttpRequest, patient_id: int) -> Patient:
    """The patient in the URL if the user holds a clinical role in their clinic, else 404."""
    try:
        return selectors.patient_get_for_clinician(user=request.user, patient_id=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient in your clinics.") from None


def patient_assessment(patient: Patient, assessment_id: int) -> Assessment:
    try:
        return selectors.assessment_get_for_patient(patient=patient, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment for this patient.") from None


def audit_view(
    request: HttpRequest, patient: Patient, obj: Model | None, page: str, **detail: Any
) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        patient=patient,
        obj=obj or patient,
        detail={"page": page, **detail},
    )


def role_here(request: HttpRequest, patient: Patient) -> Role | None:
    return role_in_clinic(request.user, patient.clinic_id)


def is_practitioner(request: HttpRequest, patient: Patient) -> bool:
    return role_here(request, patient) == Role.PRACTITIONER


@staff_required(*CLINICAL)
def assessment_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    assessments = selectors.assessment_list_for_patient(patient=patient)
    plans = selectors.treatment_plan_list_for_patient(patient=patient)
    audit_view(request, patient, None, "assessment list", assessments=[a.pk for a in assessments])
    context = {
        "patient": patient,
        "assessments": assessments,
        "plans": plans,
        "has_draft": any(not a.is_signed for a in assessments),
        "can_draft": role_here(request, patient) in DRAFTING_ROLES,
    }
    return render(request, "assessment/list.html", context)


def _form_page(
    request: HttpRequest,
    patient: Patient,
    form: AssessmentForm,
    assessment: Assessment | None,
) -> HttpResponse:
    screening = selectors.patient_screening(
        patient=patient, on_date=timezone.localdate(), assessment=assessment
    )
    context = {
        "patient": patient,
        "assessment": assessment,
        "form": form,
        "panel": screening.panel,
        "lab_flags": screening.lab_flags,
        **picker_context(form),
    }
    return render(request, "assessment/form.html", context)


def _notice(request: HttpRequest, patient: Patient, obj: Model | None, notice: str) -> HttpResponse:
    audit_view(request, patient, obj, "assessment notice")
    return render(
        request, "assessment/notice.html", {"patient": patient, "notice": notice, "obj": obj}
    )


@staff_required(Role.PRACTITIONER, Role.NURSE)
def assessment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if role_here(request, patient) not in DRAFTING_ROLES:
        return forbidden(request, "role in this clinic")
    draft = selectors.assessment_draft_for_patient(patient=patient)
    if draft is not None:
        return _notice(
            request, patient, draft, "There is already a draft assessment: finish it first."
        )
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                actor=actor(request), patient=patient, data=form.entries()
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Assessment saved as a draft.")
            return redirect("assessment:detail", patient_id=patient.pk, assessment_id=assessment.pk)
    if request.method == "GET":
        audit_view(request, patient, None, "new assessment")
    return _form_page(request, patient, form, None)


@staff_required(Role.PRACTITIONER, Role.NURSE)
def assessment_edit(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if role_here(request, patient) not in DRAFTING_ROLES:
        return forbidden(request, "role in this clinic")
    assessment = patient_assessment(patient, assessment_id)
    if assessment.is_signed:
        return _notice(
            request, patient, assessment, "This assessment is signed: add an addendum instead."
        )
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        initial=AssessmentForm.initial_from(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=actor(request), assessment=assessment, data=form.entries()
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("assessment:detail", patient_id=patient.pk, assessment_id=assessment.pk)
    if request.method == "GET":
        audit_view(request, patient, assessment, "edit assessment")
    return _form_page(request, patient, form, assessment)


def _detail_context(request: HttpRequest, patient: Patient, assessment: Assessment) -> dict:
    screening = selectors.patient_screening(
        patient=patient, on_date=timezone.localdate(), assessment=assessment
    )
    role = role_here(request, patient)
    return {
        "patient": patient,
        "assessment": assessment,
        "summary": assessment_summary(assessment),
        "addenda": selectors.addenda_for_assessment(assessment=assessment),
        "panel": screening.panel,
        "lab_flags": screening.lab_flags,
        "can_edit": not assessment.is_signed and role in DRAFTING_ROLES,
        "can_sign": not assessment.is_signed and role == Role.PRACTITIONER,
        "can_add_addendum": assessment.is_signed and role == Role.PRACTITIONER,
    }


@staff_required(*CLINICAL)
def assessment_detail(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    assessment = patient_assessment(patient, assessment_id)
    audit_view(request, patient, assessment, "assessment")
    return render(request, "assessment/detail.html", _detail_context(request, patient, assessment))


@staff_required(Role.PRACTITIONER)
def assessment_sign(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not is_practitioner(request, patient):
        return forbidden(request, "role in this clinic")
    assessment = patient_assessment(patient, assessment_id)
    if assessment.is_signed:
        return _notice(request, patient, assessment, "This assessment is already signed.")
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_sign(actor=actor(request), assessment=assessment)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Assessment signed.")
            return redirect("assessment:detail", patient_id=patient.pk, assessment_id=assessment.pk)
    if request.method == "GET":
        audit_view(request, patient, assessment, "sign assessment")
    context = {**_detail_context(request, patient, assessment), "form": form}
    return render(request, "assessment/sign.html", context)


@staff_required(Role.PRACTITIONER)
def assessment_addendum(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not is_practitioner(request, patient):
        return forbidden(request, "role in this clinic")
    assessment = patient_assessment(patient, assessment_id)
    if not assessment.is_signed:
        return _notice(
            request, patient, assessment, "Addenda are for signed assessments: edit the draft."
        )
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_addendum_add(
                actor=actor(request), assessment=assessment, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text" if error.field == "text" else None, error.message)
        else:
            messages.success(request, "Addendum added.")
            return redirect("assessment:detail", patient_id=patient.pk, assessment_id=assessment.pk)
    if request.method == "GET":
        audit_view(request, patient, assessment, "add addendum")
    context = {
        "patient": patient,
        "assessment": assessment,
        "summary": assessment_summary(assessment),
        "addenda": selectors.addenda_for_assessment(assessment=assessment),
        "form": form,
    }
    return render(request, "assessment/addendum.html", context)
