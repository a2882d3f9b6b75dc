import datetime as dt

from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.safety.models import AdverseEvent, Notification
from tests.safety.factories import adverse_event, signed_session
from tests.safety.history import add as add_safety_history


def _form(**overrides: object) -> dict[str, object]:
    onset = timezone.localtime(timezone.now() - dt.timedelta(hours=5))
    data: dict[str, object] = {
        "term": "swelling",
        "grade": "2",
        "pain_nrs": "4",
        "onset_at": onset.strftime("%Y-%m-%dT%H:%M"),
        "outcome": "recovering",
        "causality": "probable",
        "zones": ["vertex"],
        "actions_taken": "Cold compress.",
    }
    data.update(overrides)
    return data


def test_a_nurse_records_an_event_from_a_session(cast, client_for) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    url = f"/patients/{cast.patient.pk}/adverse-events/new/?session={session.pk}"
    page = client_for(cast.nurse).get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["practitioner"] == cast.practitioner
    response = client_for(cast.nurse).post(url, _form())
    event = AdverseEvent.objects.get()
    assert response["Location"] == f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/"
    assert (event.session, event.practitioner, event.pain_nrs) == (session, cast.practitioner, 4)


def test_the_session_only_link_goes_on_to_the_patients_page(cast, client_for) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    response = client_for(cast.nurse).get(f"/adverse-events/new/?session={session.pk}")
    assert response["Location"] == (
        f"/patients/{cast.patient.pk}/adverse-events/new/?session={session.pk}"
    )


def test_a_session_of_another_clinic_is_not_found(cast, client_for) -> None:
    session = signed_session(cast.other_patient, cast.other_practitioner)
    client = client_for(cast.nurse)
    assert client.get(f"/adverse-events/new/?session={session.pk}").status_code == 404
    assert client.get("/adverse-events/new/?session=abc").status_code == 404
    url = f"/patients/{cast.patient.pk}/adverse-events/new/?session={session.pk}"
    assert client.get(url).status_code == 404


def test_bad_input_shows_the_message_and_writes_nothing(cast, client_for) -> None:
    url = f"/patients/{cast.patient.pk}/adverse-events/new/"
    response = client_for(cast.nurse).post(url, _form(term="other", grade="9"))
    assert response.status_code == 200
    assert response.context["form"].errors["grade"] == [
        "Select a valid choice. 9 is not one of the available choices."
    ]
    response = client_for(cast.nurse).post(url, _form(term="other"))
    assert response.context["form"].errors["other_term"] == [
        "Describe the event when the term is Other."
    ]
    assert AdverseEvent.objects.count() == 0


def test_a_grade_3_event_warns_that_sessions_are_blocked(cast, client_for) -> None:
    url = f"/patients/{cast.patient.pk}/adverse-events/new/"
    response = client_for(cast.nurse).post(url, _form(term="necrosis", grade="3"), follow=True)
    assert "no further session can start" in response.content.decode()
    assert Notification.objects.get().recipient == cast.manager
    chart = client_for(cast.manager).get(f"/patients/{cast.patient.pk}/")
    assert "Unreviewed Necrosis (grade 3): no session until a practitioner reviews it" in (
        chart.content.decode()
    )


def test_a_practitioner_reviews_from_the_detail_page(cast, client_for) -> None:
    event = adverse_event(cast.patient, cast.nurse, grade=3)
    base = f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/"
    assert client_for(cast.nurse).get(base).context["review_form"] is None
    assert client_for(cast.practitioner).get(base).context["review_form"] is not None
    empty = client_for(cast.practitioner).post(base + "review/", {"review_notes": ""})
    assert empty.context["form"].errors["review_notes"] == [
        "Write what the review found and decided."
    ]
    response = client_for(cast.practitioner).post(base + "review/", {"review_notes": "Seen."})
    assert response["Location"] == base
    event.refresh_from_db()
    assert event.reviewed_by == cast.practitioner


