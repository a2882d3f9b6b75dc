"""A long adverse-event history for the chart's query-count test."""

from tests.conftest import Cast
from tests.safety.factories import adverse_event, signed_session


def add(cast: Cast, entries: int) -> None:
    for number in range(entries):
        session = signed_session(cast.patient, cast.practitioner)
        event = adverse_event(cast.patient, cast.nurse, session, grade=3 if number % 2 else 1)
        if number % 2:
            from mesotrack.safety.services import adverse_event_review

            adverse_event_review(actor=cast.practitioner, event=event, notes="Seen; resolved.")
