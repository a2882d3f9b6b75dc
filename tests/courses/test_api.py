"""The courses API: plan, book, read, list by date, move, miss, cancel, attend."""

import datetime as dt

import pytest

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import TreatmentCourse
from tests.courses.factories import booked_course, live_sessions, monday_after, recipe

pytestmark = pytest.mark.usefixtures("clinic_time")


def body(cast, **changes):
    data = {
        "protocol": "dutasteride_moftah",
        "recipe": recipe(cast.clinic).pk,
        "target_zones": ["frontal", "vertex"],
        "practitioner": cast.practitioner.pk,
        "start_date": monday_after().isoformat(),
        "preferred_time": "11:00",
    }
    data.update(changes)
    return data


def errors(response):
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def test_a_dry_run_plans_and_a_real_run_books(cast, api_for) -> None:
    api = api_for(cast.practitioner)
    url = f"/api/v1/patients/{cast.patient.pk}/courses"
    plan = api.post(url, {**body(cast), "dry_run": True})
    assert plan.status_code == 200
    assert plan.json()["sessions"] == 12 and len(plan.json()["visits"]) == 16
    assert not TreatmentCourse.objects.exists()
    booked = api.post(url, {**body(cast), "fingerprint": plan.json()["fingerprint"]})
    assert booked.status_code == 201
    course = booked.json()
    assert course["status"] == "planned" and course["progress"]["label"] == (
        "Session 1 of 12 next · Induction"
    )
    assert [a["starts_at"] for a in course["appointments"]] == [
        v["starts_at"] for v in plan.json()["visits"]
    ]


def test_missing_and_bad_fields_are_named(cast, api_for) -> None:
    api = api_for(cast.practitioner)
    url = f"/api/v1/patients/{cast.patient.pk}/courses"
    missing = api.post(url, {"notes": "x"})
    assert missing.status_code == 422
    assert {field for field, _ in errors(missing)} == {
        "protocol",
        "recipe",
        "target_zones",
        "practitioner",
        "start_date",
    }
    assert set(dict(errors(missing)).values()) == {"This field is required."}
    bad_zone = api.post(url, body(cast, target_zones=["ears"]))
    assert bad_zone.status_code == 422 and errors(bad_zone)[0][0] == "target_zones.0"
    past = api.post(url, body(cast, start_date="2020-01-06"))
    assert past.status_code == 400
    assert errors(past) == [("start_date", "The start date is in the past.")]
    assert not TreatmentCourse.objects.exists()


def test_another_clinics_patient_is_a_404_and_reception_cannot_plan(cast, api_for) -> None:
    assert (
        api_for(cast.practitioner)
        .post(f"/api/v1/patients/{cast.other_patient.pk}/courses", body(cast))
        .status_code
        == 404
    )
    assert (
        api_for(cast.receptionist)
        .post(f"/api/v1/patients/{cast.patient.pk}/courses", body(cast))
        .status_code
        == 403
    )


def test_reading_a_course_is_audited(cast, api_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    response = api_for(cast.nurse).get(f"/api/v1/patients/{cast.patient.pk}/courses/{course.pk}")
    assert response.status_code == 200 and len(response.json()["appointments"]) == 14
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="courses.TreatmentCourse", object_id=str(course.pk)
    ).exists()
    listed = api_for(cast.nurse).get(f"/api/v1/patients/{cast.patient.pk}/courses")
    assert [c["id"] for c in listed.json()] == [course.pk]


def test_appointments_by_date_range(cast, api_for) -> None:
    booked_course(cast.patient, cast.practitioner)
    booked_course(cast.other_patient, cast.other_practitioner)
    start = monday_after()
    response = api_for(cast.receptionist).get(
        "/api/v1/appointments",
        start=start.isoformat(),
        end=(start + dt.timedelta(days=6)).isoformat(),
    )
    found = response.json()
    assert [a["label"] for a in found] == [
        "Baseline photographs and measurements",
        "Session 1 of 10",
    ]
    assert {a["record_number"] for a in found} == {cast.patient.record_number}
    too_long = api_for(cast.receptionist).get(
        "/api/v1/appointments",
        start=start.isoformat(),
        end=(start + dt.timedelta(days=40)).isoformat(),
    )
    assert too_long.status_code == 400
    assert errors(too_long) == [("end", "Ask for at most 31 days at a time.")]


def test_moving_missing_and_cancelling_through_the_api(cast, api_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    api = api_for(cast.receptionist)
    base = f"/api/v1/patients/{cast.patient.pk}/appointments"
    third = live_sessions(course)[2]
    day = third.starts_at.astimezone(clinic_timezone()).date()
    naive = api.post(f"{base}/{third.pk}/reschedule", {"starts_at": f"{day}T15:00:00"})
    assert naive.status_code == 422 and errors(naive)[0][0] == "starts_at"
    outside = api.post(
        f"{base}/{third.pk}/reschedule",
        {"starts_at": f"{day + dt.timedelta(days=8)}T15:00:00+00:00"},
    )
    assert outside.status_code == 400 and errors(outside)[0][0] == "starts_at"
    moved = api.post(
        f"{base}/{third.pk}/reschedule",
        {"starts_at": f"{day + dt.timedelta(days=1)}T15:00:00+00:00"},
    )
    assert moved.status_code == 200 and moved.json()["moved"] == 8
    fifth = live_sessions(course)[4]
    no_reason = api.post(f"{base}/{fifth.pk}/cancel", {})
    assert no_reason.status_code == 400
    assert errors(no_reason) == [("reason", "Say why the appointment is cancelled.")]
    cancelled = api.post(f"{base}/{fifth.pk}/cancel", {"reason": "Holiday"})
    assert cancelled.status_code == 200 and cancelled.json()["booked"]
    not_yet = api.post(f"{base}/{live_sessions(course)[5].pk}/missed", {})
    assert not_yet.status_code == 400
    assert errors(not_yet) == [
        ("status", "This appointment has not started yet: cancel it instead.")
    ]
    early = api.post(f"{base}/{live_sessions(course)[5].pk}/attended")
    assert early.status_code == 400


def test_cancelling_a_course_through_the_api(cast, api_for) -> None:
    course = booked_course(cast.patient, cast.practitioner)
    url = f"/api/v1/patients/{cast.patient.pk}/courses/{course.pk}/cancel"
    assert api_for(cast.receptionist).post(url, {"reason": "x"}).status_code == 403
    response = api_for(cast.practitioner).post(url, {"reason": "Pregnant"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["appointments"] == []


def test_the_protocols_on_offer(cast, api_for) -> None:
    found = api_for(cast.receptionist).get("/api/v1/protocols").json()
    assert {"dutasteride_moftah", "prp_iadvl"} <= {p["code"] for p in found}
