"""Moving, missing, cancelling and attending visits; re-planning the rest of the course."""

import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import (
    Appointment,
    Closure,
    CourseStatus,
    PractitionerSlot,
)
from mesotrack.courses.progress import course_progress
from mesotrack.courses.scheduling import slot_starts
from mesotrack.courses.services.appointments import (
    OVERRIDE_REFUSED,
    appointment_cancel,
    appointment_mark_attended,
    appointment_record_missed,
    appointment_reschedule,
    course_book_remaining,
)
from tests.courses.factories import booked_course, live_sessions, move_to_the_past
from tests.factories import PatientFactory

pytestmark = pytest.mark.usefixtures("clinic_time")


def local_day(appointment: Appointment) -> dt.date:
    return appointment.starts_at.astimezone(clinic_timezone()).date()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic_timezone())


def measurements(course) -> dict[str, Appointment]:
    return {
        a.measurement_code: a
        for a in course.appointments.filter(kind="measurement", status__in=["booked", "attended"])
    }


@pytest.fixture
def course(cast):
    return booked_course(cast.patient, cast.practitioner)


def test_rescheduling_a_session_moves_the_sessions_after_it(cast, course) -> None:
    third = live_sessions(course)[2]
    new_time = at(local_day(third) + dt.timedelta(days=2), 15)
    result = appointment_reschedule(actor=cast.receptionist, appointment=third, starts_at=new_time)
    sessions = live_sessions(course)
    assert sessions[2].starts_at == new_time and sessions[2].replaces_id == third.pk
    assert local_day(sessions[3]) == local_day(sessions[2]) + dt.timedelta(days=7)
    assert result.moved == 8
    third.refresh_from_db()
    assert third.status == "rescheduled" and not PractitionerSlot.objects.filter(appointment=third)
    assert [s.number for s in sessions] == list(range(1, 11))


def test_rescheduling_keeps_the_measurement_visits(cast, course) -> None:
    before = {code: a.pk for code, a in measurements(course).items()}
    third = live_sessions(course)[2]
    appointment_reschedule(
        actor=cast.nurse,
        appointment=third,
        starts_at=at(local_day(third) + dt.timedelta(days=1), 11),
    )
    assert {code: a.pk for code, a in measurements(course).items()} == before


def test_a_session_cannot_move_outside_its_window(cast, course) -> None:
    third = live_sessions(course)[2]
    with pytest.raises(DomainError) as refused:
        appointment_reschedule(
            actor=cast.receptionist,
            appointment=third,
            starts_at=at(local_day(third) + dt.timedelta(days=6), 10),
        )
    assert refused.value.message.startswith("Session 3 of 10 must fall between ")
    assert live_sessions(course)[2].pk == third.pk


def test_only_a_practitioner_may_book_outside_the_window_and_never_too_close(cast, course) -> None:
    third = live_sessions(course)[2]
    later = at(local_day(third) + dt.timedelta(days=8), 10)
    with pytest.raises(DomainError) as refused:
        appointment_reschedule(
            actor=cast.receptionist,
            appointment=third,
            starts_at=later,
            outside_window_reason="Patient on holiday",
        )
    assert refused.value.message == OVERRIDE_REFUSED
    appointment_reschedule(
        actor=cast.practitioner,
        appointment=third,
        starts_at=later,
        outside_window_reason="Patient on holiday",
    )
    assert live_sessions(course)[2].starts_at == later
    fourth = live_sessions(course)[3]
    with pytest.raises(DomainError, match="never closer than the minimum interval"):
        appointment_reschedule(
            actor=cast.practitioner,
            appointment=fourth,
            starts_at=at(local_day(fourth) - dt.timedelta(days=6), 10),
            outside_window_reason="Sooner",
        )


