import datetime as dt
import random
from decimal import Decimal

from mesotrack.core.demo import DemoContext, DemoPatientProfile
from mesotrack.core.demo_people import demo_profile
from mesotrack.intake import demo
from mesotrack.intake.answers import validate_answers
from mesotrack.intake.demo_answers import demo_answers
from mesotrack.intake.models import Intake, IntakeStatus
from mesotrack.intake.selectors import patient_clinical_profile
from tests.factories import PatientFactory

TODAY = dt.date.today()


def demo_context(cast, count: int = 40) -> DemoContext:
    rng = random.Random(7)
    patients, profiles = [], {}
    for number in range(count):
        clinic = cast.clinic if number % 4 else cast.other_clinic
        sex = "female" if number % 2 else "male"
        born = dt.date(1970 + number % 30, 1 + number % 12, 10)
        patient = PatientFactory(clinic=clinic, sex_at_birth=sex, date_of_birth=born)
        patients.append(patient)
        profiles[patient.pk] = demo_profile(rng, sex, patient.age_on(TODAY))
    for patient in patients[1::2]:
        profiles[patient.pk].iron_deficient = True
    story = profiles[patients[1].pk]
    story.allergies = ["amide_local_anaesthetic"]
    story.could_become_pregnant, story.pregnant = True, True
    return DemoContext(
        rng=rng,
        today=TODAY,
        organisation=cast.clinic.organisation,
        clinics={"LDS": cast.clinic, "YRK": cast.other_clinic},
        users={
            "doctor": cast.practitioner,
            "doctor2": cast.other_practitioner,
            "nurse": cast.nurse,
            "manager": cast.manager,
            "reception": cast.receptionist,
            "patient": cast.patient_user,
        },
        patients=patients,
        profiles=profiles,
        progress=lambda text: None,
    )


def test_every_demo_patient_gets_a_valid_intake_signed_by_their_clinic(cast):
    context = demo_context(cast)
    demo.seed(context)
    firsts = Intake.objects.filter(version=1).select_related("patient")
    assert firsts.count() == len(context.patients)
    for intake in Intake.objects.select_related("patient"):
        validate_answers(intake.answers)
        expected = cast.practitioner if intake.patient.clinic == cast.clinic else None
        if intake.status == IntakeStatus.SIGNED and expected:
            assert intake.signed_by == expected
        assert intake.signed_at is None or intake.signed_at >= intake.created_at
    assert Intake.objects.filter(status=IntakeStatus.DRAFT).exists()
    assert Intake.objects.filter(status=IntakeStatus.SIGNED, signed_by=cast.other_practitioner)


def test_the_demo_intake_tells_the_patients_story(cast):
    context = demo_context(cast)
    demo.seed(context)
    profile = patient_clinical_profile(context.patients[1])
    assert profile.pregnant is True
    assert profile.allergy_classes == {"amide_local_anaesthetic"}
    ferritins = [
        patient_clinical_profile(patient).labs.get("ferritin") for patient in context.patients[1::2]
    ]
    measured = [lab.value for lab in ferritins if lab is not None]
    assert measured and all(value < Decimal(30) for value in measured)


def test_demo_answers_are_deterministic(cast):
    patient = PatientFactory(clinic=cast.clinic, sex_at_birth="male")
    story = DemoPatientProfile(
        hair_loss="male_pattern",
        onset_years_ago=4,
        prior_treatments=["finasteride", "hair_transplant"],
        transplant_years_ago=2,
        grafts=2400,
        conditions=["hypertension", "anticoagulant"],
    )
    seen_on = TODAY - dt.timedelta(days=30)
    first = demo_answers(random.Random(3), patient, story, seen_on)
    assert first == demo_answers(random.Random(3), patient, story, seen_on)
    stored = validate_answers(first)
    transplant = next(t for t in stored.prior_treatments if t.treatment == "hair_transplant")
    assert transplant.graft_count == 2400
    assert "arrhythmia" in stored.medical_history.conditions
    assert any(m.medication_class == "anticoagulant" for m in stored.medications)
