"""A long outcome history for the chart's query-count test (see tests/chart_history.py)."""

import datetime as dt

from django.utils import timezone

from mesotrack.consent.models import SignedConsent
from mesotrack.outcomes import services
from mesotrack.outcomes.models import MeasurementSite
from tests.conftest import Cast
from tests.outcomes.factories import analysis, photo, photo_consent, site, visit


def add(cast: Cast, entries: int) -> None:
    patient = cast.patient
    if not SignedConsent.objects.filter(patient=patient, kind="clinical_photography").exists():
        photo_consent(patient, cast.nurse)
    vertex = MeasurementSite.objects.filter(patient=patient).first() or site(patient, cast.nurse)
    start = timezone.localdate() - dt.timedelta(days=30 * entries)
    for number in range(entries):
        day = start + dt.timedelta(days=30 * number)
        recorded = visit(
            patient,
            cast.nurse,
            day,
            sites=[(vertex, {"density_per_cm2": 150 + number})],
            hair_count_60s=20 - number % 5,
        )
        services.site_measurement_add(
            actor=cast.nurse, visit=recorded, site=vertex, data={"density_per_cm2": 152 + number}
        )
        photo(
            patient,
            cast.nurse,
            view=["frontal", "vertex", "left", "right"][number % 4],
            taken_on=day,
        )
        if number % 5 == 0:
            analysis(patient, cast.practitioner, seed=number, site=vertex, taken_on=day)
