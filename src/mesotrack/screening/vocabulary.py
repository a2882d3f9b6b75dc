"""Every code the screening API reads or answers with, with its label and source.

Served by GET /api/v1/vocabulary. Each list comes from a rule table under
src/mesotrack/rules/data/ (screening_conditions, screening_medications, screening_allergies +
ingredients, anaesthetics, diagnoses, screening_labs + lab_tests, treatment_goals,
staging_scales, screening_rules, medical_options, decision_rules, and the intake's
prior_treatments and treatment_responses), so the vocabulary and the engine can never disagree.
"""

from mesotrack.rules import load_table
from mesotrack.screening import tables
from mesotrack.screening.options import MODALITIES

Entry = dict[str, str]

MODALITY_LABELS = {
    "mesotherapy": "Mesotherapy",
    "prp": "Platelet-rich plasma (PRP)",
    "medical_therapy": "Medical therapy (minoxidil, finasteride, dutasteride)",
    "transplant_consultation": "Hair transplant consultation",
    "referral": "Referral to a dermatologist",
    "correct_deficiency": "Correct a deficiency first",
}
MODALITY_SOURCE = "clinical_rules.md §7 (decision rules); the decision_rules table"
SEVERITIES = {
    "block": "Hard stop: the session may not start unless a practitioner records an override "
    "with a reason.",
    "postpone": "Not today: reschedule once it has resolved. Stops the session like a block.",
    "warn": "Proceed with care: a relative contraindication or precaution.",
    "info": "Tell the patient or note it; no action needed before the session.",
}


def _entry(code: str, label: str, source: str, **extra: str) -> Entry:
    return {"code": code, "label": label, **extra, "source": source}


def _labs() -> list[Entry]:
    entries = []
    for code, row in tables.labs().items():
        test = tables.lab_test(code)
        canonical = test.canonical_unit if test and test.canonical_unit else ""
        accepted = (
            [spelling for unit in test.units for spelling in unit.spellings()] if test else []
        )
        entries.append(
            _entry(code, row.label, row.source, unit=canonical, accepted_units=", ".join(accepted))
        )
    return entries


def _scales() -> list[Entry]:
    return [
        _entry(
            code,
            row.label,
            row.source,
            diagnoses=", ".join(row.diagnoses),
            values="0–100 (SALT total, %)"
            if row.kind == "percent"
            else ", ".join(stage.value for stage in row.stages),
        )
        for code, row in tables.staging_scales().items()
    ]


def vocabulary() -> dict[str, list[dict[str, str]]]:
    """{"conditions": [{"code", "label", "source", ...}], "medications", "allergies", ...}."""
    return {
        "conditions": [
            _entry(code, row.label, row.source, group=row.group)
            for code, row in tables.conditions().items()
        ],
        "medications": [
            _entry(code, row.label, row.source, **{"class": row.medication_class})
            for code, row in tables.medications().items()
        ],
        "allergies": [
            *(_entry(code, row.label, row.source) for code, row in tables.allergies().items()),
            *(_entry(code, row.label, row.source) for code, row in tables.ingredients().items()),
        ],
        "ingredients": [
            _entry(code, row.label, row.source, group=row.group)
            for code, row in tables.ingredients().items()
        ],
        "anaesthetics": [
            _entry(code, row.label, row.source, agents=", ".join(row.agents))
            for code, row in tables.anaesthetics().items()
        ],
        "diagnoses": [
            _entry(code, row.label, row.source, icd10=row.icd10 or "")
            for code, row in tables.diagnoses().items()
        ],
        "labs": _labs(),
        "goals": [_entry(code, row.label, row.source) for code, row in tables.goals().items()],
        "scales": _scales(),
        "flags": [
            _entry(code, row.label, row.source, severity=row.severity)
            for code, row in tables.screening_rules().items()
        ],
        "severities": [
            _entry(code, text, "clinical_rules.md §8") for code, text in SEVERITIES.items()
        ],
        "modalities": [_entry(code, MODALITY_LABELS[code], MODALITY_SOURCE) for code in MODALITIES],
        "medical_options": [
            _entry(code, row.label, row.source) for code, row in tables.medical_options().items()
        ],
        "prior_treatments": [
            _entry(code, row.label, row.source) for code, row in tables.prior_treatments().items()
        ],
        "treatment_responses": [
            _entry(row.code, row.label, row.source) for row in load_table("treatment_responses")
        ],
        "sexes": [
            _entry("female", "Female", "Sex at birth, as recorded on the patient's record"),
            _entry("male", "Male", "Sex at birth, as recorded on the patient's record"),
        ],
    }
