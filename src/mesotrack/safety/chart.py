"""The adverse-event section, alerts and timeline entries of the patient chart.

One query each for the section and the timeline, whatever the length of the history.
"""

from django.urls import reverse

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.patients.chart import Alert, ChartSection, TimelineEntry
from mesotrack.patients.models import Patient
from mesotrack.safety.models import AdverseEvent

SECTION_ORDER = 45
SHOWN = 5


def _events(patient: Patient) -> list[AdverseEvent]:
    return list(AdverseEvent.objects.filter(patient=patient).select_related("reviewed_by"))


def safety_chart_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    """Recent adverse events for clinical staff; an alert for anyone while one blocks sessions."""
    role = role_in_clinic(user, patient.clinic_id)
    if role is None:
        return None
    events = _events(patient)
    blocking = [event for event in events if event.is_blocking]
    alerts = tuple(
        Alert(
            "danger",
            f"Unreviewed {event.term_label} (grade {event.grade}"
            f"{', serious' if event.is_serious else ''}): no session until a practitioner "
            "reviews it",
        )
        for event in blocking
    )
    if role not in CLINICAL_ROLES:
        return ChartSection(
            "safety", "Adverse events", SECTION_ORDER, "safety/_empty.html", {}, alerts
        )
    return ChartSection(
        key="safety",
        title="Adverse events",
        order=SECTION_ORDER,
        template="safety/_chart_section.html",
        context={"events": events[:SHOWN], "count": len(events), "blocking": len(blocking)},
        alerts=alerts,
    )


def safety_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    """Each adverse event at its onset, and each review."""
    if role_in_clinic(user, patient.clinic_id) not in CLINICAL_ROLES:
        return []
    entries = []
    for event in _events(patient):
        url = reverse("safety:event-detail", args=[patient.pk, event.pk])
        entries.append(
            TimelineEntry(
                event.onset_at,
                "adverse-event",
                f"Adverse event: {event.term_label} (grade {event.grade})",
                "Serious" if event.is_serious else event.get_causality_display() + " causality",
                url,
            )
        )
        if event.reviewed_at:
            reviewer = event.reviewed_by.get_full_name() if event.reviewed_by else ""
            entries.append(
                TimelineEntry(
                    event.reviewed_at,
                    "adverse-event-review",
                    f"Adverse event reviewed: {event.term_label}",
                    f"By {reviewer}",
                    url,
                )
            )
    return entries
