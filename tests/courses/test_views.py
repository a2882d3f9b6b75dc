"""Pages: the course flow (plan, preview, book), visit actions, packages, feeds, roles."""

import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import Appointment, CoursePackage, TreatmentCourse
from tests.courses.factories import (
    booked_course,
    live_sessions,
    monday_after,
    move_to_the_past,
    recipe,
)

pytestmark = pytest.mark.usefixtures("clinic_time")


def form_data(cast, **changes):
    data = {
        "protocol": "minoxidil_uzel",
        "recipe": recipe(cast.clinic).pk,
        "target_zones": ["vertex", "mid_scalp"],
        "practitioner": cast.practitioner.pk,
        "start_date": monday_after().isoformat(),
        "preferred_time": "10:00",
        "notes": "",
    }
    data.update(changes)
    return data


def test_previewing_shows_the_schedule_and_price_and_books_nothing(cast, client_for) -> None:
    response = client_for(cast.practitioner).post(
        f"/patients/{cast.patient.pk}/courses/new/", {**form_data(cast), "action": "preview"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="plan"' in html and "Session 10 of 10" in html
    assert "Book these 14 visits" in html
    assert not TreatmentCourse.objects.exists()


def test_confirming_the_preview_books_the_course(cast, client_for) -> None:
    client = client_for(cast.practitioner)
    data = form_data(cast)
    preview = client.post(
        f"/patients/{cast.patient.pk}/courses/new/", {**data, "action": "preview"}
    )
    fingerprint = preview.context["plan"].fingerprint
    response = client.post(
        f"/patients/{cast.patient.pk}/courses/new/",
        {**data, "action": "confirm", "fingerprint": fingerprint},
        follow=True,
    )
    course = TreatmentCourse.objects.get()
    assert response.redirect_chain[-1][0] == f"/patients/{cast.patient.pk}/courses/{course.pk}/"
    assert "Course booked: 14 visits." in response.content.decode()


def test_bad_input_names_the_field_and_writes_nothing(cast, client_for) -> None:
    response = client_for(cast.practitioner).post(
        f"/patients/{cast.patient.pk}/courses/new/",
        {**form_data(cast, target_zones=[], start_date="2020-01-06"), "action": "confirm"},
    )
    form = response.context["form"]
    assert form.errors["target_zones"] == ["This field is required."]
    assert not TreatmentCourse.objects.exists()
    response = client_for(cast.practitioner).post(
        f"/patients/{cast.patient.pk}/courses/new/",
        {**form_data(cast, start_date="2020-01-06"), "action": "preview"},
    )
    assert response.context["form"].errors["start_date"] == ["The start date is in the past."]


def test_a_stale_confirmation_shows_the_new_plan(cast, client_for) -> None:
    client = client_for(cast.practitioner)
    data = form_data(cast)
    preview = client.post(
        f"/patients/{cast.patient.pk}/courses/new/", {**data, "action": "preview"}
    )
    from tests.factories import PatientFactory

    booked_course(PatientFactory(clinic=cast.clinic), cast.practitioner)
    response = client.post(
        f"/patients/{cast.patient.pk}/courses/new/",
        {**data, "action": "confirm", "fingerprint": preview.context["plan"].fingerprint},
    )
    html = response.content.decode()
    assert "The calendar changed since this plan was shown" in html
    assert response.context["plan"].fingerprint != preview.context["plan"].fingerprint
    assert TreatmentCourse.objects.count() == 1


def test_the_course_page_shows_progress_technique_and_visits(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    html = (
        client_for(cast.nurse)
        .get(f"/patients/{cast.patient.pk}/courses/{course.pk}/")
        .content.decode()
    )
    assert "0 of 10 sessions done · Session 1 of 10 next · Induction" in html
    assert "Point by point (micropapules)" in html and "30G × 4 mm" in html
    assert "Vertex (crown), Mid-scalp" in html
    assert AuditEvent.objects.filter(action=Action.VIEW, patient_id=cast.patient.pk).exists()


def test_a_course_of_another_patient_is_a_404(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    from tests.factories import PatientFactory

    other = PatientFactory(clinic=cast.clinic)
    assert (
        client_for(cast.nurse).get(f"/patients/{other.pk}/courses/{course.pk}/").status_code == 404
    )


def test_moving_a_visit_from_its_page(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    third = live_sessions(course)[2]
    day = third.starts_at.astimezone(clinic_timezone()).date() + dt.timedelta(days=1)
    client = client_for(cast.receptionist)
    page = client.get(f"/patients/{cast.patient.pk}/courses/appointments/{third.pk}/move/")
    assert page.context["free_times"]
    response = client.post(
        f"/patients/{cast.patient.pk}/courses/appointments/{third.pk}/move/",
        {"date": day.isoformat(), "time": "14:00", "outside_window_reason": ""},
        follow=True,
    )
    assert "Session 3 of 10 moved and 7 later visits moved with it." in response.content.decode()


def test_moving_outside_the_window_shows_why(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    third = live_sessions(course)[2]
    day = third.starts_at.astimezone(clinic_timezone()).date() + dt.timedelta(days=8)
    response = client_for(cast.receptionist).post(
        f"/patients/{cast.patient.pk}/courses/appointments/{third.pk}/move/",
        {"date": day.isoformat(), "time": "14:00"},
    )
    errors = response.context["form"].errors["__all__"]
    assert errors[0].startswith("Session 3 of 10 must fall between ")


def test_recording_a_no_show_replans_and_says_so(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    first = move_to_the_past(live_sessions(course)[0])
    response = client_for(cast.receptionist).post(
        f"/patients/{cast.patient.pk}/courses/appointments/{first.pk}/did-not-attend/",
        {"reason": "Did not come", "replan_from": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "Recorded that the patient did not attend;" in html and "visits re-planned." in html
    first.refresh_from_db()
    assert first.status == "missed"


def test_cancelling_a_visit_needs_a_reason(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    second = live_sessions(course)[1]
    url = f"/patients/{cast.patient.pk}/courses/appointments/{second.pk}/cancel/"
    response = client_for(cast.receptionist).post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert Appointment.objects.get(pk=second.pk).status == "booked"


def test_attendance_before_the_day_is_refused_on_the_page(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    second = live_sessions(course)[1]
    response = client_for(cast.nurse).post(
        f"/patients/{cast.patient.pk}/courses/appointments/{second.pk}/attended/"
    )
    assert "record attendance on the day" in response.content.decode()


def test_selling_a_package_on_the_page(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    url = f"/patients/{cast.patient.pk}/courses/{course.pk}/packages/"
    client = client_for(cast.receptionist)
    bad = client.post(
        url, {"form": "sell", "sessions": "40", "price_per_session": "90", "currency": "GBP"}
    )
    assert bad.context["sell"].errors["sessions"] == [
        "Choose from 1 to 10 sessions: that many are neither done nor paid for."
    ]
    assert not CoursePackage.objects.exists()
    client.post(
        url, {"form": "sell", "sessions": "6", "price_per_session": "90", "currency": "GBP"}
    )
    package = CoursePackage.objects.get()
    assert (package.sessions, str(package.total_price)) == (6, "540.00")


def test_a_nurse_cannot_open_the_packages_page(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    response = client_for(cast.nurse).get(
        f"/patients/{cast.patient.pk}/courses/{course.pk}/packages/"
    )
    assert response.status_code == 403


def test_the_patients_calendar_link_is_shown_once(cast, client_for) -> None:
    client = client_for(cast.receptionist)
    url = f"/patients/{cast.patient.pk}/courses/calendar-link/"
    made = client.post(url, {"action": "create"}).content.decode()
    assert 'data-testid="feed-address"' in made and "/calendar/feeds/" in made
    again = client.get(url).content.decode()
    assert 'data-testid="feed-address"' not in again and "An address is active" in again


def test_the_chart_shows_the_course_and_next_visit(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    html = client_for(cast.receptionist).get(f"/patients/{cast.patient.pk}/").content.decode()
    assert 'data-testid="courses-section"' in html and course.protocol_label in html
    first = course.appointments.order_by("starts_at").first()
    assert "Next visit:" in html and first.label in html


def test_the_course_list_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
) -> None:
    booked_course(cast.patient, cast.practitioner)
    client = client_for(cast.nurse)
    client.get(f"/patients/{cast.patient.pk}/courses/")
    booked_course(cast.patient, cast.practitioner, protocol="prp_iadvl", modality="prp")
    with django_assert_max_num_queries(12):
        assert client.get(f"/patients/{cast.patient.pk}/courses/").status_code == 200


def test_no_future_time_is_offered_in_the_past(cast) -> None:
    assert monday_after() > timezone.localdate()
