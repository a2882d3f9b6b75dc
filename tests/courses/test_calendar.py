"""Calendars (a fixed number of queries however busy), reminders from the calendar, settings
and protocols pages."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesotrack.accounts.models import Role
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import Chair, ClinicProtocol, Closure, OpeningHours, PractitionerHours
from tests.courses.factories import booked_course, live_sessions, monday_after
from tests.factories import PatientFactory, staff_user

pytestmark = pytest.mark.usefixtures("clinic_time")


def busy_clinic(cast, practitioners: int, courses_each: int) -> dt.date:
    people = [cast.practitioner] + [
        staff_user(cast.clinic, Role.PRACTITIONER, f"doc{cast.clinic.pk}-{n}-{practitioners}")
        for n in range(practitioners - 1)
    ]
    for person in people:
        for _ in range(courses_each):
            booked_course(PatientFactory(clinic=cast.clinic), cast.manager, practitioner=person)
    return monday_after()


def test_the_day_calendar_runs_the_same_queries_however_busy(
    cast, client_for, django_assert_num_queries
) -> None:
    day = busy_clinic(cast, practitioners=1, courses_each=1)
    client = client_for(cast.receptionist)
    url = f"/calendar/?clinic={cast.clinic.pk}&date={day.isoformat()}"
    with CaptureQueriesContext(connection) as quiet:
        assert client.get(url).status_code == 200
    busy_clinic(cast, practitioners=5, courses_each=2)
    with django_assert_num_queries(len(quiet)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="appointment"') >= 11


def test_the_week_calendar_runs_the_same_queries_however_busy(
    cast, client_for, django_assert_num_queries
) -> None:
    day = busy_clinic(cast, practitioners=1, courses_each=1)
    client = client_for(cast.receptionist)
    url = f"/calendar/week/?clinic={cast.clinic.pk}&date={day.isoformat()}"
    with CaptureQueriesContext(connection) as quiet:
        client.get(url)
    busy_clinic(cast, practitioners=4, courses_each=2)
    with django_assert_num_queries(len(quiet)):
        assert client.get(url).status_code == 200


def test_the_day_calendar_shows_who_is_booked_when_and_audits_it(cast, client_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    first = live_sessions(course)[0]
    day = first.starts_at.astimezone(clinic_timezone()).date()
    response = client_for(cast.receptionist).get(f"/calendar/?date={day.isoformat()}")
    html = response.content.decode()
    assert cast.patient.full_name in html and "Session 1 of 10" in html
    assert "Baseline photographs and measurements" in html
    event = AuditEvent.objects.filter(action=Action.VIEW, detail__list="calendar day").get()
    assert event.detail["patient_ids"] == [cast.patient.pk]


def test_one_practitioners_calendar(cast, client_for) -> None:
    booked_course(cast.patient, cast.practitioner)
    day = monday_after()
    html = (
        client_for(cast.nurse)
        .get(f"/calendar/?date={day.isoformat()}&practitioner={cast.nurse.pk}")
        .content.decode()
    )
    assert cast.patient.full_name not in html


def test_a_closed_day_says_why(cast, client_for) -> None:
    day = monday_after()
    Closure.objects.create(clinic=cast.clinic, starts_on=day, ends_on=day, reason="Easter Monday")
    html = client_for(cast.nurse).get(f"/calendar/?date={day.isoformat()}").content.decode()
    assert "The clinic is closed: Easter Monday." in html


def test_another_clinics_calendar_cannot_be_chosen(cast, client_for) -> None:
    booked_course(cast.other_patient, cast.other_practitioner)
    html = (
        client_for(cast.receptionist)
        .get(f"/calendar/?clinic={cast.other_clinic.pk}&date={monday_after().isoformat()}")
        .content.decode()
    )
    assert cast.other_patient.full_name not in html and "Leeds" in html


def test_queuing_reminders_from_the_calendar_shows_their_status(
    cast, client_for, django_capture_on_commit_callbacks
) -> None:
    cast.patient.email = "p@example.org"
    cast.patient.save()
    course = booked_course(cast.patient, cast.practitioner)
    day = live_sessions(course)[0].starts_at.astimezone(clinic_timezone()).date()
    client = client_for(cast.receptionist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/calendar/reminders/", {"clinic": cast.clinic.pk, "date": day.isoformat()}
        )
    html = client.get(response["Location"]).content.decode()
    assert "Reminders queued: 2." in html
    assert "2 sent" in html and len(mail.outbox) == 2


def test_reminders_for_a_past_day_are_refused(cast, client_for) -> None:
    response = client_for(cast.receptionist).post(
        "/calendar/reminders/", {"date": "2020-01-01"}, follow=True
    )
    assert "Reminders are only sent for today or later." in response.content.decode()


def settings_post(client, cast, **data):
    return client.post(f"/calendar/settings/?clinic={cast.clinic.pk}", data, follow=True)


def test_a_manager_sets_opening_hours_and_bad_input_writes_nothing(cast, client_for) -> None:
    client = client_for(cast.manager)
    bad = settings_post(client, cast, form="opening", **{"opening-day_0": "9 till 5"})
    assert bad.context["forms"]["opening"].errors["day_0"] == [
        "Write hours as 09:00-17:30; separate periods with commas."
    ]
    assert OpeningHours.objects.filter(clinic=cast.clinic).count() == 6
    overlapping = settings_post(
        client, cast, form="opening", **{"opening-day_0": "09:00-13:00, 12:00-17:00"}
    )
    assert "Monday: the periods overlap." in overlapping.content.decode()
    settings_post(client, cast, form="opening", **{"opening-day_1": "08:00-12:00, 13:00-19:00"})
    assert list(
        OpeningHours.objects.filter(clinic=cast.clinic).values_list("weekday", "opens", "closes")
    ) == [(1, dt.time(8), dt.time(12)), (1, dt.time(13), dt.time(19))]


def test_a_manager_closes_the_clinic_and_is_told_what_to_move(cast, client_for) -> None:
    booked_course(cast.patient, cast.practitioner)
    day = monday_after()
    response = settings_post(
        client_for(cast.manager),
        cast,
        form="closure",
        **{
            "closure-starts_on": day.isoformat(),
            "closure-ends_on": day.isoformat(),
            "closure-reason": "Staff training",
        },
    )
    assert "Closed: Staff training. 2 booked visits fall on those days: move them." in (
        response.content.decode()
    )
    closure = Closure.objects.get()
    settings_post(client_for(cast.manager), cast, form="remove", remove=f"closure:{closure.pk}")
    assert not Closure.objects.exists()


def test_chairs_are_added_once_and_taken_out_of_use(cast, client_for) -> None:
    client = client_for(cast.manager)
    response = settings_post(client, cast, form="chair", **{"chair-name": "Chair 1"})
    assert "There is already a chair with that name." in response.content.decode()
    settings_post(client, cast, form="chair", **{"chair-name": "Room 3"})
    chair = Chair.objects.get(name="Room 3")
    settings_post(client, cast, form="remove", remove=f"chair-off:{chair.pk}")
    chair.refresh_from_db()
    assert not chair.is_active


def test_a_manager_sets_a_practitioners_hours(cast, client_for) -> None:
    settings_post(
        client_for(cast.manager),
        cast,
        form="hours",
        **{"hours-practitioner": cast.nurse.pk, "hours-day_2": "09:00-13:00"},
    )
    assert list(PractitionerHours.objects.values_list("practitioner", "weekday")) == [
        (cast.nurse.pk, 2)
    ]


def test_only_managers_open_the_settings(cast, client_for) -> None:
    assert client_for(cast.practitioner).get("/calendar/settings/").status_code == 403


def test_the_protocols_page_cites_sources(cast, client_for) -> None:
    html = client_for(cast.receptionist).get("/calendar/protocols/minoxidil_uzel/").content.decode()
    assert "weekly ×10" in html and "dermatologyadvisor.com" in html


def test_a_practitioner_adds_a_clinic_protocol_within_the_minimum_interval(
    cast, client_for
) -> None:
    client = client_for(cast.practitioner)
    data = {
        "based_on": "cocktail_weekly_then_taper",
        "code": "leeds_cocktail",
        "label": "Leeds cocktail",
        "schedule": "Every 5 days ×6",
        "session_minutes": "30",
        "steps": "induction 6 5 0 2",
        "measurements": "",
        "source": "Clinic audit 2025",
    }
    refused = client.post("/calendar/protocols/new/", data)
    assert refused.context["form"].errors["steps"] == [
        "Step 1: sessions 5 days apart, up to 0 days earlier, could come closer than the "
        "7-day minimum between mesotherapy sessions."
    ]
    assert not ClinicProtocol.objects.exists()
    client.post("/calendar/protocols/new/", {**data, "steps": "induction 6 10 2 2"})
    protocol = ClinicProtocol.objects.get()
    assert protocol.definition["steps"][0]["interval_days"] == 10
    assert protocol.definition["technique"]["method"] == "nappage"
    assert client.get("/calendar/protocols/leeds_cocktail/").status_code == 200
