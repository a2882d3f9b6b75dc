"""The demo courses: every stage, believable calendars, and every scheduling rule kept."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from mesotrack.assessment.models import TreatmentPlan
from mesotrack.core.demo import DemoContext, DemoPatientProfile
from mesotrack.courses import demo
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import (
    Appointment,
    Chair,
    Closure,
    OpeningHours,
    PractitionerSlot,
    TreatmentCourse,
)
from mesotrack.courses.scheduling import slot_starts
from tests.assessment.factories import plan, signed_assessment
from tests.courses.factories import recipe
from tests.factories import PatientFactory

RECIPES = {
    "mesotherapy": [
        "Dutasteride 0.01% + saline",
        "Minoxidil 0.5% intradermal",
        "Revitalising cocktail",
    ],
    "prp": ["PRP 6 mL"],
}


def _context(cast) -> DemoContext:
    for modality, names in RECIPES.items():
        for name in names:
            recipe(cast.clinic, modality, name=name)
    patients = [PatientFactory(clinic=cast.clinic) for _ in range(18)]
    patients += [PatientFactory(clinic=cast.other_clinic) for _ in range(4)]
    rng = random.Random(11)
    today = timezone.localdate()
    profiles = {}
    for number, patient in enumerate(patients):
        hair_loss = "female_pattern" if number % 2 else "male_pattern"
        profiles[patient.pk] = DemoPatientProfile(hair_loss=hair_loss, onset_years_ago=3)
        doctor = cast.practitioner if patient.clinic == cast.clinic else cast.other_practitioner
        made = plan(
            signed_assessment(patient, doctor),
            doctor,
            chosen_modality="prp" if number % 7 == 0 else "mesotherapy",
            ingredients=["dutasteride"] if number % 3 == 0 else ["biotin"],
        )
        decided = timezone.now() - dt.timedelta(days=number * 30 + rng.randint(0, 9))
        TreatmentPlan.objects.filter(pk=made.pk).update(decided_at=decided)
    return DemoContext(
        rng=random.Random(3),
        today=today,
        organisation=cast.clinic.organisation,
        clinics={"LDS": cast.clinic, "YRK": cast.other_clinic},
        users={
            "manager": cast.manager,
            "doctor": cast.practitioner,
            "nurse": cast.nurse,
            "reception": cast.receptionist,
            "doctor2": cast.other_practitioner,
            "patient": cast.patient_user,
        },
        patients=patients,
        profiles=profiles,
        progress=lambda line: None,
    )


@pytest.fixture
def seeded(cast) -> DemoContext:
    context = _context(cast)
    demo.seed(context)
    return context


def test_the_demo_has_courses_at_every_stage(seeded) -> None:
    statuses = set(TreatmentCourse.objects.values_list("status", flat=True))
    assert statuses == {"planned", "in_progress", "completed", "cancelled"}
    replanned = Appointment.objects.filter(replaces__status__in=["missed", "cancelled"])
    assert replanned.exists()
    assert Appointment.objects.filter(status="booked", starts_at__gt=timezone.now()).exists()


def test_the_demo_clinics_have_hours_chairs_and_bank_holidays(seeded, cast) -> None:
    for clinic in (cast.clinic, cast.other_clinic):
        assert OpeningHours.objects.filter(clinic=clinic).exists()
        assert Chair.objects.filter(clinic=clinic).count() >= 2
        reasons = set(Closure.objects.filter(clinic=clinic).values_list("reason", flat=True))
        assert {"Christmas and New Year", "Easter Monday", "Summer bank holiday"} <= reasons


def test_the_demo_keeps_every_scheduling_rule(seeded) -> None:
    tz = clinic_timezone()
    closed = {
        (c.clinic_id, c.starts_on + dt.timedelta(days=n))
        for c in Closure.objects.all()
        for n in range((c.ends_on - c.starts_on).days + 1)
    }
    live = list(Appointment.objects.filter(status__in=["booked", "attended"]).order_by("starts_at"))
    for appointment in live:
        assert (appointment.clinic_id, appointment.starts_at.astimezone(tz).date()) not in closed
    held = sum(len(slot_starts(a.starts_at, a.minutes)) for a in live)
    assert PractitionerSlot.objects.count() == held
    for course in TreatmentCourse.objects.all():
        days = [
            a.starts_at.astimezone(tz).date()
            for a in live
            if a.course_id == course.pk and a.kind == "session"
        ]
        gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        minimum = 28 if course.modality == "prp" else 7
        assert all(gap >= minimum for gap in gaps), (course.protocol_code, gaps)


def test_the_bank_holidays_of_england() -> None:
    from mesotrack.courses.demo_calendar import bank_holidays

    assert dict((reason, day) for day, reason in bank_holidays(2026)) == {
        "New Year's Day": dt.date(2026, 1, 1),
        "Good Friday": dt.date(2026, 4, 3),
        "Easter Monday": dt.date(2026, 4, 6),
        "Early May bank holiday": dt.date(2026, 5, 4),
        "Spring bank holiday": dt.date(2026, 5, 25),
        "Summer bank holiday": dt.date(2026, 8, 31),
        "Christmas Day": dt.date(2026, 12, 25),
        "Boxing Day": dt.date(2026, 12, 28),
    }
