"""Assessments, plans and overrides made the way the clinic makes them: through the services."""

import datetime as dt
from typing import Any

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.assessment import services
from mesotrack.assessment.models import Assessment, AssessmentStatus, TreatmentPlan
from mesotrack.intake import services as intake_services
from mesotrack.intake.models import Intake
from mesotrack.patients.models import Patient, SexAtBirth
from tests.intake.conftest import full_answers


def assessment_data(**overrides: Any) -> dict[str, Any]:
    """A complete male pattern assessment, as the services take it."""
    data: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "diagnosis": "aga_male",
        "icd10_code": "L64.9",
        "stage_scale": "norwood",
        "stage_value": "III vertex",
        "pull_test_hairs_held": 60,
        "pull_test_hairs_out": 3,
        "hair_count_60s": 12,
        "trichoscopy_findings": ["diameter_diversity", "vellus_hairs"],
        "notes": "Crown thinning for three years.",
    }
    data.update(overrides)
    return data


def draft_assessment(patient: Patient, author: User, **overrides: Any) -> Assessment:
    return services.assessment_create(
        actor=author, patient=patient, data=assessment_data(**overrides)
    )


def signed_assessment(patient: Patient, practitioner: User, **overrides: Any) -> Assessment:
    draft = Assessment.objects.filter(patient=patient, status=AssessmentStatus.DRAFT).first()
    if draft is None:
        draft = draft_assessment(patient, practitioner, **overrides)
    elif overrides:
        draft = services.assessment_update(
            actor=practitioner, assessment=draft, data=assessment_data(**overrides)
        )
    return services.assessment_sign(actor=practitioner, assessment=draft)


def plan(assessment: Assessment, practitioner: User, **overrides: Any) -> TreatmentPlan:
    arguments: dict[str, Any] = {
        "chosen_modality": "mesotherapy",
        "patient_decision": "accepted",
        "goals": ["slow_loss"],
        "details": "Weekly ×4, then every 2 weeks ×2",
        "ingredients": ["biotin", "dexpanthenol"],
    }
    arguments.update(overrides)
    return services.treatment_plan_record(actor=practitioner, assessment=assessment, **arguments)


def signed_intake(patient: Patient, nurse: User, practitioner: User, **answers: Any) -> Intake:
    intake = intake_services.intake_start(actor=nurse, patient=patient)
    intake_services.intake_update(actor=nurse, intake=intake, answers=full_answers(**answers))
    return intake_services.intake_sign(actor=practitioner, intake=intake)


def make_pregnant(patient: Patient, nurse: User, practitioner: User) -> Intake:
    """A woman who is pregnant: screening blocks mesotherapy (clinical_rules.md §2.2)."""
    patient.sex_at_birth = SexAtBirth.FEMALE
    patient.date_of_birth = dt.date(1990, 5, 1)
    patient.save()
    reproductive = {
        "pregnant": True,
        "breastfeeding": False,
        "could_become_pregnant": True,
        "trying_to_conceive": False,
        "contraception": "",
    }
    return signed_intake(patient, nurse, practitioner, reproductive=reproductive)
