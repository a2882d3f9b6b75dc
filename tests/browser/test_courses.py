"""Planning a course in a real browser: choose, preview the schedule, book it, move a visit,
and find it on the calendar."""

import pytest
from playwright.sync_api import Page, expect

from mesotrack.accounts.models import Role
from mesotrack.courses.models import Appointment, TreatmentCourse
from tests.courses.factories import clinic_week, monday_after, recipe
from tests.factories import ClinicFactory, PatientFactory, staff_user, totp_device
from tests.intake.test_browser import sign_in_with_two_factor

pytestmark = pytest.mark.browser


def test_a_practitioner_plans_books_and_moves_a_course(page: Page) -> None:
    clinic = ClinicFactory(name="Leeds", code="LDS")
    clinic_week(clinic)
    doctor = staff_user(clinic, Role.PRACTITIONER, "doctor")
    recipe(clinic, name="Minoxidil 0.5% intradermal")
    patient = PatientFactory(clinic=clinic, given_name="Amira", family_name="Haddad")
    start = monday_after()
    sign_in_with_two_factor(page, "doctor", totp_device(doctor))

    page.goto(f"/patients/{patient.pk}/")
    page.get_by_test_id("courses-section").get_by_role("link", name="New course").click()
    expect(page.get_by_role("heading", name="New course")).to_be_visible()
    page.get_by_label("Protocol").select_option("minoxidil_uzel")
    page.get_by_label("Recipe").select_option(label="Minoxidil 0.5% intradermal")
    page.get_by_label("Vertex (crown)").check()
    page.get_by_label("Mid-scalp").check()
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Preferred time").fill("10:00")
    page.get_by_role("button", name="Preview the schedule").click()

    plan = page.get_by_test_id("plan")
    expect(plan).to_contain_text("Session 10 of 10")
    expect(plan).to_contain_text("Baseline photographs and measurements")
    assert not TreatmentCourse.objects.exists()
    page.get_by_test_id("preview").get_by_role("button", name="Book these 14 visits").click()

    expect(page.get_by_text("Course booked: 14 visits.")).to_be_visible()
    expect(page.get_by_test_id("course-progress")).to_contain_text(
        "Session 1 of 10 next · Induction"
    )
    visits = page.get_by_test_id("visits")
    expect(visits.locator("tr.session")).to_have_count(10)
    course = TreatmentCourse.objects.get()
    assert course.appointments.filter(status="booked").count() == 14

    visits.locator("tr.session").nth(2).get_by_role("link", name="Move").click()
    expect(page.get_by_role("heading", name="Move session 3 of 10")).to_be_visible()
    page.wait_for_load_state("load")  # the free-time picker's script is deferred
    pick = page.get_by_test_id("free-times").get_by_role("button").nth(1)
    chosen = (pick.get_attribute("data-date"), pick.get_attribute("data-time"))
    pick.click()
    expect(page.locator("input[name=date]")).to_have_value(chosen[0] or "")
    expect(page.locator("input[name=time]")).to_have_value(chosen[1] or "")
    page.get_by_role("button", name="Move the visit").click()
    expect(page.get_by_text("Session 3 of 10 moved")).to_be_visible()
    moved = Appointment.objects.get(course=course, number=3, kind="session", status="booked")
    assert moved.replaces is not None

    page.get_by_role("link", name="Calendar").click()
    page.get_by_label("Date").fill(start.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("calendar-day")).to_contain_text("Amira Haddad")
