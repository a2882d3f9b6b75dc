"""Writes of the assessment app (one module per kind of record)."""

from mesotrack.assessment.services.assessments import (
    assessment_addendum_add,
    assessment_create,
    assessment_sign,
    assessment_update,
)
from mesotrack.assessment.services.clinic_settings import (
    clinic_prices_set,
    clinic_screening_settings_set,
)
from mesotrack.assessment.services.plans import (
    screening_override_record,
    treatment_plan_decision_update,
    treatment_plan_record,
)

__all__ = [
    "assessment_addendum_add",
    "assessment_create",
    "assessment_sign",
    "assessment_update",
    "clinic_prices_set",
    "clinic_screening_settings_set",
    "screening_override_record",
    "treatment_plan_decision_update",
    "treatment_plan_record",
]
