"""Planning a course runs the contraindication screening for its recipe, as every session will."""

import pytest
from django.utils import timezone

from mesotrack.assessment import services as assessment
from mesotrack.assessment.selectors import screening_blocks_for_patient
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import TreatmentCourse
from mesotrack.courses.services.courses import course_create, course_plan_preview
from mesotrack.formulary.selectors import recipe_version_ingredient_codes
from mesotrack.screening.profile import ProposedTreatment
from tests.assessment.factories import make_pregnant
from tests.courses.factories import choice

pytestmark = pytest.mark.usefixtures("clinic_time")


def test_a_blocking_contraindication_stops_the_plan_with_its_reason(cast) -> None:
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    wanted = choice(cast.clinic, cast.practitioner)
    with pytest.raises(DomainError) as refused:
        course_plan_preview(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    assert refused.value.code == "screening_block"
    assert str(refused.value).startswith("Screening blocks this course:")
    assert "pregnan" in str(refused.value).lower()
    with pytest.raises(DomainError):
        course_create(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    assert TreatmentCourse.objects.count() == 0


def test_a_practitioners_override_lets_the_course_be_planned(cast) -> None:
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    wanted = choice(cast.clinic, cast.practitioner)
    version = wanted.recipe.current_version()
    proposed = ProposedTreatment(
        modality="mesotherapy",
        ingredients=recipe_version_ingredient_codes(version_id=version.pk),
    )
    blocks = screening_blocks_for_patient(cast.patient, proposed, timezone.localdate())
    assert blocks
    for block in blocks:
        assessment.screening_override_record(
            actor=cast.practitioner,
            patient=cast.patient,
            flag_code=block.code,
            ingredient=block.ingredient or "",
            reason="Pregnancy test negative today; the intake answer was wrong.",
            proposed=proposed,
        )
    course = course_create(actor=cast.practitioner, patient=cast.patient, choice=wanted)
    assert course.appointments.count() > 0
