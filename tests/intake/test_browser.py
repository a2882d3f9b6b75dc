"""The intake form in a real browser: adding rows with the small formset script, saving, signing."""

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.intake.models import Intake, IntakeStatus
from tests.factories import TEST_PASSWORD, ClinicFactory, PatientFactory, staff_user, totp_device

pytestmark = pytest.mark.browser


def sign_in_with_two_factor(page: Page, username: str, device) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Verify").click()


def test_a_practitioner_records_two_lab_results_and_signs(page: Page) -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    patient = PatientFactory(clinic=clinic, sex_at_birth="female")
    sign_in_with_two_factor(page, "doctor", totp_device(doctor))
    page.goto(f"/patients/{patient.pk}/intake/")
    page.get_by_role("button", name="Start intake").click()
    expect(page.get_by_role("heading", name="Intake version 1")).to_be_visible()

    page.get_by_label("Widening parting").check()
    page.get_by_label("Pregnant, or might be").select_option(label="No")
    page.locator("#id_labs-0-test").select_option("ferritin")
    page.locator("#id_labs-0-value").fill("14")
    page.locator("#id_labs-0-unit").fill("ng/mL")
    page.locator("#id_labs-0-taken_on").fill("2025-02-03")
    page.locator("[data-add-row=labs]").click()
    page.locator("#id_labs-1-test").select_option("vitamin_d_25oh")
    page.locator("#id_labs-1-value").fill("30")
    page.locator("#id_labs-1-unit").fill("nmol/L")
    page.locator("#id_labs-1-taken_on").fill("2025-02-03")
    page.locator("#id_allergies-0-allergy_class").select_option("amide_local_anaesthetic")
    page.locator("#id_allergies-0-substance").fill("lidocaine")
    page.locator("#id_allergies-0-reaction").fill("hives")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Intake version 1 saved.")).to_be_visible()
    expect(page.get_by_test_id("intake-labs")).to_contain_text("12.0 ng/mL")
    page.get_by_role("link", name="Review and sign").click()
    page.get_by_label("I have gone through these answers with the patient", exact=False).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.get_by_test_id("intake-status")).to_contain_text("Signed")
    page.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_test_id("chart-alerts")).to_contain_text("lidocaine")
    intake = Intake.objects.get(patient=patient)
    assert intake.status == IntakeStatus.SIGNED
    assert [lab["test"] for lab in intake.answers["labs"]] == ["ferritin", "vitamin_d_25oh"]
