"""Session charting's contribution to the patient chart: recent sessions with their totals, and
timeline entries for signed sessions. Clinical roles only; a fixed number of queries."""

from django.urls import reverse

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.charting.models import SessionStatus
from mesotrack.charting.selectors import sessions_for_patient
from mesotrack.patients.chart import (
    Alert,
    ChartSection,
    TimelineEntry,
    register_chart_section,
    register_timeline,
)
from mesotrack.patients.models import Patient

RECENT = 5


def _is_clinician(patient: Patient, user: AnyUser) -> bool:
    return role_in_clinic(user, patient.clinic_id) in CLINICAL_ROLES


def session_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    """The five latest sessions; an alert while one is in progress. One query."""
    if not _is_clinician(patient, user):
        return None
    recent = list(sessions_for_patient(patient=patient)[:RECENT])
    alerts = tuple(
        Alert("info", f"Session in progress: {s.get_status_display().lower()}")
        for s in recent
        if s.is_open
    )
    return ChartSection(
        key="sessions",
        title="Treatment sessions",
        order=60,
        template="charting/_chart_section.html",
        context={"sessions": recent},
        alerts=alerts,
    )


def session_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    """One entry per signed session. One query."""
    if not _is_clinician(patient, user):
        return []
    signed = sessions_for_patient(patient=patient).filter(status=SessionStatus.SIGNED)
    return [
        TimelineEntry(
            when=session.signed_at,
            kind="session",
            title=f"{session.get_modality_display()} session signed",
            detail=f"{getattr(session, 'total_ml', None) or 0} mL · pain {session.pain_nrs}/10",
            url=reverse("charting:session-detail", args=[patient.pk, session.pk]),
        )
        for session in signed
        if session.signed_at is not None
    ]


def register() -> None:
    """Registered from ChartingConfig.ready()."""
    register_chart_section(session_section)
    register_timeline(session_timeline)