def test_a_nurse_cannot_review(cast, client_for) -> None:
    event = adverse_event(cast.patient, cast.nurse, grade=3)
    url = f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/review/"
    assert client_for(cast.nurse).post(url, {"review_notes": "x"}).status_code == 403
    assert AdverseEvent.objects.get().reviewed_at is None


def test_a_reviewed_event_cannot_be_edited(cast, client_for) -> None:
    from mesotrack.safety.services import adverse_event_review

    event = adverse_event(cast.patient, cast.nurse, grade=3)
    adverse_event_review(actor=cast.practitioner, event=event, notes="Seen.")
    url = f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/edit/"
    response = client_for(cast.nurse).post(url, _form())
    assert response.status_code == 302
    assert AdverseEvent.objects.get().term == "bruising"


def test_an_edit_is_saved_and_audited(cast, client_for) -> None:
    event = adverse_event(cast.patient, cast.nurse)
    url = f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/edit/"
    assert client_for(cast.nurse).get(url).status_code == 200
    client_for(cast.nurse).post(url, _form(term="itching"))
    assert AdverseEvent.objects.get().term == "itching"
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="update").count() == 1


def test_an_event_of_another_patient_is_not_found_under_this_patient(cast, client_for) -> None:
    from tests.factories import PatientFactory

    second = PatientFactory(clinic=cast.clinic)
    event = adverse_event(second, cast.nurse)
    url = f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/"
    assert client_for(cast.nurse).get(url).status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
) -> None:
    for _ in range(12):
        adverse_event(cast.patient, cast.nurse)
    client = client_for(cast.nurse)
    with django_assert_max_num_queries(14):
        response = client.get(f"/patients/{cast.patient.pk}/adverse-events/")
    assert len(response.context["events"]) == 12


def test_the_chart_query_count_does_not_grow_with_adverse_events(
    cast, client_for, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.practitioner)
    url = f"/patients/{cast.patient.pk}/"
    add_safety_history(cast, 1)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    add_safety_history(cast, 5)
    with django_assert_num_queries(len(short)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_signal_page_and_its_export(cast, client_for) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    adverse_event(cast.patient, cast.nurse, session)
    client = client_for(cast.manager)
    page = client.get("/safety-signals/?by=practitioner")
    assert page.status_code == 200
    assert [row.result.events for row in page.context["report"].rows] == [1]
    export = client.get("/safety-signals/export.csv?by=lot")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert export.content.decode().splitlines()[0].startswith("clinic,lot,sessions,")
    assert AuditEvent.objects.filter(actor=cast.manager, action="export").count() == 1


def test_the_signal_page_refuses_a_bad_period(cast, client_for) -> None:
    response = client_for(cast.manager).get("/safety-signals/?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400
    assert "The period must start before it ends." in response.content.decode()
    response = client_for(cast.manager).get("/safety-signals/?by=weather")
    assert response.status_code == 400


def test_nurses_and_receptionists_do_not_see_signals(cast, client_for) -> None:
    for user in (cast.nurse, cast.receptionist):
        assert client_for(user).get("/safety-signals/").status_code == 403


def test_the_badge_counts_unread_notifications(cast, client_for) -> None:
    adverse_event(cast.patient, cast.nurse, grade=3)
    client = client_for(cast.manager)
    assert client.get("/notifications/badge/").context["unread"] == 1
    client.post("/notifications/")
    assert client.get("/notifications/badge/").context["unread"] == 0
    assert client_for(cast.nurse).get("/notifications/badge/").context["unread"] == 0


def test_the_signal_page_shows_its_default_period_in_the_date_fields(cast, client_for) -> None:
    today = timezone.localdate()
    page = client_for(cast.manager).get("/safety-signals/").content.decode()
    year_ago = today - dt.timedelta(days=365)
    assert f'name="start" value="{year_ago:%Y-%m-%d}"' in page
    assert f'name="end" value="{today:%Y-%m-%d}"' in page
