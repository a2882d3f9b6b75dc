"""A long consent history for the chart's query-count test (see tests/chart_history.py)."""

from tests.conftest import Cast
from tests.consent.factories import sign, withdraw

KINDS = ["mesotherapy", "prp", "clinical_photography", "data_processing"]


def add(cast: Cast, entries: int) -> None:
    for number in range(entries):
        consent = sign(patient=cast.patient, witness=cast.nurse, kind=KINDS[number % len(KINDS)])
        if number % 3 == 0:
            withdraw(consent, actor=cast.nurse)
