"""A full assessment in a real browser: stage picked by its drawing, pull test, screening panel,
signature, decision aid and the patient's decision."""

import re

import pytest
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.assessment.models import Assessment, AssessmentStatus, TreatmentPlan
from tests.assessment.factories import signed_intake
from tests.factories import ClinicFactory, PatientFactory, staff_user, totp_device
from tests.intake.test_browser import sign_in_with_two_factor

pytestmark = pytest.mark.browser


def test_a_practitioner_assesses_signs_and_records_the_patients_choice(page: Page) -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    nurse = staff_user(clinic, Role.NURSE, "nurse")
    patient = PatientFactory(clinic=clinic, sex_at_birth="male", given_name="Omar")
    # The intake's ferritin of 18 ng/mL is low for hair (clinical_rules.md §5).
    signed_intake(
        patient,
        nurse,
        doctor,
        reproductive={},
        allergies=[],
        no_known_allergies=True,
        medical_history={"conditions": [], "notes": ""},
        medications=[],
    )
    sign_in_with_two_factor(page, "doctor", totp_device(doctor))

    page.goto(f"/patients/{patient.pk}/")
    page.get_by_test_id("assessment-section").get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", name="New assessment")).to_be_visible()
    page.get_by_label("Diagnosis", exact=True).select_option("aga_male")
    expect(page.locator("fieldset[data-scale=ludwig]")).to_be_hidden()
    page.get_by_label("ICD-10 code").select_option("L64.9")

    page.get_by_test_id("stage-norwood-IIIa").click()
    expect(page.locator("#stage-norwood-IIIa")).to_be_checked()
    # The pickers are ordinary radio buttons: the arrow keys move between stages.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#stage-norwood-III-vertex")).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#stage-norwood-IIIa")).to_be_checked()

    page.get_by_label("Pull test: hairs held").fill("60")
    page.get_by_label("Pull test: hairs that came out").fill("8")
    page.get_by_label("Vellus hairs").check()
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Assessment saved as a draft.")).to_be_visible()
    expect(page.get_by_text("8 of 60 hairs came out: positive")).to_be_visible()
    panel = page.get_by_test_id("screening-panel")
    expect(panel).to_contain_text("Warnings")
    expect(panel).to_contain_text(re.compile("ferritin", re.IGNORECASE))

    page.get_by_role("link", name="Sign", exact=True).click()
    page.get_by_label("I have examined the patient", exact=False).check()
    page.get_by_role("button", name="Sign assessment").click()
    expect(page.get_by_test_id("assessment-status")).to_contain_text("Signed by")

    page.get_by_role("link", name="Decision aid").click()
    page.get_by_label("Avoid tablets").check()
    page.get_by_role("button", name="Rank again for these goals").click()
    expect(page.get_by_test_id("options").locator("li.option").first).to_be_visible()
    plan_form = page.get_by_test_id("plan-form")
    plan_form.get_by_label("Mesotherapy", exact=True).check()
    plan_form.get_by_label("Biotin", exact=False).check()
    plan_form.get_by_label("Accepted").check()
    plan_form.get_by_role("button", name="Record plan").click()

    expect(page.get_by_text("Plan and the patient's decision recorded.")).to_be_visible()
    expect(page.get_by_test_id("plan-decision")).to_have_text("Accepted")
    assessment = Assessment.objects.get(patient=patient)
    assert (assessment.status, assessment.stage_value) == (AssessmentStatus.SIGNED, "IIIa")
    assert assessment.pull_test_positive is True
    plan = TreatmentPlan.objects.get(patient=patient)
    assert (plan.chosen_modality, plan.patient_decision, plan.goals) == (
        "mesotherapy",
        "accepted",
        ["avoid_pills"],
    )
    assert plan.ingredients == ["biotin"]
