"""Session pages: each step through the browser's forms, messages on the page, scoping."""

import datetime as dt

import pytest

from mesotrack.charting import services
from mesotrack.charting.models import InjectionRecord, SessionStatus, TreatmentSession
from mesotrack.formulary import services as formulary
from tests.assessment.factories import signed_intake
from tests.charting.factories import (
    NO_FACTS,
    checked_in,
    in_procedure,
    ready_patient,
    ready_to_sign,
    stocked_lot,
)
from tests.charting.history import add as add_history

pytestmark = pytest.mark.django_db


def _url(session: TreatmentSession) -> str:
    return f"/patients/{session.patient_id}/sessions/{session.pk}/"


def test_check_in_page_opens_a_session(cast, client_for) -> None:
    client = client_for(cast.nurse)
    response = client.post(
        f"/patients/{cast.patient.pk}/sessions/new/",
        {"modality": "mesotherapy", "practitioner": cast.practitioner.pk},
    )
    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(session)


def test_check_in_with_bad_input_writes_nothing(cast, client_for) -> None:
    response = client_for(cast.nurse).post(
        f"/patients/{cast.patient.pk}/sessions/new/", {"modality": "laser"}
    )
    assert response.status_code == 200
    assert (
        "Select a valid choice. laser is not one of the available choices."
        in response.content.decode()
    )
    assert not TreatmentSession.objects.exists()


def test_the_checklist_page_names_the_missing_consent_and_links_to_it(cast, client_for) -> None:
    signed_intake(cast.patient, cast.nurse, cast.practitioner, **NO_FACTS)
    session = checked_in(cast)
    response = client_for(cast.nurse).post(
        _url(session), {"action": "checklist", "identity_confirmed": "on", "pregnant": "no"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"There is no valid Mesotherapy consent for {dt.date.today():%d %b %Y}: the patient must "
        "sign it before the procedure."
    ) in page
    assert f'href="/patients/{cast.patient.pk}/consents/sign/mesotherapy/"' in page
    session.refresh_from_db()
    assert session.status == SessionStatus.CHECKED_IN


def test_the_checklist_shows_the_numbing_wait(cast, client_for) -> None:
    ready_patient(cast)
    session = checked_in(cast)
    client = client_for(cast.nurse)
    applied = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _url(session),
        {
            "action": "checklist",
            "identity_confirmed": "on",
            "pregnant": "no",
            "numbing_agent": "emla",
            "numbing_amount_g": "2",
            "numbing_area": "Vertex",
            "numbing_applied_at": applied,
        },
    )
    assert response.status_code == 302
    page = client.get(_url(session)).content.decode()
    assert "at least 45 minutes, best 60" in page
    response = client.post(_url(session), {"action": "start"})
    assert response.status_code == 400
    assert "The numbing cream needs at least 45 minutes" in response.content.decode()


def test_the_map_form_charts_zones_and_the_lot_form_refuses_a_recalled_lot(
    cast, client_for
) -> None:
    session = in_procedure(cast)
    client = client_for(cast.practitioner)
    response = client.post(
        _url(session),
        {
            "action": "map",
            "zone": ["vertex", "occipital"],
            "vertex-technique": "nappage",
            "vertex-volume_ml": "1.2",
            "vertex-depth_mm": "2",
            "vertex-needle": "32G × 4 mm",
            "vertex-points": "30",
            "vertex-coordinates": '[{"x": 50, "y": 60, "view": "top"}]',
            "occipital-technique": "point_by_point",
            "occipital-volume_ml": "0.3",
            "occipital-depth_mm": "4",
            "occipital-needle": "30G × 4 mm",
        },
    )
    assert response.status_code == 302
    assert sorted(InjectionRecord.objects.values_list("zone", flat=True)) == ["occipital", "vertex"]
    recalled = stocked_lot(cast, number="L-BAD")
    formulary.lot_recall(actor=cast.practitioner, lot=recalled, reason="Supplier recall")
    response = client.post(
        _url(session), {"action": "lot", "source": f"lot:{recalled.pk}", "volume_ml": "1.5"}
    )
    assert response.status_code == 400
    assert "Lot L-BAD has been recalled: it must not be used." in response.content.decode()
    assert not session.lot_uses.exists()


