"""Intake answers turned into labelled rows for the pages and the chart (display only)."""

from dataclasses import dataclass, field
from typing import Any

from mesotrack.intake.answers import (
    FAMILY_HISTORY,
    ONSET_SPEEDS,
    SHEDDING_LEVELS,
    IntakeAnswers,
    read_stored_answers,
)
from mesotrack.rules import load_table

YES_NO = {True: "Yes", False: "No"}
REPRODUCTIVE_QUESTIONS = (
    ("pregnant", "Pregnant, or might be"),
    ("breastfeeding", "Breastfeeding"),
    ("could_become_pregnant", "Could become pregnant"),
    ("trying_to_conceive", "Trying to conceive (patient or partner)"),
)


@dataclass
class IntakeDisplay:
    history: list[tuple[str, str]] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    prior_treatments: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    medical_notes: str = ""
    medications: list[dict[str, Any]] = field(default_factory=list)
    no_known_allergies: bool = False
    allergies: list[dict[str, Any]] = field(default_factory=list)
    reproductive: list[tuple[str, str]] = field(default_factory=list)
    weight_kg: str = ""
    labs: list[dict[str, Any]] = field(default_factory=list)


def label(table: str, code: str) -> str:
    return load_table(table).label(code)


def lower_first(text: str) -> str:
    """'Amide local anaesthetics' -> 'amide local anaesthetics'; 'NSAID' stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def allergy_name(allergy_class: str, substance: str) -> str:
    """'amide local anaesthetics (lidocaine)'; an allergy of another kind is just its substance."""
    if allergy_class == "other" and substance:
        return substance
    name = lower_first(label("allergy_classes", allergy_class))
    return f"{name} ({substance})" if substance else name


def _history(answers: IntakeAnswers) -> list[tuple[str, str]]:
    history = answers.hair_loss_history
    rows = [
        ("Started", history.onset_on.strftime("%b %Y") if history.onset_on else ""),
        ("Came on", ONSET_SPEEDS.get(history.onset_speed, "")),
        ("Duration", f"{history.duration_months} months" if history.duration_months else ""),
        ("Shedding", SHEDDING_LEVELS.get(history.shedding, "")),
        ("Family history", FAMILY_HISTORY.get(history.family_history, "")),
        ("Family details", history.family_history_notes),
        ("About the triggers", history.trigger_notes),
        ("Notes", history.notes),
    ]
    return [(name, value) for name, value in rows if value]


def _treatments(answers: IntakeAnswers) -> list[dict[str, Any]]:
    return [
        {
            "treatment": label("prior_treatments", t.treatment),
            "started_on": t.started_on,
            "stopped_on": t.stopped_on,
            "response": label("treatment_responses", t.response) if t.response else "",
            "graft_count": t.graft_count,
            "details": t.details,
        }
        for t in answers.prior_treatments
    ]


def _labs(answers: IntakeAnswers) -> list[dict[str, Any]]:
    return [
        {
            "test": lab.name or label("lab_tests", lab.test),
            "entered": f"{lab.value} {lab.unit}",
            "canonical": (
                f"{lab.canonical_value} {lab.canonical_unit}"
                if lab.canonical_unit and lab.canonical_unit != lab.unit
                else ""
            ),
            "taken_on": lab.taken_on,
        }
        for lab in sorted(answers.labs, key=lambda lab: lab.taken_on, reverse=True)
    ]


def intake_display(stored: dict[str, Any]) -> IntakeDisplay:
    answers = read_stored_answers(stored)
    reproductive = answers.reproductive
    recorded = [
        (question, YES_NO[value])
        for name, question in REPRODUCTIVE_QUESTIONS
        if (value := getattr(reproductive, name)) is not None
    ]
    if reproductive.contraception:
        recorded.append(("Contraception", reproductive.contraception))
    return IntakeDisplay(
        history=_history(answers),
        patterns=[label("hair_loss_patterns", c) for c in answers.hair_loss_history.patterns],
        triggers=[label("hair_loss_triggers", c) for c in answers.hair_loss_history.triggers],
        prior_treatments=_treatments(answers),
        conditions=[
            label("medical_history_conditions", c) for c in answers.medical_history.conditions
        ],
        medical_notes=answers.medical_history.notes,
        medications=[
            {
                "name": m.name,
                "class": label("medication_classes", m.medication_class),
                "dose": m.dose,
                "since": m.since,
            }
            for m in answers.medications
        ],
        no_known_allergies=answers.no_known_allergies,
        allergies=[
            {"name": allergy_name(a.allergy_class, a.substance), "reaction": a.reaction}
            for a in answers.allergies
        ],
        reproductive=recorded,
        weight_kg=f"{answers.weight_kg} kg" if answers.weight_kg is not None else "",
        labs=_labs(answers),
    )


def lab_unit_hints() -> list[tuple[str, str]]:
    """Each test with the units it accepts, canonical first, for the lab section's help."""
    hints = []
    for row in load_table("lab_tests"):
        units = getattr(row, "units", ())
        if units:
            hints.append((row.label, ", ".join(unit.unit for unit in units)))
    return hints


def lab_unit_spellings() -> list[str]:
    return sorted(
        {unit.unit for row in load_table("lab_tests") for unit in getattr(row, "units", ())}
    )
