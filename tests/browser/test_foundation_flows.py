"""What a receptionist and a practitioner do first, in a real browser."""

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.patients.models import Patient
from tests.factories import TEST_PASSWORD, ClinicFactory, PatientFactory, staff_user, totp_device

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_practitioner_signs_in_with_two_factor(page: Page) -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    device = totp_device(doctor)
    sign_in(page, "doctor")
    expect(page.get_by_role("heading", name="Two-factor check")).to_be_visible()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()


def test_a_new_practitioner_enrols_an_authenticator_from_the_qr_page(page: Page) -> None:
    import base64

    clinic = ClinicFactory(name="Leeds", code="LDS")
    staff_user(clinic, Role.PRACTITIONER, "newdoctor")
    sign_in(page, "newdoctor")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    key = base64.b32decode(secret)
    page.get_by_label("6-digit code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Two-factor authentication is set up.")).to_be_visible()


def test_reception_searches_as_they_type_and_registers_a_patient(page: Page) -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    staff_user(clinic, Role.RECEPTIONIST, "reception")
    PatientFactory(clinic=clinic, given_name="Yusuf", family_name="Okafor")
    PatientFactory(clinic=clinic, given_name="Ana", family_name="Silva")
    sign_in(page, "reception")
    page.get_by_label("Search by name, record number, date of birth or phone").fill("okaf")
    results = page.get_by_test_id("patient-results")
    expect(results).to_contain_text("Okafor, Yusuf")
    expect(results).not_to_contain_text("Silva")

    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("Given name").fill("Amira")
    page.get_by_label("Family name").fill("Haddad")
    page.get_by_label("Date of birth").fill("1988-04-02")
    page.get_by_label("Sex at birth").select_option("female")
    page.get_by_label("Phone", exact=True).fill("07700 900123")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("record-number")).to_have_text(re.compile(r"LDS-\d{6}"))
    assert Patient.objects.filter(family_name="Haddad").count() == 1