def test_the_map_form_names_the_zone_at_fault_and_saves_no_zone(cast, client_for) -> None:
    session = in_procedure(cast)
    response = client_for(cast.practitioner).post(
        _url(session),
        {
            "action": "map",
            "zone": ["mid_scalp", "vertex"],
            "mid_scalp-technique": "nappage",
            "mid_scalp-volume_ml": "0.5",
            "mid_scalp-depth_mm": "2",
            "mid_scalp-needle": "32G",
            "vertex-technique": "nappage",
            "vertex-volume_ml": "",
            "vertex-depth_mm": "2",
            "vertex-needle": "32G",
        },
    )
    assert response.status_code == 400
    assert "Vertex (crown): Give the volume in mL (up to 2 decimals)." in response.content.decode()
    assert not InjectionRecord.objects.exists()


def test_signing_from_the_page_shows_a_mismatch(cast, client_for) -> None:
    session, used = ready_to_sign(cast)
    services.lot_use_add(actor=cast.nurse, session=session, lot=used, volume_ml="1.00")
    response = client_for(cast.practitioner).post(_url(session), {"action": "sign"})
    assert response.status_code == 400
    assert (
        "The zones add up to 2.00 mL but 3.00 mL was drawn from lots and syringes"
        in response.content.decode()
    )


def test_signing_then_the_aftercare_sheet(cast, client_for) -> None:
    session, _ = ready_to_sign(cast)
    client = client_for(cast.practitioner)
    assert client.post(_url(session), {"action": "sign"}).status_code == 302
    page = client.get(_url(session) + "aftercare/").content.decode()
    assert "After your scalp mesotherapy session" in page
    assert "Keep your hair dry for the first 24 hours." in page


def test_another_clinics_session_is_not_found(cast, client_for) -> None:
    session = checked_in(cast)
    assert client_for(cast.other_practitioner).get(_url(session)).status_code == 404


def test_the_call_list_shows_only_this_clinics_calls(
    cast, client_for, django_assert_max_num_queries
) -> None:
    session, _ = ready_to_sign(cast)
    services.session_sign(session=session, signed_by=cast.practitioner)
    client = client_for(cast.nurse)
    response = client.get("/follow-up-calls/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "24–72 hours" in page and "7 days" in page
    assert (
        "No calls due."
        in client_for(cast.other_practitioner).get("/follow-up-calls/").content.decode()
    )


def test_recording_a_call_from_its_page(cast, client_for) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    call = signed.follow_up_calls.get(kind="early")
    url = f"{_url(signed)}calls/{call.pk}/"
    client = client_for(cast.nurse)
    response = client.post(url, {"reached": "yes", "outcome_notes": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.post(url, {"reached": "yes", "outcome_notes": "All well"}).status_code == 302
    call.refresh_from_db()
    assert call.outcome_notes == "All well"


def test_the_chart_section_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(cast.practitioner)
    add_history(cast, 2)
    client.get(f"/patients/{cast.patient.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/patients/{cast.patient.pk}/")
    add_history(cast, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/patients/{cast.patient.pk}/")
    assert 'data-testid="sessions-section"' in response.content.decode()
    assert len(many) == len(few)


def test_only_a_nurses_signed_note_asks_for_a_co_signature(cast, client_for) -> None:
    by_doctor, _ = ready_to_sign(cast)
    by_doctor = services.session_sign(session=by_doctor, signed_by=cast.practitioner)
    page = client_for(cast.practitioner).get(_url(by_doctor)).content.decode()
    assert "co-signature is due" not in page
    assert 'value="cosign"' not in page
    by_nurse, _ = ready_to_sign(cast)
    by_nurse = services.session_sign(session=by_nurse, signed_by=cast.nurse)
    client = client_for(cast.practitioner)
    assert "co-signature is due" in client.get(_url(by_nurse)).content.decode()
    client.post(_url(by_nurse), {"action": "cosign", "comment": "Reviewed"})
    assert "co-signature is due" not in client.get(_url(by_nurse)).content.decode()


def test_a_signed_sessions_map_cannot_be_edited_in_the_page(cast, client_for) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    page = client_for(cast.practitioner).get(_url(signed)).content.decode()
    assert '<fieldset class="bare" disabled>' in page
    assert "Save map" not in page


def test_the_recall_list_links_each_signed_session_it_names(cast, client_for) -> None:
    session, drawn = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    page = client_for(cast.manager).get(f"/formulary/lots/{drawn.pk}/recall/").content.decode()
    assert f'<a href="{_url(signed)}">Session</a>' in page
