"""The iCalendar writer and the feeds behind a secret address."""

import datetime as dt

import pytest

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import PermissionDenied
from mesotrack.courses.ical import Event, calendar_text
from mesotrack.courses.models import CalendarFeed
from mesotrack.courses.services.feeds import (
    feed_revoke,
    patient_feed_create,
    practitioner_feed_create,
)
from tests.courses.factories import booked_course, live_sessions
from tests.courses.icalendar_rules import parse, unfold, utc_time

STAMP = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _calendar_with(**fields: str) -> bytes:
    event = Event(
        uid="appointment-1@clinic.example",
        starts_at=dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC),
        summary=fields.get("summary", "Session"),
        description=fields.get("description", ""),
    )
    return calendar_text(name="Test", events=[event], stamp=STAMP).encode()


def test_text_is_escaped_and_comes_back_whole() -> None:
    document = _calendar_with(summary="a;b,c\\d\ne")
    assert b"SUMMARY:a\\;b\\,c\\\\d\\ne" in document
    [parsed] = parse(document)
    assert parsed["SUMMARY"] == "a;b,c\\d\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    description = "é" * 100
    document = _calendar_with(description=description)
    lines = document.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    [parsed] = parse(document)
    assert parsed["DESCRIPTION"] == description


def test_a_calendar_parses_with_every_required_property() -> None:
    event = Event(
        uid="appointment-1@clinic.example",
        starts_at=dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ends_at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        summary="Session 1 of 10, vertex; frontal",
        description="Line one\nLine two with a very long explanation " + "x" * 120,
        location="Leeds Hair Clinic, 12 Park Square",
    )
    document = calendar_text(name="Test", events=[event], stamp=STAMP).encode()
    [parsed] = parse(document)
    assert utc_time(parsed["DTSTART"]) == dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
    assert parsed["SUMMARY"] == "Session 1 of 10, vertex; frontal"
    assert parsed["DESCRIPTION"].startswith("Line one\nLine two")
    assert parsed["DTSTAMP"] == "20260301T080000Z"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_text(
            name="x",
            events=[Event("u", dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, 1), "s")],  # noqa: DTZ001
            stamp=STAMP,
        )


@pytest.fixture
def booked(cast, clinic_time):
    return booked_course(cast.patient, cast.practitioner)


def test_a_practitioners_feed_lists_their_visits_without_names(cast, booked, client) -> None:
    feed, token = practitioner_feed_create(
        actor=cast.practitioner, clinic=cast.clinic, practitioner=cast.practitioner
    )
    response = client.get(f"/calendar/feeds/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse(response.content)
    assert len(events) == 14
    first = live_sessions(booked)[0]
    assert any(e["UID"].startswith(f"appointment-{first.pk}@") for e in events)
    assert all(cast.patient.family_name not in e["SUMMARY"] for e in events)
    assert any(cast.patient.record_number in e["SUMMARY"] for e in events)
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="courses.CalendarFeed").get()
    assert event.actor is None and event.detail["patient_ids"] == [cast.patient.pk]
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_a_patients_feed_shows_their_visits_at_the_clinic(cast, booked, client) -> None:
    _, token = patient_feed_create(actor=cast.receptionist, patient=cast.patient)
    events = parse(client.get(f"/calendar/feeds/{token}.ics").content)
    assert len(events) == 14
    assert {e["SUMMARY"].split(" at ")[-1] for e in events} == {"Leeds"}
    assert AuditEvent.objects.filter(
        action=Action.VIEW, patient_id=cast.patient.pk, object_type="courses.CalendarFeed"
    ).exists()


def test_a_new_address_revokes_the_old_and_a_revoked_one_is_gone(cast, booked, client) -> None:
    _, old = patient_feed_create(actor=cast.receptionist, patient=cast.patient)
    feed, new = patient_feed_create(actor=cast.receptionist, patient=cast.patient)
    assert client.get(f"/calendar/feeds/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feeds/{new}.ics").status_code == 200
    feed_revoke(actor=cast.nurse, feed=feed)
    assert client.get(f"/calendar/feeds/{new}.ics").status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def test_only_the_token_hash_is_stored(cast, booked) -> None:
    feed, token = patient_feed_create(actor=cast.receptionist, patient=cast.patient)
    assert token not in {feed.token_hash, feed.token_prefix} and feed.token_prefix == token[:8]


def test_a_practitioner_cannot_make_a_colleagues_address(cast) -> None:
    with pytest.raises(PermissionDenied):
        practitioner_feed_create(
            actor=cast.nurse, clinic=cast.clinic, practitioner=cast.practitioner
        )
    feed, _ = practitioner_feed_create(
        actor=cast.manager, clinic=cast.clinic, practitioner=cast.practitioner
    )
    assert feed.created_by == cast.manager


def test_an_unknown_token_is_a_404(client, db) -> None:
    assert client.get("/calendar/feeds/nothing-here.ics").status_code == 404


def test_unfold_rejects_bare_line_feeds() -> None:
    with pytest.raises(AssertionError):
        unfold(b"BEGIN:VCALENDAR\nEND:VCALENDAR\r\n")
