"""Trichoscopy in a real browser: upload a field, watch the analysis finish, correct the overlay
by clicking a counted hair and a missed one, and see the corrected count."""

import math

import pytest
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.outcomes.models import AnalysisCorrection, TrichoscopyAnalysis
from tests.factories import ClinicFactory, PatientFactory, staff_user, totp_device
from tests.intake.test_browser import sign_in_with_two_factor
from tests.outcomes.factories import TRICHOSCOPY_PX_PER_MM, photo_consent, trichoscopy_png

pytestmark = pytest.mark.browser


def empty_spot(analysis: TrichoscopyAnalysis, clearance: float) -> tuple[float, float]:
    """A point of the image well away from every marked hair (its exit and its shaft)."""
    marks = [tuple(h["exit_point"]) for h in analysis.result["hairs"]]
    marks += [tuple(p) for h in analysis.result["hairs"] for p in h["path"]]
    step = clearance / 2
    for row in range(1, int(analysis.height / step) - 1):
        for column in range(1, int(analysis.width / step) - 1):
            point = (column * step, row * step)
            if all(math.dist(point, mark) > clearance for mark in marks):
                return point
    raise AssertionError("no empty spot on the field")


def test_a_practitioner_uploads_a_field_watches_it_finish_and_corrects_it(
    page: Page, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    clinic = ClinicFactory(name="Leeds", code="LDS")
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    nurse = staff_user(clinic, Role.NURSE, "nurse")
    patient = PatientFactory(clinic=clinic, given_name="Omar")
    photo_consent(patient, nurse)
    field = tmp_path / "field.png"
    field.write_bytes(trichoscopy_png(seed=11)[0])
    sign_in_with_two_factor(page, "doctor", totp_device(doctor))

    page.goto(f"/patients/{patient.pk}/")
    page.get_by_test_id("outcomes-section").get_by_role("link", name="New trichoscopy").click()
    expect(page.get_by_role("heading", name="New trichoscopy analysis")).to_be_visible()
    page.get_by_label("Image file").set_input_files(str(field))
    page.get_by_label("Or pixels per millimetre").fill(str(TRICHOSCOPY_PX_PER_MM))
    page.get_by_role("button", name="Upload and analyse").click()

    expect(page.get_by_test_id("analysis-status")).to_contain_text("Finished")
    analysis = TrichoscopyAnalysis.objects.get()
    automatic = analysis.auto_hair_count
    assert automatic > 5
    expect(page.get_by_test_id("auto-count")).to_have_text(str(automatic))
    expect(page.get_by_test_id("corrected-count")).to_have_text(str(automatic))

    # A counted hair that is not one: click its mark to remove it.
    page.locator("g.hair.auto circle.exit").first.click()
    expect(page.get_by_test_id("corrected-count")).to_have_text(str(automatic - 1))
    expect(page.locator("g.hair.removed")).to_have_count(1)

    # A hair the analyser missed: click where it leaves the skin.
    overlay = page.get_by_test_id("overlay")
    box = overlay.bounding_box()
    assert box is not None
    x, y = empty_spot(analysis, clearance=max(analysis.width, analysis.height) / 20)
    overlay.click(
        position={"x": x * box["width"] / analysis.width, "y": y * box["height"] / analysis.height}
    )
    expect(page.get_by_test_id("corrected-count")).to_have_text(str(automatic))
    expect(page.locator("g.hair.added")).to_have_count(1)

    kinds = list(AnalysisCorrection.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["remove", "add"]
    added = AnalysisCorrection.objects.get(kind="add")
    assert math.dist((added.x, added.y), (x, y)) < 3
    analysis.refresh_from_db()
    assert (analysis.auto_hair_count, analysis.hair_count) == (automatic, automatic)
