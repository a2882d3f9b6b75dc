"""A long assessment history for the chart's query-count test (see tests/chart_history.py)."""

from mesotrack.assessment import services
from tests.assessment.factories import plan, signed_assessment
from tests.conftest import Cast


def add(cast: Cast, entries: int) -> None:
    for number in range(entries):
        assessment = signed_assessment(
            cast.patient, cast.practitioner, stage_value=["III", "IV", "V"][number % 3]
        )
        services.assessment_addendum_add(
            actor=cast.practitioner, assessment=assessment, text=f"Addendum {number}."
        )
        if number % 2 == 0:
            plan(assessment, cast.practitioner)
