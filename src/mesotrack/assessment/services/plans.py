"""Writes of treatment plans and screening overrides. Practitioners of the patient's clinic
only; atomic and audited."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.assessment.codes import Goal, Modality, PatientDecision
from mesotrack.assessment.costs import comparisons_to_dicts
from mesotrack.assessment.decision import decision_aid
from mesotrack.assessment.models import (
    Assessment,
    AssessmentStatus,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.assessment.panel import flags_to_dicts, override_for
from mesotrack.assessment.selectors import (
    clinic_screening_settings,
    patient_screening,
    screening_overrides_active,
)
from mesotrack.assessment.services.roles import require_role
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.patients.models import Patient
from mesotrack.screening.profile import ProposedTreatment
from mesotrack.screening.vocabulary import vocabulary

REASON_MIN_LENGTH = 10
INJECTED = ("mesotherapy", "prp")


def _require_practitioner(actor: User, patient: Patient, doing: str) -> None:
    require_role(actor, patient.clinic_id, [Role.PRACTITIONER], f"Only a practitioner can {doing}.")


def _codes(section: str) -> set[str]:
    return {entry["code"] for entry in vocabulary().get(section, [])}


def _check_choices(
    modality: str,
    goals: Iterable[str],
    ingredients: Iterable[str],
    anaesthetic: str,
    medical_options: Iterable[str],
) -> None:
    if modality not in Modality.values:
        raise DomainError(
            "Choose the treatment the patient is deciding on.", field="chosen_modality"
        )
    if set(goals) - set(Goal.values):
        raise DomainError("Choose goals from the list.", field="goals")
    if set(ingredients) - _codes("ingredients"):
        raise DomainError("Choose ingredients from the list.", field="ingredients")
    if anaesthetic and anaesthetic not in _codes("anaesthetics"):
        raise DomainError("Choose an anaesthetic from the list.", field="anaesthetic")
    if (ingredients or anaesthetic) and modality not in INJECTED:
        raise DomainError(
            "Ingredients and anaesthetic apply to mesotherapy or PRP only.", field="ingredients"
        )
    if set(medical_options) - _codes("medical_options"):
        raise DomainError("Choose medicines from the list.", field="medical_options")
    if medical_options and modality != Modality.MEDICAL_THERAPY:
        raise DomainError("Medicines apply to medical therapy only.", field="medical_options")


@transaction.atomic
def treatment_plan_record(
    *,
    actor: User,
    assessment: Assessment,
    chosen_modality: str,
    patient_decision: str,
    goals: Iterable[str] = (),
    details: str = "",
    ingredients: Iterable[str] = (),
    anaesthetic: str = "",
    medical_options: Iterable[str] = (),
) -> TreatmentPlan:
    """Record the chosen treatment and the patient's decision, with a snapshot of the options,
    the screening of the chosen treatment and the costs the decision aid showed."""
    patient = assessment.patient
    _require_practitioner(actor, patient, "record a treatment plan")
    if assessment.status != AssessmentStatus.SIGNED:
        raise DomainError("Sign the assessment before recording a plan.", code="draft")
    goals, ingredients = sorted(set(goals)), sorted(set(ingredients))
    medical_options = sorted(set(medical_options))
    _check_choices(chosen_modality, goals, ingredients, anaesthetic, medical_options)
    if patient_decision not in PatientDecision.values:
        raise DomainError("Record what the patient decided.", field="patient_decision")
    proposed = None
    if chosen_modality in INJECTED:
        proposed = ProposedTreatment(chosen_modality, tuple(ingredients), anaesthetic or None)
    aid = decision_aid(
        assessment=assessment,
        goals=frozenset(goals),
        on_date=timezone.localdate(),
        proposed=proposed,
    )
    now = timezone.now()
    plan = TreatmentPlan(
        patient=patient,
        assessment=assessment,
        chosen_modality=chosen_modality,
        medical_options=medical_options,
        ingredients=ingredients,
        anaesthetic=anaesthetic,
        details=(details or "").strip(),
        goals=goals,
        options_snapshot=aid.options_as_dicts(),
        screening_snapshot=flags_to_dicts(aid.screening.result.flags),
        costs_snapshot=comparisons_to_dicts(aid.costs),
        patient_decision=patient_decision,
        decided_at=now,
        decision_history=[_history_entry(patient_decision, now, actor)],
        recorded_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=plan,
        detail={"modality": chosen_modality, "decision": patient_decision, "goals": goals},
    )
    return plan


def _history_entry(decision: str, when: dt.datetime, actor: User) -> dict[str, str]:
    return {"decision": decision, "at": when.isoformat(), "by": actor.get_username()}


@transaction.atomic
def treatment_plan_decision_update(
    *, actor: User, plan: TreatmentPlan, patient_decision: str
) -> TreatmentPlan:
    """Record a new decision on the plan (e.g. after thinking it over); the history is kept."""
    _require_practitioner(actor, plan.patient, "record the patient's decision")
    if patient_decision not in PatientDecision.values:
        raise DomainError("Record what the patient decided.", field="patient_decision")
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.patient_decision == patient_decision:
        return plan
    previous = plan.patient_decision
    now = timezone.now()
    plan.patient_decision = patient_decision
    plan.decided_at = now
    plan.decision_history = [*plan.decision_history, _history_entry(patient_decision, now, actor)]
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=plan.patient,
        obj=plan,
        detail={"decision": patient_decision, "previous": previous},
    )
    return plan


@transaction.atomic
def screening_override_record(
    *,
    actor: User,
    patient: Patient,
    flag_code: str,
    reason: str,
    ingredient: str = "",
    proposed: ProposedTreatment | None = None,
    assessment: Assessment | None = None,
    plan: TreatmentPlan | None = None,
    on_date: dt.date | None = None,
) -> ScreeningOverride:
    """Let treatment go ahead despite a block, for a reason a practitioner gives.

    The block must stand for the patient today (for `proposed`, else the latest plan's
    treatment). The override lasts until the clinic's validity period ends. Postpone flags
    cannot be overridden: the facts must change first.
    """
    _require_practitioner(actor, patient, "override a screening block")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError(
            "Give the reason for going ahead despite this block "
            f"(at least {REASON_MIN_LENGTH} characters).",
            field="reason",
        )
    on_date = on_date or timezone.localdate()
    screening = patient_screening(patient=patient, on_date=on_date, proposed=proposed)
    flag = next(
        (
            f
            for f in screening.result.flags
            if f.severity == "block" and f.code == flag_code and (f.ingredient or "") == ingredient
        ),
        None,
    )
    if flag is None:
        raise DomainError(
            "There is no such block to override for this patient today.", field="flag"
        )
    existing = override_for(flag, screening_overrides_active(patient=patient, on_date=on_date))
    if existing is not None:
        raise DomainError(
            f"This block is already overridden until {existing.valid_until:%d %b %Y}.",
            field="flag",
        )
    settings = clinic_screening_settings(clinic_id=patient.clinic_id)
    valid_days = settings.override_valid_days if settings else 0
    override = ScreeningOverride(
        patient=patient,
        flag_code=flag.code,
        ingredient=flag.ingredient or "",
        flag_message=flag.message,
        reason=reason,
        practitioner=actor,
        valid_until=on_date + dt.timedelta(days=valid_days),
        assessment=assessment,
        plan=plan,
    )
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=override,
        detail={
            "flag_code": flag.code,
            "ingredient": flag.ingredient or "",
            "reason": reason,
            "valid_until": override.valid_until.isoformat(),
        },
    )
    return override
