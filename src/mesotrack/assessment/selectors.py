"""Reads of assessments, plans, overrides and clinic settings, and the patient's screening.

The patient always comes from a clinic-scoped selector first (`patient_get_for_clinician`), so
every read here is already limited to the user's clinics.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from mesotrack.accounts.models import Clinic, Role
from mesotrack.accounts.selectors import AnyUser, clinics_for
from mesotrack.assessment.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentStatus,
    ClinicPrice,
    ClinicScreeningSettings,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.assessment.panel import ScreeningPanel, build_panel
from mesotrack.assessment.profile import screening_profile
from mesotrack.intake.selectors import intake_latest_for_patient
from mesotrack.intake.selectors import patient_get_for_clinician as _clinician_patient
from mesotrack.patients.models import Patient
from mesotrack.screening.adapters import TodayAnswers
from mesotrack.screening.engine import Flag, ScreeningResult, screen
from mesotrack.screening.labs import LabThresholds, default_lab_thresholds, lab_flags
from mesotrack.screening.profile import ProposedTreatment, ScreeningProfile

DEFAULT_PROPOSED = ProposedTreatment(modality="mesotherapy")


def patient_get_for_clinician(*, user: AnyUser, patient_id: int) -> Patient:
    """A patient in a clinic where the user holds a clinical role; Patient.DoesNotExist if not."""
    return _clinician_patient(user=user, patient_id=patient_id)


def _assessments(patient: Patient) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(patient=patient)
        .select_related("created_by", "updated_by", "signed_by")
        .order_by("-assessed_on", "-id")
    )


def assessment_list_for_patient(*, patient: Patient) -> list[Assessment]:
    """Every assessment of the patient, newest first."""
    return list(_assessments(patient))


def assessment_get_for_patient(*, patient: Patient, assessment_id: int) -> Assessment:
    """One assessment of this patient; Assessment.DoesNotExist if it is not theirs."""
    return _assessments(patient).get(pk=assessment_id)


def assessment_draft_for_patient(*, patient: Patient) -> Assessment | None:
    return _assessments(patient).filter(status=AssessmentStatus.DRAFT).first()


def assessment_latest_for_patient(*, patient: Patient, signed: bool = False) -> Assessment | None:
    """The newest assessment (only signed ones if `signed`), or None."""
    assessments = _assessments(patient)
    if signed:
        assessments = assessments.filter(status=AssessmentStatus.SIGNED)
    return assessments.first()


def addenda_for_assessment(*, assessment: Assessment) -> list[AssessmentAddendum]:
    return list(assessment.addenda.select_related("author").order_by("created_at", "id"))


def addenda_for_patient(*, patient: Patient) -> list[AssessmentAddendum]:
    """Every addendum to any of the patient's assessments, oldest first."""
    return list(
        AssessmentAddendum.objects.filter(assessment__patient=patient)
        .select_related("author", "assessment")
        .order_by("created_at", "id")
    )


def _plans(patient: Patient) -> QuerySet[TreatmentPlan]:
    return (
        TreatmentPlan.objects.filter(patient=patient)
        .select_related("recorded_by", "assessment")
        .order_by("-decided_at", "-id")
    )


def treatment_plan_list_for_patient(*, patient: Patient) -> list[TreatmentPlan]:
    return list(_plans(patient))


def treatment_plan_get_for_patient(*, patient: Patient, plan_id: int) -> TreatmentPlan:
    """One plan of this patient; TreatmentPlan.DoesNotExist if it is not theirs."""
    return _plans(patient).get(pk=plan_id)


def treatment_plan_latest_for_patient(*, patient: Patient) -> TreatmentPlan | None:
    return _plans(patient).first()


def screening_overrides_for_patient(*, patient: Patient) -> list[ScreeningOverride]:
    """Every override ever recorded for the patient, newest first."""
    return list(
        ScreeningOverride.objects.filter(patient=patient)
        .select_related("practitioner")
        .order_by("-created_at", "-id")
    )


def screening_overrides_active(*, patient: Patient, on_date: dt.date) -> list[ScreeningOverride]:
    """Overrides in force on `on_date`: recorded on or before it and valid until it or later."""
    return list(
        ScreeningOverride.objects.filter(
            patient=patient, created_at__date__lte=on_date, valid_until__gte=on_date
        )
        .select_related("practitioner")
        .order_by("-created_at", "-id")
    )


def clinics_managed_by(user: AnyUser) -> list[Clinic]:
    return clinics_for(user, [Role.MANAGER])


def clinic_screening_settings(*, clinic_id: int) -> ClinicScreeningSettings | None:
    return ClinicScreeningSettings.objects.filter(clinic_id=clinic_id).first()


