"""Groupings for the outcomes cohort page: by each patient's latest course (one query)."""

from collections.abc import Sequence

from mesotrack.courses.models import TreatmentCourse


def _latest(patient_ids: Sequence[int]) -> dict[int, TreatmentCourse]:
    latest: dict[int, TreatmentCourse] = {}
    for course in (
        TreatmentCourse.objects.filter(patient_id__in=list(patient_ids))
        .select_related("recipe_version__recipe")
        .order_by("start_date", "id")
    ):
        latest[course.patient_id] = course
    return latest


def course_protocol_groups(patient_ids: Sequence[int]) -> dict[int, str]:
    return {pk: course.protocol_label for pk, course in _latest(patient_ids).items()}


def course_recipe_groups(patient_ids: Sequence[int]) -> dict[int, str]:
    return {pk: course.recipe_version.recipe.name for pk, course in _latest(patient_ids).items()}
