"""The screening profile of a patient as the assessment sees it: the intake's clinical picture,
the assessment's diagnosis, stage and scalp findings, the transplant and treatment history, and
the patient's goals.

No queries here: callers hand in the intake and assessment they already loaded.
"""

import datetime as dt
from dataclasses import dataclass

from mesotrack.assessment.codes import Diagnosis
from mesotrack.assessment.models import Assessment
from mesotrack.intake.answers import read_stored_answers
from mesotrack.intake.models import Intake
from mesotrack.intake.profile import ClinicalProfile, clinical_profile_from_intake
from mesotrack.patients.models import Patient
from mesotrack.screening.adapters import TodayAnswers, screening_profile_from_clinical
from mesotrack.screening.profile import ScreeningProfile, Stage

# The intake code of a transplant among prior treatments (rule table prior_treatments).
TRANSPLANT = "hair_transplant"


@dataclass(frozen=True)
class TreatmentHistory:
    transplant_date: dt.date | None
    transplant_grafts: int | None
    responses: dict[str, str]  # intake treatment code -> response code ("" when not given)


def treatment_history(intake: Intake | None) -> TreatmentHistory:
    """The latest transplant and how each earlier treatment went, from the intake answers."""
    if intake is None:
        return TreatmentHistory(None, None, {})
    treatments = read_stored_answers(intake.answers).prior_treatments
    responses = {t.treatment: t.response for t in treatments}
    transplants = sorted(
        (t for t in treatments if t.treatment == TRANSPLANT and t.started_on),
        key=lambda t: t.started_on or dt.date.min,
    )
    latest = transplants[-1] if transplants else None
    return TreatmentHistory(
        latest.started_on if latest else None, latest.graft_count if latest else None, responses
    )


def stage_of(assessment: Assessment | None) -> Stage | None:
    if assessment is None or not assessment.stage_scale or not assessment.stage_value:
        return None
    return Stage(scale=assessment.stage_scale, value=assessment.stage_value)


def diagnosis_of(assessment: Assessment | None) -> str | None:
    # "Other" is not a screening diagnosis: the engine then treats the loss as not yet diagnosed.
    if assessment is None or assessment.diagnosis in ("", Diagnosis.OTHER):
        return None
    return assessment.diagnosis


def today_from(assessment: Assessment | None, on_date: dt.date) -> TodayAnswers | None:
    """Scalp findings count as today's facts only on the day they were seen."""
    if assessment is None or assessment.assessed_on != on_date:
        return None
    return TodayAnswers(
        active_scalp_infection=assessment.scalp_infection, scalp_wound=assessment.scalp_wound
    )


def screening_profile(
    patient: Patient,
    intake: Intake | None,
    assessment: Assessment | None,
    *,
    on_date: dt.date,
    goals: frozenset[str] = frozenset(),
    today: TodayAnswers | None = None,
    clinical: ClinicalProfile | None = None,
) -> ScreeningProfile:
    """`today` (the day-of-session answers) wins over the assessment's scalp findings."""
    clinical = clinical or clinical_profile_from_intake(patient, intake)
    history = treatment_history(intake)
    return screening_profile_from_clinical(
        clinical,
        on_date=on_date,
        diagnosis=diagnosis_of(assessment),
        stage=stage_of(assessment),
        today=today or today_from(assessment, on_date),
        goals=goals,
        transplant_date=history.transplant_date,
        transplant_grafts=history.transplant_grafts,
        prior_treatment_responses={code: r for code, r in history.responses.items() if r},
    )
