"""The consent section, alert and timeline entries of the patient chart."""

from django.urls import reverse

from mesotrack.accounts.selectors import AnyUser
from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_list_for_patient, consent_status_for_patient
from mesotrack.patients.chart import Alert, ChartSection, TimelineEntry
from mesotrack.patients.models import Patient

SECTION_ORDER = 20


def consent_chart_section(patient: Patient, user: AnyUser) -> ChartSection:
    """Status of each kind of consent, with a link to sign; one query."""
    statuses = consent_status_for_patient(patient)
    alerts = tuple(
        Alert("warning", "No valid mesotherapy consent")
        for status in statuses
        if status.kind == ConsentKind.MESOTHERAPY and not status.is_valid
    )
    return ChartSection(
        key="consent",
        title="Consent",
        order=SECTION_ORDER,
        template="consent/_chart_section.html",
        context={"statuses": statuses},
        alerts=alerts,
    )


def consent_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    """Each signature and each withdrawal; one query."""
    entries = []
    for consent in consent_list_for_patient(patient):
        url = reverse("consent:detail", args=[patient.pk, consent.pk])
        label = consent.get_kind_display()
        entries.append(
            TimelineEntry(
                consent.signed_at,
                "consent",
                f"{label} consent signed (version {consent.template.version})",
                f"Witnessed by {consent.witness_name}",
                url,
            )
        )
        withdrawal = consent.withdrawal_or_none
        if withdrawal is not None:
            entries.append(
                TimelineEntry(
                    withdrawal.withdrawn_at,
                    "consent-withdrawn",
                    f"{label} consent withdrawn",
                    f"Recorded by {withdrawal.recorded_by_name}",
                    url,
                )
            )
    return entries
