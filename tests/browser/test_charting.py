"""A whole session in a real browser: check-in, checklist, the scalp map (zones picked by mouse
and keyboard, volumes entered, a point placed), a lot picked, the record, and the signature."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from mesotrack.charting.models import InjectionRecord, SessionStatus, TreatmentSession
from mesotrack.formulary.models import MovementKind, StockMovement
from tests.charting.factories import ready_patient, stocked_lot
from tests.conftest import login

pytestmark = pytest.mark.browser


def signed_in(page: Page, live_server, user) -> None:
    """Start the browser signed in with two-factor passed (the login pages have their own
    browser tests; this one is about charting)."""
    client = login(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_practitioner_charts_a_session_on_the_scalp_map_and_signs_it(
    page: Page, live_server, cast
) -> None:
    patient = ready_patient(cast)
    lot = stocked_lot(cast, number="DUT-77")
    signed_in(page, live_server, cast.practitioner)

    page.goto(f"/patients/{patient.pk}/sessions/new/")
    page.get_by_label("Modality").select_option("mesotherapy")
    page.get_by_label("Injecting practitioner").select_option(str(cast.practitioner.pk))
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("heading", name="Pre-procedure checklist")).to_be_visible()

    page.get_by_label("Name and date of birth confirmed with the patient").check()
    page.get_by_label("Pregnant or could be pregnant today").select_option("no")
    page.get_by_role("button", name="Complete checklist").click()
    expect(page.get_by_text("Checklist complete.")).to_be_visible()
    page.get_by_role("button", name="Start the procedure").click()
    expect(page.get_by_text("Procedure started.")).to_be_visible()
    page.wait_for_load_state("load")  # the scalp map's script is deferred

    vertex = page.locator("#map-top [data-zone=vertex]")
    vertex.click()
    expect(vertex).to_have_attribute("aria-pressed", "true")
    # The same zone in another view follows.
    expect(page.locator("#map-back [data-zone=vertex]")).to_have_attribute("aria-pressed", "true")
    # Keyboard: focus the mid-scalp zone and press Space.
    page.locator("#map-top [data-zone=mid_scalp]").focus()
    page.keyboard.press("Space")
    expect(page.locator("#map-top [data-zone=mid_scalp]")).to_have_attribute("aria-pressed", "true")
    # The donor area warns, and toggles off again with Enter.
    occipital = page.locator("#map-back [data-zone=occipital]")
    occipital.click()
    expect(page.get_by_test_id("donor-warning")).to_be_visible()
    occipital.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("donor-warning")).to_be_hidden()

    page.get_by_label("Vertex (crown) volume (mL)").fill("1.20")
    page.get_by_label("Vertex (crown) technique").select_option("nappage")
    page.get_by_label("Mid-scalp volume (mL)").fill("0.80")
    expect(page.get_by_test_id("map-total")).to_have_text("2.00")
    page.get_by_label("Place points").check()
    vertex.click()
    expect(page.locator("#map-top circle.point")).to_have_count(1)
    page.get_by_role("button", name="Save map").click()
    expect(page.get_by_text("Map saved.")).to_be_visible()

    page.get_by_label("Lot or prepared batch").select_option(f"lot:{lot.pk}")
    page.get_by_label("Volume drawn (mL)").fill("2.00")
    page.get_by_role("button", name="Add lot").click()
    expect(page.get_by_text("Lot recorded.")).to_be_visible()

    page.get_by_role("button", name="End the procedure").click()
    page.get_by_label("Pain (NRS 0–10)").fill("3")
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_text("Post-procedure record saved.")).to_be_visible()
    page.get_by_role("button", name="Sign the session").click()
    expect(page.get_by_test_id("signed-record")).to_be_visible()
    # Let the header's notification badge finish loading before the test database is flushed.
    page.wait_for_load_state("networkidle")

    session = TreatmentSession.objects.get()
    assert session.status == SessionStatus.SIGNED
    records = {r.zone: r for r in InjectionRecord.objects.filter(session=session)}
    assert set(records) == {"vertex", "mid_scalp"}
    assert records["vertex"].volume_ml == Decimal("1.20")
    assert records["vertex"].technique == "nappage"
    assert len(records["vertex"].point_coordinates) == 1
    movement = StockMovement.objects.get(kind=MovementKind.USE)
    assert movement.lot == lot and movement.quantity == Decimal("-2.00")