def test_rescheduling_into_a_taken_slot_is_refused(cast, course) -> None:
    other = booked_course(PatientFactory(clinic=cast.clinic), cast.practitioner)
    taken = live_sessions(other)[2].starts_at
    third = live_sessions(course)[2]
    with pytest.raises(DomainError, match="already booked at that time"):
        appointment_reschedule(actor=cast.receptionist, appointment=third, starts_at=taken)
    assert live_sessions(course)[2].pk == third.pk


def test_a_measurement_visit_moves_alone_inside_its_window(cast, course) -> None:
    review = measurements(course)["month_3"]
    new_time = at(review.window_target + dt.timedelta(days=3), 16)
    appointment_reschedule(actor=cast.receptionist, appointment=review, starts_at=new_time)
    moved = measurements(course)["month_3"]
    assert moved.starts_at == new_time and moved.replaces_id == review.pk
    with pytest.raises(DomainError, match="must fall between"):
        appointment_reschedule(
            actor=cast.receptionist,
            appointment=moved,
            starts_at=at(review.window_target + dt.timedelta(days=40), 10),
        )


def test_a_missed_session_is_recorded_and_the_rest_replanned(cast, course) -> None:
    before = {code: a.pk for code, a in measurements(course).items()}
    second = move_to_the_past(live_sessions(course)[1])
    result = appointment_record_missed(
        actor=cast.receptionist, appointment=second, reason="No show"
    )
    second.refresh_from_db()
    assert second.status == "missed" and second.status_reason == "No show"
    sessions = live_sessions(course)
    assert sessions[1].replaces_id == second.pk
    assert local_day(sessions[1]) >= timezone.localdate()
    assert [s.number for s in sessions] == list(range(1, 11))
    for earlier, later in zip(sessions, sessions[1:], strict=False):
        assert (local_day(later) - local_day(earlier)).days >= 7
    assert {code: a.pk for code, a in measurements(course).items()} == before
    assert result.problem == ""
    event = AuditEvent.objects.filter(object_id=str(second.pk)).latest("id")
    assert event.detail["status"] == "missed"


def test_a_future_appointment_is_cancelled_not_missed(cast, course) -> None:
    with pytest.raises(DomainError) as refused:
        appointment_record_missed(actor=cast.nurse, appointment=live_sessions(course)[3])
    assert refused.value.message == "This appointment has not started yet: cancel it instead."


def test_cancelling_needs_a_reason_and_replans_from_the_day_after(cast, course) -> None:
    fourth = live_sessions(course)[3]
    with pytest.raises(DomainError, match="Say why the appointment is cancelled."):
        appointment_cancel(actor=cast.receptionist, appointment=fourth, reason="")
    appointment_cancel(actor=cast.receptionist, appointment=fourth, reason="Ill")
    new_fourth = live_sessions(course)[3]
    assert local_day(new_fourth) > local_day(fourth)
    assert new_fourth.replaces_id == fourth.pk


def test_replanning_cannot_start_in_the_past(cast, course) -> None:
    with pytest.raises(DomainError, match="Re-plan from today or a later day."):
        appointment_cancel(
            actor=cast.receptionist,
            appointment=live_sessions(course)[3],
            reason="Ill",
            replan_from=timezone.localdate() - dt.timedelta(days=1),
        )


def test_a_missed_measurement_visit_is_placed_again(cast, course) -> None:
    review = measurements(course)["month_3"]
    sessions_before = [s.pk for s in live_sessions(course)]
    appointment_cancel(actor=cast.receptionist, appointment=review, reason="Away")
    again = measurements(course)["month_3"]
    assert again.pk != review.pk and again.replaces_id == review.pk
    assert again.window_earliest <= local_day(again) <= again.window_latest
    assert [s.pk for s in live_sessions(course)] == sessions_before


