"""The outcomes' contribution to the patient chart: density over time against its noise band,
the responder status and the latest analyses; timeline entries for measurement visits,
trichoscopy analyses and photographs.

Clinical roles only. A fixed number of queries whatever the length of the history: the section
runs seven, the timeline three.
"""

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.models import CLINICAL_ROLES
from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.outcomes.codes import PhotoView
from mesotrack.outcomes.models import ClinicalPhoto, MeasurementVisit, TrichoscopyAnalysis
from mesotrack.outcomes.progress import PRIMARY_MEASURE, patient_progress
from mesotrack.outcomes.roles import RECORDING_ROLES
from mesotrack.patients.chart import ChartSection, TimelineEntry
from mesotrack.patients.models import Patient

RECENT_ANALYSES = 3


def _clinical(patient: Patient, user: AnyUser) -> bool:
    return role_in_clinic(user, patient.clinic_id) in CLINICAL_ROLES


def outcomes_chart_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    if not _clinical(patient, user):
        return None
    progress = patient_progress(
        patient=patient, today=timezone.localdate(), measures=[PRIMARY_MEASURE]
    )
    analyses = list(
        TrichoscopyAnalysis.objects.filter(patient=patient)
        .select_related("site")
        .defer("result")
        .order_by("-taken_on", "-id")[:RECENT_ANALYSES]
    )
    photo_count = ClinicalPhoto.objects.filter(patient=patient).count()
    context = {
        "progress": progress,
        "primary": progress.primary,
        "analyses": analyses,
        "photo_count": photo_count,
        "can_record": role_in_clinic(user, patient.clinic_id) in RECORDING_ROLES,
    }
    return ChartSection(
        key="outcomes",
        title="Outcomes",
        order=40,
        template="outcomes/_chart_section.html",
        context=context,
    )


def _moment(day: dt.date, recorded: dt.datetime) -> dt.datetime:
    """When a record dated `day` happened: its recording time if recorded that day, else noon."""
    if timezone.localtime(recorded).date() == day:
        return recorded
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _visit_entries(patient: Patient) -> list[TimelineEntry]:
    visits = MeasurementVisit.objects.filter(patient=patient).order_by("measured_on", "id")
    return [
        TimelineEntry(
            _moment(visit.measured_on, visit.created_at),
            "outcomes",
            f"Measurements{': ' + visit.label if visit.label else ''}",
            f"recorded by {visit.created_by}",
            reverse("outcomes:visit", args=[patient.pk, visit.pk]),
        )
        for visit in visits.select_related("created_by")
    ]


def _analysis_entries(patient: Patient) -> list[TimelineEntry]:
    analyses = (
        TrichoscopyAnalysis.objects.filter(patient=patient)
        .select_related("site")
        .only("id", "taken_on", "submitted_at", "status", "hair_count", "density_per_cm2", "site")
    )
    entries = []
    for analysis in analyses:
        detail = analysis.get_status_display()
        if analysis.is_finished and analysis.density_per_cm2 is not None:
            detail = f"{analysis.hair_count} hairs, {analysis.density_per_cm2:.0f} hairs/cm²"
        where = f" of {analysis.site.label}" if analysis.site else ""
        entries.append(
            TimelineEntry(
                _moment(analysis.taken_on, analysis.submitted_at),
                "outcomes",
                f"Trichoscopy{where}",
                detail,
                reverse("outcomes:analysis", args=[patient.pk, analysis.pk]),
            )
        )
    return entries


def _photo_entries(patient: Patient) -> list[TimelineEntry]:
    by_day: dict[dt.date, list[tuple[str, dt.datetime]]] = defaultdict(list)
    rows = ClinicalPhoto.objects.filter(patient=patient).values_list(
        "taken_on", "view", "uploaded_at"
    )
    for taken_on, view, uploaded_at in rows:
        by_day[taken_on].append((view, uploaded_at))
    entries = []
    for day, photos in by_day.items():
        views = ", ".join(sorted({PhotoView(view).label.lower() for view, _ in photos}))
        count = len(photos)
        entries.append(
            TimelineEntry(
                _moment(day, min(uploaded for _, uploaded in photos)),
                "outcomes",
                f"{count} photograph{'s' if count > 1 else ''}",
                views,
                reverse("outcomes:photos", args=[patient.pk]),
            )
        )
    return entries


def outcomes_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    if not _clinical(patient, user):
        return []
    return [*_visit_entries(patient), *_analysis_entries(patient), *_photo_entries(patient)]
