"""The courses' part of the chart, and the groupings offered to the outcomes cohort page."""

import pytest

from mesotrack.courses.chart import course_chart_section, course_timeline
from mesotrack.courses.cohort import course_protocol_groups, course_recipe_groups
from mesotrack.courses.services.appointments import appointment_record_missed
from mesotrack.courses.services.courses import course_cancel
from mesotrack.outcomes.cohort import cohort_groupings
from tests.courses.factories import booked_course, live_sessions, move_to_the_past

pytestmark = pytest.mark.usefixtures("clinic_time")


def test_the_section_shows_progress_and_the_next_visit(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    section = course_chart_section(cast.patient, cast.receptionist)
    assert section is not None and section.title == "Treatment courses"
    [(shown, progress)] = section.context["rows"]
    assert shown == course and progress.label == "Session 1 of 10 next · Induction"
    assert section.context["next_visit"].measurement_code == "baseline"
    assert not section.context["can_plan"]


def test_a_course_that_needs_booking_raises_an_alert(cast) -> None:
    from mesotrack.courses.models import Closure

    course = booked_course(cast.patient, cast.practitioner)
    second = move_to_the_past(live_sessions(course)[1])
    Closure.objects.create(
        clinic=cast.clinic,
        starts_on=second.starts_at.date(),
        ends_on=second.starts_at.date().replace(year=second.starts_at.year + 1),
        reason="Closed",
    )
    appointment_record_missed(actor=cast.nurse, appointment=second)
    section = course_chart_section(cast.patient, cast.nurse)
    assert [a.text for a in section.alerts] == ["Minoxidil 0.5% weekly (Uzel): visits need booking"]


def test_the_timeline_lists_planning_misses_and_cancellation_once(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    appointment_record_missed(
        actor=cast.nurse, appointment=move_to_the_past(live_sessions(course)[0])
    )
    course_cancel(actor=cast.practitioner, course=course, reason="Moved away")
    titles = sorted(entry.title for entry in course_timeline(cast.patient, cast.nurse))
    assert titles == [
        "Course cancelled: Minoxidil 0.5% weekly (Uzel)",
        "Course planned: Minoxidil 0.5% weekly (Uzel)",
        "Session 1 of 10: did not attend",
    ]


def test_other_clinics_staff_see_nothing(cast) -> None:
    booked_course(cast.patient, cast.practitioner)
    assert course_chart_section(cast.patient, cast.other_practitioner) is None
    assert course_timeline(cast.patient, cast.other_practitioner) == []


def test_outcomes_can_group_patients_by_their_latest_course(cast) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    assert {"course_protocol", "course_recipe"} <= {g.key for g in cohort_groupings()}
    assert course_protocol_groups([cast.patient.pk, cast.other_patient.pk]) == {
        cast.patient.pk: course.protocol_label
    }
    assert course_recipe_groups([cast.patient.pk]) == {
        cast.patient.pk: course.recipe_version.recipe.name
    }
