import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.safety.models import AdverseEvent, Notification
from mesotrack.safety.selectors import safety_blocks_for_patient
from tests.api.conftest import ApiClient, token_for
from tests.safety.factories import adverse_event, signed_session


@pytest.fixture
def api_for(cast):
    def make(user):
        return ApiClient(token_for(user) if user else None)

    return make


def _body(**overrides):
    body = {
        "term": "necrosis",
        "grade": 3,
        "onset_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "causality": "possible",
        "zones": ["vertex"],
    }
    body.update(overrides)
    return body


def test_a_nurse_records_a_grade_3_event_that_blocks_until_reviewed(cast, api_for) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    base = f"/api/v1/patients/{cast.patient.pk}/adverse-events"
    response = api_for(cast.nurse).post(base, _body(session_id=session.pk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["term_label"], body["blocks_sessions"], body["session_id"]) == (
        "Necrosis",
        True,
        session.pk,
    )
    assert body["meddra_preferred_term"] == "Injection site necrosis [V]"
    assert body["practitioner_id"] == cast.practitioner.pk
    assert Notification.objects.get().recipient == cast.manager
    refused = api_for(cast.nurse).post(f"{base}/{body['id']}/review", {"notes": "ok"})
    assert refused.status_code == 403
    reviewed = api_for(cast.practitioner).post(f"{base}/{body['id']}/review", {"notes": "Seen."})
    assert reviewed.status_code == 200
    assert reviewed.json()["blocks_sessions"] is False
    assert safety_blocks_for_patient(cast.patient) == []


def test_rule_violations_name_the_field_and_write_nothing(cast, api_for) -> None:
    base = f"/api/v1/patients/{cast.patient.pk}/adverse-events"
    response = api_for(cast.nurse).post(base, _body(term="other"))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "other_term",
            "message": "Describe the event when the term is Other.",
            "code": "invalid",
        }
    ]
    response = api_for(cast.nurse).post(base, _body(unknown=1))
    assert response.status_code == 422
    session = signed_session(cast.other_patient, cast.other_practitioner)
    response = api_for(cast.nurse).post(base, _body(session_id=session.pk))
    assert response.json()["errors"][0]["field"] == "session_id"
    assert AdverseEvent.objects.count() == 0


def test_list_and_read_are_audited(cast, api_for) -> None:
    event = adverse_event(cast.patient, cast.nurse)
    base = f"/api/v1/patients/{cast.patient.pk}/adverse-events"
    listed = api_for(cast.practitioner).get(base)
    assert [e["id"] for e in listed.json()] == [event.pk]
    read = api_for(cast.practitioner).get(f"{base}/{event.pk}")
    assert read.json()["term"] == "bruising"
    assert (
        AuditEvent.objects.filter(
            actor=cast.practitioner, action="view", patient_id=cast.patient.pk
        ).count()
        == 2
    )


def test_another_clinic_gets_404(cast, api_for) -> None:
    event = adverse_event(cast.patient, cast.nurse)
    path = f"/api/v1/patients/{cast.patient.pk}/adverse-events/{event.pk}"
    assert api_for(cast.other_practitioner).get(path).status_code == 404


def test_safety_signals_by_lot_and_a_bad_period(cast, api_for) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    adverse_event(cast.patient, cast.nurse, session)
    response = api_for(cast.manager).get("/api/v1/safety-signals", by="practitioner")
    assert response.status_code == 200
    (row,) = response.json()["rows"]
    assert (row["sessions"], row["sessions_with_event"], row["flagged"]) == (1, 1, False)
    bad = api_for(cast.manager).get("/api/v1/safety-signals", start="2026-05-01", end="2026-01-01")
    assert bad.status_code == 400
    assert api_for(cast.manager).get("/api/v1/safety-signals", by="weather").status_code == 422
    assert api_for(cast.nurse).get("/api/v1/safety-signals").status_code == 403
