"""The assessment's contribution to the patient chart: the latest assessment and plan with the
screening panel, and timeline entries for assessments, addenda, plans and overrides.

Clinical roles only. A fixed number of queries whatever the length of the patient's history:
the section runs seven, the timeline four.
"""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.assessment import selectors
from mesotrack.assessment.models import (
    Assessment,
    AssessmentAddendum,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.assessment.presenters import assessment_summary
from mesotrack.assessment.services.roles import DRAFTING_ROLES
from mesotrack.patients.chart import Alert, ChartSection, TimelineEntry
from mesotrack.patients.models import Patient


def _role(patient: Patient, user: AnyUser) -> Any:
    return role_in_clinic(user, patient.clinic_id)


def assessment_chart_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    role = _role(patient, user)
    if role not in CLINICAL_ROLES:
        return None
    latest = selectors.assessment_latest_for_patient(patient=patient)
    signed = selectors.assessment_latest_for_patient(patient=patient, signed=True)
    plan = selectors.treatment_plan_latest_for_patient(patient=patient)
    screening = selectors.patient_screening_for(
        patient=patient,
        on_date=timezone.localdate(),
        assessment=signed,
        proposed=selectors.proposed_from_plan(plan),
    )
    panel = screening.panel
    alerts = []
    if panel.unresolved_blocks:
        count = len(panel.unresolved_blocks)
        alerts.append(
            Alert(
                "danger",
                f"Screening: {count} unresolved block{'s' if count > 1 else ''} for "
                f"{panel.proposed_label}",
            )
        )
    context = {
        "latest": latest,
        "signed": signed,
        "summary": assessment_summary(signed) if signed else None,
        "draft": latest if latest and not latest.is_signed else None,
        "plan": plan,
        "panel": panel,
        "can_draft": role in DRAFTING_ROLES,
    }
    return ChartSection(
        key="assessment",
        title="Assessment and plan",
        order=20,
        template="assessment/_chart_section.html",
        context=context,
        alerts=tuple(alerts),
    )


def _assessment_entries(patient: Patient, assessments: list[Assessment]) -> list[TimelineEntry]:
    entries = []
    for assessment in assessments:
        url = reverse("assessment:detail", args=[patient.pk, assessment.pk])
        entries.append(
            TimelineEntry(
                assessment.created_at,
                "assessment",
                "Assessment started",
                f"by {assessment.created_by}",
                url,
            )
        )
        if assessment.signed_at is not None:
            title = f"Assessment signed: {assessment.get_diagnosis_display()}"
            if assessment.stage_label:
                title += f", {assessment.stage_label}"
            entries.append(
                TimelineEntry(
                    assessment.signed_at, "assessment", title, f"by {assessment.signed_by}", url
                )
            )
    return entries


def _addendum_entries(patient: Patient, addenda: list[AssessmentAddendum]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            addendum.created_at,
            "assessment",
            f"Addendum to the assessment of {addendum.assessment.assessed_on:%d %b %Y}",
            f"by {addendum.author}",
            reverse("assessment:detail", args=[patient.pk, addendum.assessment_id]),
        )
        for addendum in addenda
    ]


def _plan_entries(patient: Patient, plans: list[TreatmentPlan]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            plan.decided_at,
            "plan",
            f"Plan: {plan.get_chosen_modality_display()} — {plan.get_patient_decision_display()}",
            f"recorded by {plan.recorded_by}",
            reverse("assessment:plan", args=[patient.pk, plan.pk]),
        )
        for plan in plans
    ]


def _override_entries(patient: Patient, overrides: list[ScreeningOverride]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            override.created_at,
            "screening",
            f"Screening block overridden: {override.flag_message or override.flag_code}",
            f"by {override.practitioner}, until {override.valid_until:%d %b %Y}",
            reverse("assessment:screening", args=[patient.pk]),
        )
        for override in overrides
    ]


def assessment_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    if _role(patient, user) not in CLINICAL_ROLES:
        return []
    addenda = selectors.addenda_for_patient(patient=patient)
    return [
        *_assessment_entries(patient, selectors.assessment_list_for_patient(patient=patient)),
        *_addendum_entries(patient, addenda),
        *_plan_entries(patient, selectors.treatment_plan_list_for_patient(patient=patient)),
        *_override_entries(patient, selectors.screening_overrides_for_patient(patient=patient)),
    ]
