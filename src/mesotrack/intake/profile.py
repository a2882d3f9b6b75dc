"""The typed current clinical picture of a patient, as later screening reads it.

Built from the patient's latest intake version (draft or signed; `intake_signed` says which), so a
newly declared allergy counts before a practitioner has signed it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from mesotrack.intake.answers import read_stored_answers
from mesotrack.intake.models import Intake, IntakeStatus
from mesotrack.patients.models import Patient


@dataclass(frozen=True)
class LabValue:
    test: str  # code in the lab_tests rule table
    value: Decimal  # in `unit`, the table's canonical unit (as written for test "other")
    unit: str
    taken_on: dt.date
    entered_value: Decimal
    entered_unit: str
    name: str = ""  # the report's own name, for test "other"


@dataclass(frozen=True)
class AllergyFact:
    allergy_class: str  # code in the allergy_classes rule table
    substance: str
    reaction: str


@dataclass(frozen=True)
class MedicationFact:
    name: str
    medication_class: str  # code in the medication_classes rule table
    dose: str
    since: dt.date | None


@dataclass(frozen=True)
class ClinicalProfile:
    patient_id: int
    sex_at_birth: str
    date_of_birth: dt.date
    intake_id: int | None = None
    intake_version: int | None = None
    intake_signed: bool = False
    intake_signed_at: dt.datetime | None = None
    conditions: frozenset[str] = frozenset()
    medication_classes: frozenset[str] = frozenset()
    medications: tuple[MedicationFact, ...] = ()
    allergy_classes: frozenset[str] = frozenset()
    allergies: tuple[AllergyFact, ...] = ()
    no_known_allergies: bool = False
    # None: not recorded. Screening must treat None as "ask", never as "no".
    pregnant: bool | None = None
    breastfeeding: bool | None = None
    could_become_pregnant: bool | None = None
    trying_to_conceive: bool | None = None
    contraception: str = ""
    weight_kg: Decimal | None = None
    labs: dict[str, LabValue] = field(default_factory=dict)  # latest value per test code
    prior_treatments: frozenset[str] = frozenset()
    hair_loss_patterns: tuple[str, ...] = ()

    @property
    def has_intake(self) -> bool:
        return self.intake_id is not None

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


def _latest_labs(answers_labs: list[LabValue]) -> dict[str, LabValue]:
    latest: dict[str, LabValue] = {}
    for lab in sorted(answers_labs, key=lambda lab: lab.taken_on):
        key = lab.test if lab.test != "other" else f"other:{lab.name.casefold()}"
        latest[key] = lab
    return latest


def clinical_profile_from_intake(patient: Patient, intake: Intake | None) -> ClinicalProfile:
    """The profile for `patient` from an already-loaded intake (no queries)."""
    base = ClinicalProfile(
        patient_id=patient.pk,
        sex_at_birth=patient.sex_at_birth,
        date_of_birth=patient.date_of_birth,
    )
    if intake is None:
        return base
    answers = read_stored_answers(intake.answers)
    labs = [
        LabValue(
            test=lab.test,
            value=lab.canonical_value if lab.canonical_value is not None else lab.value,
            unit=lab.canonical_unit or lab.unit,
            taken_on=lab.taken_on,
            entered_value=lab.value,
            entered_unit=lab.unit,
            name=lab.name,
        )
        for lab in answers.labs
    ]
    reproductive = answers.reproductive
    return ClinicalProfile(
        patient_id=patient.pk,
        sex_at_birth=patient.sex_at_birth,
        date_of_birth=patient.date_of_birth,
        intake_id=intake.pk,
        intake_version=intake.version,
        intake_signed=intake.status == IntakeStatus.SIGNED,
        intake_signed_at=intake.signed_at,
        conditions=frozenset(answers.medical_history.conditions),
        medication_classes=frozenset(m.medication_class for m in answers.medications),
        medications=tuple(
            MedicationFact(m.name, m.medication_class, m.dose, m.since) for m in answers.medications
        ),
        allergy_classes=frozenset(a.allergy_class for a in answers.allergies),
        allergies=tuple(
            AllergyFact(a.allergy_class, a.substance, a.reaction) for a in answers.allergies
        ),
        no_known_allergies=answers.no_known_allergies,
        pregnant=reproductive.pregnant,
        breastfeeding=reproductive.breastfeeding,
        could_become_pregnant=reproductive.could_become_pregnant,
        trying_to_conceive=reproductive.trying_to_conceive,
        contraception=reproductive.contraception,
        weight_kg=answers.weight_kg,
        labs=_latest_labs(labs),
        prior_treatments=frozenset(t.treatment for t in answers.prior_treatments),
        hair_loss_patterns=tuple(answers.hair_loss_history.patterns),
    )
