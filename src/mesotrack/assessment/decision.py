"""The decision aid: the ranked options for an assessed patient, with rationale, sources and the
clinic's own costs, from the diagnosis, stage, history, screening and the patient's goals."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from mesotrack.assessment.codes import Modality, vocabulary_label
from mesotrack.assessment.costs import CostComparison, Price, cost_comparison
from mesotrack.assessment.models import Assessment
from mesotrack.assessment.profile import TreatmentHistory, treatment_history
from mesotrack.assessment.selectors import (
    DEFAULT_PROPOSED,
    PatientScreening,
    clinic_price_list,
    patient_screening,
)
from mesotrack.intake.selectors import intake_latest_for_patient
from mesotrack.screening.options import TreatmentOption, rank_options
from mesotrack.screening.profile import ProposedTreatment


@dataclass(frozen=True)
class OptionRow:
    option: TreatmentOption
    label: str
    costs: CostComparison

    @property
    def medicines(self) -> list[str]:
        return [vocabulary_label("medical_options", m) for m in self.option.medical_options]


@dataclass(frozen=True)
class DecisionAid:
    assessment: Assessment
    goals: frozenset[str]
    screening: PatientScreening
    history: TreatmentHistory
    options: tuple[TreatmentOption, ...]
    costs: tuple[CostComparison, ...]

    @property
    def rows(self) -> list[OptionRow]:
        return [
            OptionRow(option, Modality(option.modality).label, costs)
            for option, costs in zip(self.options, self.costs, strict=True)
        ]

    def options_as_dicts(self) -> list[dict[str, Any]]:
        return [dataclasses.asdict(option) for option in self.options]


def decision_aid(
    *,
    assessment: Assessment,
    goals: frozenset[str],
    on_date: dt.date,
    proposed: ProposedTreatment | None = None,
) -> DecisionAid:
    """Rank the options for the patient of `assessment`; costs from their clinic's price list."""
    patient = assessment.patient
    screening = patient_screening(
        patient=patient,
        on_date=on_date,
        assessment=assessment,
        proposed=proposed or DEFAULT_PROPOSED,
        goals=goals,
    )
    options = tuple(sorted(rank_options(screening.profile, screening.result), key=lambda o: o.rank))
    prices = {
        item: Price(price.amount, price.currency)
        for item, price in clinic_price_list(clinic_id=patient.clinic_id).items()
    }
    return DecisionAid(
        assessment=assessment,
        goals=goals,
        screening=screening,
        history=treatment_history(intake_latest_for_patient(patient=patient)),
        options=options,
        costs=tuple(cost_comparison(options, prices)),
    )
