"""From the intake's ClinicalProfile to the screening engine's ScreeningProfile.

The intake records facts in its own rule-table codes (medical_history_conditions,
medication_classes, allergy_classes, lab_tests, hair_loss_patterns); the screening vocabulary
tables say which intake codes map to each screening code (columns intake_codes, intake_classes,
name_keywords, intake_allergy_classes, intake_patterns, lab_test), so the mapping is data.

Choices that keep screening on the safe side:
- An allergy to a class covers every ingredient of that class (an allergy to "vitamins" covers
  biotin, dexpanthenol and niacinamide); an amide anaesthetic allergy covers lidocaine and
  prilocaine.
- A woman whose pregnancy or breastfeeding answer is not recorded gets the condition
  pregnancy_status_unknown (a warning: ask), unless she is recorded as unable to become
  pregnant; "could become pregnant" not recorded counts as yes for anyone not male. An unrecorded
  "trying to conceive" counts as no: it only softens a dutasteride warning for men.
- A medicine in a class whose name matches no keyword maps to the class's fallback code
  (e.g. anticoagulant_other), so the class-level rules still fire.
- Hair-loss patterns (patches, a receding band with scarring) count only while no diagnosis is
  given: after assessment, the diagnosis decides.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mesotrack.intake.profile import AllergyFact, ClinicalProfile, LabValue, MedicationFact
from mesotrack.screening import tables
from mesotrack.screening.profile import LabReading, ScreeningProfile, Stage

NO_CONTRACEPTION = frozenset({"", "none", "no", "nil", "n/a", "na", "not applicable"})


@dataclass(frozen=True)
class TodayAnswers:
    """The day-of-session questions re-asked before a procedure."""

    pregnant: bool | None = None  # None: not asked today (the intake answer stands)
    new_medications: frozenset[str] = frozenset()  # screening codes (or intake class codes)
    active_scalp_infection: bool = False
    scalp_wound: bool = False
    fever: bool = False


def conditions_from_intake(
    condition_codes: Iterable[str], patterns: Iterable[str] = (), *, diagnosed: bool = False
) -> frozenset[str]:
    """Screening condition codes for intake condition codes (and patterns while undiagnosed)."""
    codes, shown = set(condition_codes), set(patterns) if not diagnosed else set()
    return frozenset(
        code
        for code, row in tables.conditions().items()
        if codes & set(row.intake_codes) or shown & set(row.intake_patterns)
    )


def medication_from_intake(medication_class: str, name: str = "") -> str | None:
    """The screening medicine code for one intake medicine (keyword first, then fallback)."""
    candidates = [
        (code, row)
        for code, row in tables.medications().items()
        if medication_class in row.intake_classes
    ]
    words = name.casefold()
    for code, row in candidates:
        if any(keyword in words for keyword in row.name_keywords):
            return code
    return next((code for code, row in candidates if not row.name_keywords), None)


def medications_from_intake(medications: Iterable[MedicationFact]) -> frozenset[str]:
    found = (medication_from_intake(m.medication_class, m.name) for m in medications)
    return frozenset(code for code in found if code)


def allergies_from_intake(allergies: Iterable[AllergyFact]) -> frozenset[str]:
    """Screening allergy codes (allergy table and ingredient codes) for intake allergies."""
    found: set[str] = set()
    for allergy in allergies:
        substance = allergy.substance.casefold()
        for code, row in tables.allergies().items():
            keyword_ok = not row.name_keywords or any(k in substance for k in row.name_keywords)
            if allergy.allergy_class in row.intake_classes and keyword_ok:
                found.add(code)
        for code, ingredient in tables.ingredients().items():
            named = bool(substance) and (
                ingredient.label.casefold().split(" (")[0] in substance
                or code.replace("_", " ") in substance
            )
            if allergy.allergy_class in ingredient.intake_allergy_classes or named:
                found.add(code)
    return frozenset(found)


def labs_from_intake(labs: Mapping[str, LabValue]) -> dict[str, LabReading]:
    """The latest value of each lab the screening reads, keyed by screening lab code."""
    by_test = {row.lab_test: code for code, row in tables.labs().items()}
    return {
        by_test[lab.test]: LabReading(value=float(lab.value), unit=lab.unit)
        for lab in labs.values()
        if lab.test in by_test
    }


def _new_medicines(codes: Iterable[str]) -> set[str]:
    found = set()
    for code in codes:
        if code in tables.medications():
            found.add(code)
        else:
            mapped = medication_from_intake(code)
            found.update([mapped] if mapped else [])
    return found


def _contraception(clinical: ClinicalProfile, medicines: set[str]) -> bool:
    written = clinical.contraception.strip().casefold() not in NO_CONTRACEPTION
    return written or "hormonal_contraception" in medicines


def screening_profile_from_clinical(
    clinical: ClinicalProfile,
    *,
    on_date: dt.date,
    diagnosis: str | None = None,
    stage: Stage | None = None,
    today: TodayAnswers | None = None,
    goals: frozenset[str] = frozenset(),
    transplant_date: dt.date | None = None,
    transplant_grafts: int | None = None,
    prior_treatment_responses: Mapping[str, str] | None = None,
) -> ScreeningProfile:
    """The screening profile of `clinical` on `on_date`, with today's answers if asked.

    `transplant_date`, `transplant_grafts` and `prior_treatment_responses` (intake treatment
    code → treatment_responses code) come from the intake's prior-treatment answers, which the
    ClinicalProfile does not carry; without them each prior treatment's response is "unknown".
    """
    today = today or TodayAnswers()
    not_male = clinical.sex_at_birth != "male"
    pregnant = today.pregnant if today.pregnant is not None else clinical.pregnant
    could_become_pregnant = (
        clinical.could_become_pregnant if clinical.could_become_pregnant is not None else not_male
    )
    conditions = set(
        conditions_from_intake(
            clinical.conditions,
            clinical.hair_loss_patterns,
            diagnosed=diagnosis not in {None, "other"},
        )
    )
    unanswered = pregnant is None or clinical.breastfeeding is None
    if not_male and unanswered and clinical.could_become_pregnant is not False:
        conditions.add("pregnancy_status_unknown")
    for name in ("active_scalp_infection", "scalp_wound", "fever"):
        if getattr(today, name):
            conditions.add(name)
    medicines = set(medications_from_intake(clinical.medications))
    medicines |= _new_medicines(today.new_medications)
    responses = prior_treatment_responses or {}
    return ScreeningProfile(
        sex_at_birth=clinical.sex_at_birth,
        age=clinical.age_on(on_date),
        weight_kg=float(clinical.weight_kg) if clinical.weight_kg is not None else None,
        pregnant=bool(pregnant),
        breastfeeding=bool(clinical.breastfeeding),
        could_become_pregnant=bool(could_become_pregnant),
        trying_to_conceive=bool(clinical.trying_to_conceive),
        conditions=frozenset(conditions),
        medications=frozenset(medicines),
        allergies=allergies_from_intake(clinical.allergies),
        diagnosis=diagnosis,
        stage=stage,
        transplant_date=transplant_date,
        transplant_grafts=transplant_grafts,
        labs=labs_from_intake(clinical.labs),
        prior_treatments={
            code: responses.get(code, "unknown") for code in sorted(clinical.prior_treatments)
        },
        goals=goals,
        contraception=_contraception(clinical, medicines),
        on_date=on_date,
    )
