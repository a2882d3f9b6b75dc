"""The signature pad in a real browser: drawing with a pointer, clearing, keyboard help."""

import pytest
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.consent.models import SignedConsent
from mesotrack.consent.signatures import signature_png_check
from mesotrack.patients.models import Patient
from tests.factories import TEST_PASSWORD, ClinicFactory, PatientFactory, staff_user

pytestmark = pytest.mark.browser


@pytest.fixture
def signing(live_server) -> Patient:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    staff_user(clinic, Role.RECEPTIONIST, "reception")
    return PatientFactory(clinic=clinic, given_name="Amira", family_name="Haddad")


def _open_signing_page(page: Page, patient_id: int) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/patients/{patient_id}/consents/sign/mesotherapy/")


def _draw(page: Page) -> None:
    canvas = page.locator("canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 30):
        page.mouse.move(box["x"] + 40 + step * 12, box["y"] + 100 + (-1) ** step * 30)
    page.mouse.up()


def test_a_patient_signs_on_the_pad_and_the_drawing_is_stored(page: Page, signing: Patient) -> None:
    def scenario(page: Page) -> int:
        _open_signing_page(page, signing.pk)
        page.get_by_label("Full name of the person signing").fill("Amira Haddad")
        _draw(page)
        page.get_by_label("watched the person named above sign").check()
        page.get_by_role("button", name="Sign and store").click()
        expect(page.get_by_text("Mesotherapy consent signed and stored.")).to_be_visible()
        page.wait_for_load_state("networkidle")
        return page.evaluate("document.querySelector('img.signature-image').naturalWidth")

    shown_width = scenario(page)
    consent = SignedConsent.objects.get(patient=signing)
    width, height = signature_png_check(bytes(consent.signature_png))
    assert width <= 1600 and height <= 800
    assert shown_width == width


def test_an_empty_pad_is_explained_before_submitting(page: Page, signing: Patient) -> None:
    def scenario(page: Page) -> None:
        _open_signing_page(page, signing.pk)
        page.get_by_label("Full name of the person signing").fill("Amira Haddad")
        _draw(page)
        page.get_by_role("button", name="Clear").click()
        page.get_by_role("button", name="Sign and store").click()
        expect(page.get_by_text("Ask the patient to draw their signature")).to_be_visible()

    scenario(page)
    assert not SignedConsent.objects.exists()


def test_a_drawing_survives_a_refused_submission(page: Page, signing: Patient) -> None:
    def scenario(page: Page) -> None:
        _open_signing_page(page, signing.pk)
        page.get_by_label("Full name of the person signing").fill("Someone Else")
        _draw(page)
        page.get_by_label("watched the person named above sign").check()
        page.get_by_role("button", name="Sign and store").click()
        expect(page.get_by_text("The typed name must be the patient's full name")).to_be_visible()
        page.get_by_label("Full name of the person signing").fill("Amira Haddad")
        page.get_by_role("button", name="Sign and store").click()
        expect(page.get_by_text("Mesotherapy consent signed and stored.")).to_be_visible()

    scenario(page)
    assert SignedConsent.objects.get(patient=signing).typed_name == "Amira Haddad"


def test_keyboard_users_are_told_a_drawn_signature_is_required(
    page: Page, signing: Patient
) -> None:
    def scenario(page: Page) -> None:
        _open_signing_page(page, signing.pk)
        page.locator("canvas").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("cannot be made with the keyboard")

    scenario(page)
