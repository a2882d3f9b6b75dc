"""The intake's contribution to the patient chart: a summary section with alerts, and timeline
entries for versions started and signed. Clinical roles only; one query each."""

import datetime as dt
from typing import Any

from django.urls import reverse

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.intake.models import Intake
from mesotrack.intake.presenters import allergy_name, label
from mesotrack.intake.profile import ClinicalProfile, clinical_profile_from_intake
from mesotrack.intake.selectors import intake_latest_for_patient, intake_versions_for_patient
from mesotrack.patients.chart import Alert, ChartSection, TimelineEntry
from mesotrack.patients.models import Patient


def _is_clinician(patient: Patient, user: AnyUser) -> bool:
    return role_in_clinic(user, patient.clinic_id) in CLINICAL_ROLES


def intake_alerts(profile: ClinicalProfile) -> list[Alert]:
    """Allergies and pregnancy facts the whole team must see (lab flags are the assessment's)."""
    draft = "" if profile.intake_signed else " (draft intake, not yet signed)"
    alerts = []
    for allergy in profile.allergies:
        text = f"Allergy: {allergy_name(allergy.allergy_class, allergy.substance)}"
        if allergy.reaction:
            text += f" — {allergy.reaction}"
        alerts.append(Alert("danger", text + draft))
    if profile.pregnant:
        alerts.append(Alert("danger", "Pregnant, or might be" + draft))
    if profile.breastfeeding:
        alerts.append(Alert("danger", "Breastfeeding" + draft))
    if profile.could_become_pregnant and not profile.pregnant:
        alerts.append(Alert("warning", "Could become pregnant" + draft))
    if profile.trying_to_conceive:
        alerts.append(Alert("warning", "Trying to conceive" + draft))
    return alerts


def _month(iso_date: str | None) -> str:
    return dt.date.fromisoformat(iso_date).strftime("%b %Y") if iso_date else ""


def _summary(intake: Intake | None, profile: ClinicalProfile) -> dict[str, Any]:
    if intake is None:
        return {"intake": None}
    history = intake.answers.get("hair_loss_history") or {}
    return {
        "intake": intake,
        "patterns": [label("hair_loss_patterns", code) for code in profile.hair_loss_patterns],
        "onset": _month(history.get("onset_on")),
        "prior_treatments": [
            label("prior_treatments", c) for c in sorted(profile.prior_treatments)
        ],
        "conditions": [label("medical_history_conditions", c) for c in sorted(profile.conditions)],
        "medications": [m.name for m in profile.medications],
        "allergies": [allergy_name(a.allergy_class, a.substance) for a in profile.allergies],
        "no_known_allergies": profile.no_known_allergies,
    }


def intake_chart_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    if not _is_clinician(patient, user):
        return None
    intake = intake_latest_for_patient(patient=patient)
    profile = clinical_profile_from_intake(patient, intake)
    return ChartSection(
        key="intake",
        title="Intake",
        order=10,
        template="intake/_chart_section.html",
        context=_summary(intake, profile),
        alerts=tuple(intake_alerts(profile)),
    )


def intake_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    if not _is_clinician(patient, user):
        return []
    entries = []
    for intake in intake_versions_for_patient(patient=patient):
        url = reverse("intake:version", args=[patient.pk, intake.version])
        entries.append(
            TimelineEntry(
                intake.created_at,
                "intake",
                f"Intake v{intake.version} started",
                f"by {intake.created_by}",
                url,
            )
        )
        if intake.signed_at is not None:
            entries.append(
                TimelineEntry(
                    intake.signed_at,
                    "intake",
                    f"Intake v{intake.version} signed",
                    f"by {intake.signed_by}",
                    url,
                )
            )
    return entries
