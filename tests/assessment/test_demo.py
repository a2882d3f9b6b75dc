from collections import Counter

from mesotrack.assessment import demo
from mesotrack.assessment.models import (
    Assessment,
    AssessmentStatus,
    ClinicPrice,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.intake import demo as intake_demo
from tests.intake.test_demo import demo_context

EXPECTED = {
    "male_pattern": "aga_male",
    "female_pattern": "fphl",
    "telogen_effluvium": "telogen_effluvium",
    "alopecia_areata": "alopecia_areata",
    "scarring": "scarring_alopecia",
}


def seeded(cast):
    context = demo_context(cast, count=60)
    intake_demo.seed(context)
    demo.seed(context)
    return context


def test_demo_assessments_tell_each_patients_story(cast):
    context = seeded(cast)
    assessments = list(Assessment.objects.select_related("patient"))
    assert len(assessments) > 40
    for assessment in assessments:
        story = context.profiles[assessment.patient_id]
        assert assessment.diagnosis == EXPECTED[story.hair_loss]
        if assessment.diagnosis == "aga_male":
            assert assessment.stage_scale == "norwood"
        if assessment.diagnosis == "telogen_effluvium":
            assert assessment.pull_test_positive and assessment.telogen_course
        if assessment.diagnosis == "alopecia_areata":
            assert assessment.stage_scale == "salt" and assessment.salt_class
    statuses = Counter(a.status for a in assessments)
    assert statuses[AssessmentStatus.SIGNED] > statuses[AssessmentStatus.DRAFT] > 0


def test_demo_signatures_come_from_the_patients_clinic(cast):
    seeded(cast)
    for assessment in Assessment.objects.filter(status=AssessmentStatus.SIGNED):
        expected = (
            cast.practitioner
            if assessment.patient.clinic_id == cast.clinic.pk
            else cast.other_practitioner
        )
        assert assessment.signed_by == expected
        assert assessment.created_at.date() == assessment.assessed_on
        assert assessment.signed_at > assessment.created_at


def test_demo_prices_plans_and_overrides(cast):
    seeded(cast)
    assert ClinicPrice.objects.filter(clinic=cast.clinic).count() == 11
    assert ClinicPrice.objects.filter(clinic=cast.other_clinic, currency="GBP").count() == 10
    plans = list(TreatmentPlan.objects.all())
    assert plans and all(p.assessment.status == AssessmentStatus.SIGNED for p in plans)
    assert {p.patient_decision for p in plans} >= {"accepted", "thinking_it_over"}
    for override in ScreeningOverride.objects.all():
        assert override.reason and override.plan is not None


def test_the_demo_entries_depend_only_on_the_seed(cast):
    import datetime as dt
    import random

    from mesotrack.core.demo import DemoPatientProfile

    story = DemoPatientProfile(hair_loss="male_pattern", onset_years_ago=3)

    def entries(seed: int) -> tuple:
        rng = random.Random(seed)
        day = dt.date(2025, 6, 1)
        return (
            demo._diagnosis(rng, cast.patient, story),
            demo._stage(rng, cast.patient, story, day),
            demo._tests(rng, story),
        )

    assert entries(3) == entries(3)