def test_when_nothing_fits_the_rest_waits_for_a_booking_by_hand(cast, course) -> None:
    fourth = live_sessions(course)[3]
    Closure.objects.create(
        clinic=cast.clinic,
        starts_on=local_day(fourth),
        ends_on=local_day(fourth) + dt.timedelta(days=90),
        reason="Refurbishment",
    )
    result = appointment_cancel(actor=cast.receptionist, appointment=fourth, reason="Clinic closed")
    assert result.problem.startswith("No free time for session 4 of 10 between ")
    assert [s.number for s in live_sessions(course)] == [1, 2, 3]
    progress = course_progress(course, list(course.appointments.all()), timezone.now())
    assert progress.unbooked_sessions == tuple(range(4, 11)) and progress.needs_booking
    reopen = local_day(fourth) + dt.timedelta(days=91)
    reopen += dt.timedelta(days=(7 - reopen.weekday()) % 7)
    with pytest.raises(DomainError, match="Only a practitioner or manager"):
        course_book_remaining(
            actor=cast.receptionist,
            course=course,
            starts_at=at(reopen, 10),
            outside_window_reason="Closed for refurbishment",
        )
    course_book_remaining(
        actor=cast.practitioner,
        course=course,
        starts_at=at(reopen, 10),
        outside_window_reason="Closed for refurbishment",
    )
    assert [s.number for s in live_sessions(course)] == list(range(1, 11))
    assert live_sessions(course)[3].starts_at == at(reopen, 10)


def test_booking_remaining_when_all_is_booked_is_refused(cast, course) -> None:
    with pytest.raises(DomainError, match="Every visit of this course is booked."):
        course_book_remaining(actor=cast.receptionist, course=course)


def test_attending_moves_the_course_on_and_the_last_session_completes_it(cast, course) -> None:
    sessions = live_sessions(course)
    appointment_mark_attended(actor=cast.nurse, appointment=move_to_the_past(sessions[0], 300))
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_PROGRESS
    for number, session in enumerate(sessions[1:], start=2):
        appointment_mark_attended(
            actor=cast.nurse, appointment=move_to_the_past(session, 300 - number)
        )
    course.refresh_from_db()
    assert course.status == CourseStatus.COMPLETED


def test_attendance_is_recorded_on_the_day_not_before(cast, course) -> None:
    with pytest.raises(DomainError, match="record attendance on the day"):
        appointment_mark_attended(actor=cast.nurse, appointment=live_sessions(course)[4])


def test_a_visit_already_attended_cannot_be_missed(cast, course) -> None:
    first = move_to_the_past(live_sessions(course)[0])
    appointment_mark_attended(actor=cast.nurse, appointment=first)
    with pytest.raises(DomainError, match="This appointment is already attended."):
        appointment_record_missed(actor=cast.nurse, appointment=first)


def test_progress_says_which_session_and_phase_is_next(cast, course) -> None:
    first = move_to_the_past(live_sessions(course)[0], 400)
    appointment_mark_attended(actor=cast.nurse, appointment=first)
    progress = course_progress(course, list(course.appointments.all()), timezone.now())
    assert (progress.attended, progress.total) == (1, 10)
    assert progress.label == "Session 2 of 10 next · Induction"
    assert progress.percent == 10


def test_released_slots_can_be_booked_by_someone_else(cast, course) -> None:
    fourth = live_sessions(course)[3]
    appointment_cancel(actor=cast.receptionist, appointment=fourth, reason="Ill")
    assert not PractitionerSlot.objects.filter(
        starts_at__in=slot_starts(fourth.starts_at, fourth.minutes), appointment=fourth
    ).exists()


def test_moving_the_first_session_takes_the_baseline_along(cast, course) -> None:
    first = live_sessions(course)[0]
    new_time = at(local_day(first) + dt.timedelta(days=2), 14)
    appointment_reschedule(actor=cast.receptionist, appointment=first, starts_at=new_time)
    baseline = measurements(course)["baseline"]
    assert live_sessions(course)[0].starts_at == new_time
    assert baseline.ends_at == new_time and baseline.replaces_id is not None
