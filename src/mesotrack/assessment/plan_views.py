"""Decision aid, treatment plans, and the screening page with its override form.

Clinical roles read; only a practitioner of the patient's clinic records a plan, a decision or
an override. Each page that shows the patient records one VIEW audit event.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.accounts.models import Role
from mesotrack.assessment import selectors, services
from mesotrack.assessment.codes import (
    Goal,
    Modality,
    vocabulary_choices,
    vocabulary_label,
)
from mesotrack.assessment.costs import CostComparison, format_money
from mesotrack.assessment.decision import DecisionAid, decision_aid
from mesotrack.assessment.forms import (
    DecisionForm,
    GoalsForm,
    OverrideForm,
    PlanForm,
    add_service_error,
)
from mesotrack.assessment.models import TreatmentPlan
from mesotrack.assessment.panel import flags_from_dicts
from mesotrack.assessment.presenters import assessment_summary
from mesotrack.assessment.views import (
    CLINICAL,
    actor,
    audit_view,
    clinical_patient,
    is_practitioner,
    patient_assessment,
)
from mesotrack.core.errors import DomainError
from mesotrack.intake.presenters import label
from mesotrack.patients.models import Patient


def _plan_form(request: HttpRequest, aid: DecisionAid) -> PlanForm:
    first = aid.options[0] if aid.options else None
    initial = {
        "goals": sorted(aid.goals),
        "chosen_modality": first.modality if first else None,
        "details": (first.suggested_protocol or "") if first else "",
    }
    return PlanForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        modalities=[(row.option.modality, row.label) for row in aid.rows] or Modality.choices,
        ingredients=vocabulary_choices("ingredients"),
        anaesthetics=vocabulary_choices("anaesthetics"),
        medicines=vocabulary_choices("medical_options"),
    )


def _goals(request: HttpRequest) -> tuple[GoalsForm, frozenset[str]]:
    source = request.POST if request.method == "POST" else request.GET
    form = GoalsForm(source if "goals" in source else None)
    goals = (
        frozenset(form.cleaned_data["goals"]) if form.is_bound and form.is_valid() else frozenset()
    )
    return form, goals


@staff_required(*CLINICAL)
def decision_aid_page(request: HttpRequest, patient_id: int, assessment_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    assessment = patient_assessment(patient, assessment_id)
    practitioner = is_practitioner(request, patient)
    if request.method == "POST" and not practitioner:
        return forbidden(request, "role in this clinic")
    goals_form, goals = _goals(request)
    aid = decision_aid(assessment=assessment, goals=goals, on_date=timezone.localdate())
    form = _plan_form(request, aid)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.treatment_plan_record(
                actor=actor(request),
                assessment=assessment,
                chosen_modality=form.cleaned_data["chosen_modality"],
                patient_decision=form.cleaned_data["patient_decision"],
                goals=form.cleaned_data["goals"],
                details=form.cleaned_data["details"],
                ingredients=form.cleaned_data["ingredients"],
                anaesthetic=form.cleaned_data["anaesthetic"],
                medical_options=form.cleaned_data["medical_options"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Plan and the patient's decision recorded.")
            return redirect("assessment:plan", patient_id=patient.pk, plan_id=plan.pk)
    if request.method == "GET":
        audit_view(request, patient, assessment, "decision aid", goals=sorted(goals))
    context = {
        "patient": patient,
        "assessment": assessment,
        "summary": assessment_summary(assessment),
        "aid": aid,
        "rows": [(row, _cost_lines(row.costs)) for row in aid.rows],
        "panel": aid.screening.panel,
        "goals_form": goals_form,
        "goal_labels": [Goal(g).label for g in sorted(goals)],
        "prior_treatments": [
            (
                label("prior_treatments", code),
                label("treatment_responses", response) if response else "",
            )
            for code, response in sorted(aid.history.responses.items())
        ],
        "form": form,
        "can_record": practitioner and assessment.is_signed,
    }
    return render(request, "assessment/decision_aid.html", context)


def _cost_lines(costs: CostComparison) -> list[dict[str, str]]:
    return [
        {
            "label": item.label,
            "basis": item.basis,
            "course": format_money(item.course),
            "year": format_money(item.year),
            "priced": "yes" if item.priced else "",
        }
        for item in costs.items
    ]


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = dict(Modality.choices)
    return [
        {**row, "label": labels.get(row.get("modality", ""), row.get("modality"))} for row in rows
    ]


def _plan(patient: Patient, plan_id: int) -> TreatmentPlan:
    try:
        return selectors.treatment_plan_get_for_patient(patient=patient, plan_id=plan_id)
    except TreatmentPlan.DoesNotExist:
        raise Http404("No such plan for this patient.") from None


@staff_required(*CLINICAL)
def plan_detail(request: HttpRequest, patient_id: int, plan_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    plan = _plan(patient, plan_id)
    practitioner = is_practitioner(request, patient)
    if request.method == "POST" and not practitioner:
        return forbidden(request, "role in this clinic")
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"patient_decision": plan.patient_decision},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.treatment_plan_decision_update(
                actor=actor(request),
                plan=plan,
                patient_decision=form.cleaned_data["patient_decision"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("assessment:plan", patient_id=patient.pk, plan_id=plan.pk)
    if request.method == "GET":
        audit_view(request, patient, plan, "treatment plan")
    screening = selectors.patient_screening(
        patient=patient,
        on_date=timezone.localdate(),
        assessment=plan.assessment,
        proposed=selectors.proposed_from_plan(plan),
    )
    context = {
        "patient": patient,
        "plan": plan,
        "goal_labels": [Goal(g).label for g in plan.goals],
        "medicines": [vocabulary_label("medical_options", m) for m in plan.medical_options],
        "ingredients": [vocabulary_label("ingredients", i) for i in plan.ingredients],
        "anaesthetic": vocabulary_label("anaesthetics", plan.anaesthetic)
        if plan.anaesthetic
        else "",
        "options": _labelled(plan.options_snapshot),
        "costs": _labelled(plan.costs_snapshot),
        "snapshot_flags": flags_from_dicts(plan.screening_snapshot),
        "panel": screening.panel,
        "form": form,
        "can_decide": practitioner,
    }
    return render(request, "assessment/plan.html", context)


@staff_required(*CLINICAL)
def screening_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    screening = selectors.patient_screening(patient=patient, on_date=timezone.localdate())
    overrides = selectors.screening_overrides_for_patient(patient=patient)
    audit_view(request, patient, None, "screening", overrides=[o.pk for o in overrides])
    context = {
        "patient": patient,
        "screening": screening,
        "panel": screening.panel,
        "lab_flags": screening.lab_flags,
        "overrides": overrides,
        "today": timezone.localdate(),
        "can_override": is_practitioner(request, patient)
        and any(f.severity == "block" for f in screening.panel.unresolved_blocks),
    }
    return render(request, "assessment/screening.html", context)


def _block_choices(patient: Patient) -> list[tuple[str, str]]:
    screening = selectors.patient_screening(patient=patient, on_date=timezone.localdate())
    return [
        (f"{flag.code}|{flag.ingredient or ''}", flag.message)
        for flag in screening.panel.unresolved_blocks
        if flag.severity == "block"
    ]


@staff_required(Role.PRACTITIONER)
def override_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not is_practitioner(request, patient):
        return forbidden(request, "role in this clinic")
    blocks = _block_choices(patient)
    form = OverrideForm(request.POST if request.method == "POST" else None, blocks=blocks)
    if request.method == "POST" and form.is_valid():
        flag_code, _, ingredient = form.cleaned_data["flag"].partition("|")
        try:
            services.screening_override_record(
                actor=actor(request),
                patient=patient,
                flag_code=flag_code,
                ingredient=ingredient,
                reason=form.cleaned_data["reason"],
                assessment=selectors.assessment_latest_for_patient(patient=patient, signed=True),
                plan=selectors.treatment_plan_latest_for_patient(patient=patient),
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Override recorded.")
            return redirect("assessment:screening", patient_id=patient.pk)
    if request.method == "GET":
        audit_view(request, patient, None, "screening override")
    return render(
        request, "assessment/override.html", {"patient": patient, "form": form, "blocks": blocks}
    )
