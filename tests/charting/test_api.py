"""The sessions and injection-records API: the pages' rules, messages and scoping."""

import pytest

from mesotrack.charting.models import InjectionRecord, SessionStatus, TreatmentSession
from tests.api.conftest import ApiClient, token_for
from tests.charting.factories import in_procedure, ready_patient, ready_to_sign

pytestmark = pytest.mark.django_db


def _client(user) -> ApiClient:
    return ApiClient(token_for(user))


def test_it_checks_in_and_completes_the_checklist(cast) -> None:
    ready_patient(cast)
    client = _client(cast.nurse)
    base = f"/api/v1/patients/{cast.patient.pk}/sessions"
    response = client.post(
        base, {"modality": "mesotherapy", "practitioner_id": cast.practitioner.pk}
    )
    assert response.status_code == 201, response.json()
    session_id = response.json()["id"]
    assert response.json()["status"] == "checked_in"
    response = client.post(f"{base}/{session_id}/checklist", {"identity_confirmed": False})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Confirm the patient's full name and date of birth before going on."
    )
    response = client.post(
        f"{base}/{session_id}/checklist", {"identity_confirmed": True, "pregnant": False}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "checklist_done"
    listed = client.get(base).json()
    assert [s["id"] for s in listed] == [session_id]


def test_it_charts_a_zone_and_lists_it(cast) -> None:
    session = in_procedure(cast)
    client = _client(cast.practitioner)
    url = f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}/injections"
    response = client.post(
        url,
        {
            "zone": "vertex",
            "technique": "nappage",
            "volume_ml": "1.20",
            "depth_mm": "2",
            "needle": "32G × 4 mm",
            "point_coordinates": [{"x": 10, "y": 20, "view": "top"}],
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["points"] == 1
    assert [r["zone"] for r in client.get(url).json()] == ["vertex"]
    response = client.post(url, {"zone": "forehead", "technique": "nappage"})
    assert response.status_code == 422
    response = client.post(url, {"zone": "frontal", "technique": "nappage", "depth_mm": "2"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Give the volume in mL (up to 2 decimals)."
    assert InjectionRecord.objects.count() == 1


def test_it_signs_and_refuses_to_sign_twice(cast) -> None:
    session, _ = ready_to_sign(cast)
    client = _client(cast.practitioner)
    url = f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}/sign"
    response = client.post(url, {})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "signed"
    assert len(response.json()["lot_uses"]) == 1
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "This session is signed: you cannot sign it now."
    )
    assert TreatmentSession.objects.get().status == SessionStatus.SIGNED


def test_another_clinic_cannot_read_the_session(cast) -> None:
    session = in_procedure(cast)
    response = _client(cast.other_practitioner).get(
        f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}"
    )
    assert response.status_code == 404
