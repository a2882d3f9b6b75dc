"""What the templates show of an assessment: its facts in words, and the stage pickers."""

from dataclasses import dataclass
from typing import Any

from django import forms

from mesotrack.assessment.codes import Diagnosis, TelogenCourse, TrichoscopyFinding, icd10_label
from mesotrack.assessment.forms import ASFS_FIELDS
from mesotrack.assessment.measures import scale_name
from mesotrack.assessment.models import Assessment
from mesotrack.assessment.stages import (
    SALT_DRAWING,
    pickers,
    salt_regions,
    scales_by_diagnosis,
    stage_drawing,
)


@dataclass(frozen=True)
class AssessmentSummary:
    facts: list[tuple[str, str]]
    stage_drawing: str | None
    stage_text: str


def _pull_test(assessment: Assessment) -> str:
    if assessment.pull_test_hairs_held is None:
        return ""
    result = "positive" if assessment.pull_test_positive else "negative"
    return (
        f"{assessment.pull_test_hairs_out} of {assessment.pull_test_hairs_held} hairs came out: "
        f"{result}"
    )


def _stage_text(assessment: Assessment) -> str:
    if not assessment.stage_scale:
        return ""
    if assessment.stage_scale == "salt":
        loss = ", ".join(f"{region} {value:g} %" for region, value in assessment.salt_loss.items())
        return f"SALT {assessment.salt_total} ({assessment.salt_class}); loss by region: {loss}"
    return f"{scale_name(assessment.stage_scale)} {assessment.stage_value}"


def _scalp(assessment: Assessment) -> str:
    findings = [
        label
        for flag, label in [
            (assessment.scalp_inflammation, "inflammation"),
            (assessment.scalp_infection, "infection"),
            (assessment.scalp_wound, "wound"),
            (assessment.seborrhoeic_dermatitis, "seborrhoeic dermatitis or dandruff"),
        ]
        if flag
    ]
    text = ", ".join(findings).capitalize() if findings else "No inflammation, infection or wound"
    if assessment.asfs_total is not None:
        text += f"; ASFS {assessment.asfs_total} of 80"
    return text


def _diagnosis(assessment: Assessment) -> str:
    if not assessment.diagnosis:
        return ""
    text = Diagnosis(assessment.diagnosis).label
    if assessment.telogen_course:
        text += f", {TelogenCourse(assessment.telogen_course).label.lower()}"
    if assessment.icd10_code:
        text += f" — {assessment.icd10_code} {icd10_label(assessment.icd10_code)}"
    return text


def assessment_summary(assessment: Assessment) -> AssessmentSummary:
    trichoscopy = [TrichoscopyFinding(code).label for code in assessment.trichoscopy_findings]
    notes = [assessment.diagnosis_notes, assessment.scalp_notes, assessment.notes]
    wash = ""
    if assessment.wash_test_total is not None:
        wash = f"{assessment.wash_test_total} hairs"
        if assessment.wash_test_short_percent is not None:
            wash += f", {assessment.wash_test_short_percent} % short"
    rows = [
        ("Diagnosis", _diagnosis(assessment)),
        ("Stage", _stage_text(assessment)),
        ("Pull test", _pull_test(assessment)),
        (
            "60-second hair count",
            "" if assessment.hair_count_60s is None else str(assessment.hair_count_60s),
        ),
        ("Wash test", wash),
        ("Scalp", _scalp(assessment)),
        ("Trichoscopy", "; ".join(t for t in [*trichoscopy, assessment.trichoscopy_notes] if t)),
        ("Notes", "\n".join(t for t in notes if t)),
    ]
    facts = [(label, value.strip("; \n")) for label, value in rows if value.strip("; \n")]
    return AssessmentSummary(
        facts=facts,
        stage_drawing=stage_drawing(assessment.stage_scale, assessment.stage_value),
        stage_text=_stage_text(assessment),
    )


def picker_context(form: forms.Form) -> dict[str, Any]:
    """The stage pickers, SALT regions and ASFS octants, with the fields that go in each."""
    selected = form["stage"].value() or ""
    return {
        "pickers": pickers(),
        "selected_stage": selected,
        "scales_by_diagnosis": scales_by_diagnosis(),
        "salt_drawing": SALT_DRAWING,
        "salt_fields": [
            (form[f"salt_{region}"], label, weight) for region, label, weight in salt_regions()
        ],
        "asfs_fields": [form[name] for name in ASFS_FIELDS],
    }
