"""The courses' part of the patient chart: each course with its progress and the next visit,
and timeline entries for courses and appointments.

Every staff role sees it (the desk needs the next appointment). Four queries whatever the
length of the patient's history: courses, appointments, and for the timeline the same two.
"""

from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.selectors import AnyUser, role_in_clinic
from mesotrack.courses import selectors
from mesotrack.courses.models import Appointment, AppointmentStatus, CourseStatus, TreatmentCourse
from mesotrack.courses.progress import course_progress
from mesotrack.courses.roles import PLANNING_ROLES
from mesotrack.patients.chart import Alert, ChartSection, TimelineEntry
from mesotrack.patients.models import Patient


def _by_course(appointments: list[Appointment]) -> dict[int, list[Appointment]]:
    grouped: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        grouped.setdefault(appointment.course_id, []).append(appointment)
    return grouped


def course_chart_section(patient: Patient, user: AnyUser) -> ChartSection | None:
    role = role_in_clinic(user, patient.clinic_id)
    if role is None:
        return None
    courses = selectors.course_list_for_patient(patient=patient)
    grouped = _by_course(selectors.appointments_of_patient(patient=patient))
    now = timezone.now()
    rows = [
        (course, course_progress(course, grouped.get(course.pk, []), now)) for course in courses
    ]
    upcoming = [p.next_visit for _, p in rows if p.next_visit is not None]
    alerts = tuple(
        Alert("warning", f"{course.protocol_label}: visits need booking")
        for course, progress in rows
        if progress.needs_booking
    )
    return ChartSection(
        key="courses",
        title="Treatment courses",
        order=30,
        template="courses/_chart_section.html",
        context={
            "rows": [(c, p) for c, p in rows if c.is_active]
            + [(c, p) for c, p in rows if not c.is_active][:3],
            "count": len(rows),
            "next_visit": min(upcoming, key=lambda a: a.starts_at) if upcoming else None,
            "can_plan": role in PLANNING_ROLES,
        },
        alerts=alerts,
    )


def _course_entries(patient: Patient, course: TreatmentCourse) -> list[TimelineEntry]:
    url = reverse("courses:detail", args=[patient.pk, course.pk])
    entries = [
        TimelineEntry(
            course.created_at,
            "course",
            f"Course planned: {course.protocol_label}",
            f"{course.session_count} sessions from {course.start_date:%d %b %Y}",
            url,
        )
    ]
    if course.status == CourseStatus.CANCELLED and course.cancelled_at:
        entries.append(
            TimelineEntry(
                course.cancelled_at,
                "course",
                f"Course cancelled: {course.protocol_label}",
                course.cancellation_reason,
                url,
            )
        )
    return entries


TIMELINE_TITLES: dict[str, str] = {
    AppointmentStatus.ATTENDED: "{label}: attended",
    AppointmentStatus.MISSED: "{label}: did not attend",
    AppointmentStatus.CANCELLED: "{label}: cancelled",
}


def course_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    if role_in_clinic(user, patient.clinic_id) is None:
        return []
    courses = {c.pk: c for c in selectors.course_list_for_patient(patient=patient)}
    entries = [e for course in courses.values() for e in _course_entries(patient, course)]
    for appointment in selectors.appointments_of_patient(patient=patient):
        title = TIMELINE_TITLES.get(appointment.status)
        # A cancelled course's own entry stands for the visits it cancelled.
        if title is None or appointment.status_reason.startswith("Course cancelled:"):
            continue
        when = appointment.starts_at
        if appointment.status == AppointmentStatus.CANCELLED and appointment.status_changed_at:
            when = appointment.status_changed_at
        course = courses.get(appointment.course_id)
        entries.append(
            TimelineEntry(
                when,
                "appointment",
                title.format(label=appointment.label),
                course.protocol_label if course else "",
                reverse("courses:detail", args=[patient.pk, appointment.course_id]),
            )
        )
    return entries
