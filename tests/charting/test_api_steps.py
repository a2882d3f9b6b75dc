"""A whole session through the API: start, chart, draw, end, record, sign, amend, co-sign."""

from decimal import Decimal

import pytest

from mesotrack.formulary import services as formulary
from mesotrack.formulary.selectors import lot_on_hand
from tests.api.conftest import ApiClient, token_for
from tests.charting.factories import checked_in, checklist_done, ready_patient, stocked_lot

pytestmark = pytest.mark.django_db


def _client(user) -> ApiClient:
    return ApiClient(token_for(user))


def test_a_nurse_charts_and_signs_a_whole_session_and_a_practitioner_amends_and_cosigns(
    cast,
) -> None:
    ready_patient(cast)
    session = checklist_done(checked_in(cast), cast.nurse)
    drawn = stocked_lot(cast)
    nurse = _client(cast.nurse)
    url = f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}"
    assert nurse.post(f"{url}/start", {}).json()["status"] == "in_procedure"
    zone = {
        "zone": "vertex",
        "technique": "nappage",
        "volume_ml": "1.50",
        "depth_mm": "2",
        "needle": "32G × 4 mm",
    }
    response = nurse.post(f"{url}/injections", zone)
    assert response.status_code == 201, response.json()
    response = nurse.post(f"{url}/lot-uses", {"lot_id": drawn.pk, "volume_ml": "1.50"})
    assert response.status_code == 200, response.json()
    assert response.json()["lot_uses"][0]["lot_id"] == drawn.pk
    assert nurse.post(f"{url}/end", {}).json()["status"] == "post_procedure"
    response = nurse.post(f"{url}/post-procedure", {"pain_nrs": 3, "immediate_reactions": "None"})
    assert response.json()["pain_nrs"] == 3
    response = nurse.post(f"{url}/sign", {})
    assert response.json()["status"] == "signed", response.json()
    assert lot_on_hand(lot=drawn) == Decimal("18.50")

    doctor = _client(cast.practitioner)
    response = doctor.post(f"{url}/addenda", {"text": "Vertex volume was 1.5 mL as charted."})
    assert [a["text"] for a in response.json()["addenda"]] == [
        "Vertex volume was 1.5 mL as charted."
    ]
    assert nurse.post(f"{url}/cosign", {"text": "ok"}).status_code == 403
    response = doctor.post(f"{url}/cosign", {"text": "Reviewed"})
    assert response.json()["cosign"]["comment"] == "Reviewed"
    again = doctor.post(f"{url}/cosign", {"text": "Twice"})
    assert again.status_code == 400
    assert again.json()["errors"][0]["message"] == "This session is already co-signed."


def test_a_recalled_lot_is_refused_with_its_reason(cast) -> None:
    ready_patient(cast)
    session = checklist_done(checked_in(cast), cast.nurse)
    drawn = stocked_lot(cast)
    formulary.lot_recall(actor=cast.manager, lot=drawn, reason="Supplier recall notice 12")
    url = f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}/lot-uses"
    response = _client(cast.nurse).post(url, {"lot_id": drawn.pk, "volume_ml": "1.00"})
    assert response.status_code == 400
    assert "recalled" in response.json()["errors"][0]["message"]
    assert response.json()["errors"][0]["field"] == "lot"


def test_a_lot_of_another_organisation_is_unknown(cast) -> None:
    ready_patient(cast)
    session = checklist_done(checked_in(cast), cast.nurse)
    url = f"/api/v1/patients/{cast.patient.pk}/sessions/{session.pk}/lot-uses"
    response = _client(cast.nurse).post(url, {"lot_id": 987654, "volume_ml": "1.00"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "lot_id"