def lab_thresholds_from(settings: ClinicScreeningSettings | None) -> LabThresholds:
    defaults = default_lab_thresholds()
    return defaults.with_overrides(settings.lab_thresholds) if settings else defaults


def clinic_lab_thresholds(*, clinic_id: int) -> LabThresholds:
    """The clinic's lab thresholds: the rule table's defaults with the clinic's changes."""
    return lab_thresholds_from(clinic_screening_settings(clinic_id=clinic_id))


def clinic_price_list(*, clinic_id: int) -> dict[str, ClinicPrice]:
    """The clinic's prices by item code; items without a price are absent."""
    return {price.item: price for price in ClinicPrice.objects.filter(clinic_id=clinic_id)}


def proposed_from_plan(plan: TreatmentPlan | None) -> ProposedTreatment:
    """What a plan proposes to inject; mesotherapy with nothing chosen yet when there is none."""
    if plan is None or plan.chosen_modality not in ("mesotherapy", "prp"):
        return DEFAULT_PROPOSED
    return ProposedTreatment(
        modality=plan.chosen_modality,
        ingredients=tuple(plan.ingredients),
        anaesthetic=plan.anaesthetic or None,
    )


@dataclass(frozen=True)
class PatientScreening:
    profile: ScreeningProfile
    result: ScreeningResult
    lab_flags: tuple[Flag, ...]
    thresholds: LabThresholds
    proposed: ProposedTreatment
    panel: ScreeningPanel


def proposed_label(proposed: ProposedTreatment) -> str:
    parts = [proposed.modality.replace("_", " ")]
    if proposed.ingredients:
        parts.append("with " + ", ".join(i.replace("_", " ") for i in proposed.ingredients))
    if proposed.anaesthetic:
        parts.append("under " + proposed.anaesthetic.replace("_", " "))
    if not proposed.ingredients and proposed.modality == "mesotherapy":
        parts.append("(no ingredients chosen yet)")
    return " ".join(parts)


def patient_screening(
    *,
    patient: Patient,
    on_date: dt.date,
    assessment: Assessment | None = None,
    proposed: ProposedTreatment | None = None,
    goals: frozenset[str] = frozenset(),
    today: TodayAnswers | None = None,
) -> PatientScreening:
    """Screen the patient as things stand on `on_date`.

    Uses the given assessment (else the latest signed one) for diagnosis, stage and that day's
    scalp findings, and the given treatment (else the latest plan's). See
    `patient_screening_for`.
    """
    if assessment is None:
        assessment = assessment_latest_for_patient(patient=patient, signed=True)
    if proposed is None:
        proposed = proposed_from_plan(treatment_plan_latest_for_patient(patient=patient))
    return patient_screening_for(
        patient=patient,
        on_date=on_date,
        assessment=assessment,
        proposed=proposed,
        goals=goals,
        today=today,
    )


def patient_screening_for(
    *,
    patient: Patient,
    on_date: dt.date,
    assessment: Assessment | None,
    proposed: ProposedTreatment,
    goals: frozenset[str] = frozenset(),
    today: TodayAnswers | None = None,
) -> PatientScreening:
    """Screen `proposed` for the patient with exactly this assessment (None: no diagnosis yet),
    the latest intake, the clinic's lab thresholds and the overrides in force on `on_date`.

    Three queries, whatever the patient's history.
    """
    intake = intake_latest_for_patient(patient=patient)
    profile = screening_profile(
        patient, intake, assessment, on_date=on_date, goals=goals, today=today
    )
    thresholds = clinic_lab_thresholds(clinic_id=patient.clinic_id)
    result = screen(profile, proposed, lab_thresholds=thresholds)
    overrides = screening_overrides_active(patient=patient, on_date=on_date)
    return PatientScreening(
        profile=profile,
        result=result,
        lab_flags=tuple(lab_flags(profile.labs, profile.sex_at_birth, thresholds)),
        thresholds=thresholds,
        proposed=proposed,
        panel=build_panel(result.flags, overrides, proposed_label(proposed)),
    )


def screening_blocks_for_patient(
    patient: Patient,
    proposed: ProposedTreatment,
    on_date: dt.date,
    *,
    today: TodayAnswers | None = None,
) -> list[Flag]:
    """The flags that stop `proposed` from going ahead on `on_date`, after overrides.

    Session charting gates on this: an empty list means no block stands in the way. A `block`
    flag is resolved by a practitioner's override in force that day (same flag code, and the
    same ingredient unless the override names none). A `postpone` flag (infection, wound,
    fever) is never overridden: the session waits until the facts change. `today` carries the
    day-of-session answers (pregnancy re-asked, new medicines, scalp infection, wound, fever).
    """
    screening = patient_screening(patient=patient, on_date=on_date, proposed=proposed, today=today)
    return list(screening.panel.unresolved_blocks)
