"""A long intake history for the chart's query-count test (see tests/chart_history.py)."""

from mesotrack.intake import services
from tests.conftest import Cast
from tests.intake.conftest import full_answers


def add(cast: Cast, entries: int) -> None:
    for _ in range(entries):
        draft = services.intake_start(actor=cast.nurse, patient=cast.patient)
        draft = services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
        services.intake_sign(actor=cast.practitioner, intake=draft)
