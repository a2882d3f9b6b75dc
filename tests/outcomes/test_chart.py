import datetime as dt

from django.utils import timezone

from mesotrack.outcomes.chart import outcomes_chart_section, outcomes_timeline
from tests.outcomes.factories import analysis, photo, site, visit


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


def test_the_chart_shows_density_its_noise_and_the_responder_status(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    visit(
        cast.patient,
        cast.nurse,
        today() - dt.timedelta(days=183),
        sites=[(vertex, {"density_per_cm2": 150})],
    )
    visit(cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 168})])
    page = client_for(cast.practitioner).get(f"/patients/{cast.patient.pk}/").content.decode()
    assert 'data-testid="outcomes-section"' in page
    assert "Responder" in page and "(12.0%)" in page
    assert page.count('class="point"') == 2
    assert "Measurement noise unknown" in page
    assert "Record measurements" in page


def test_receptionists_see_no_outcomes_on_the_chart(cast):
    assert outcomes_chart_section(cast.patient, cast.receptionist) is None
    assert outcomes_timeline(cast.patient, cast.receptionist) == []
    section = outcomes_chart_section(cast.patient, cast.manager)
    assert section.context["can_record"] is False
    assert section.context["primary"] is None


def test_the_timeline_lists_visits_analyses_and_a_day_of_photographs(cast, consented):
    day = today() - dt.timedelta(days=30)
    visit(cast.patient, cast.nurse, day, hair_count_60s=12, label="Baseline")
    for view in ("frontal", "vertex", "left", "right"):
        photo(cast.patient, cast.nurse, view=view, taken_on=day)
    done = analysis(cast.patient, cast.nurse, taken_on=day)
    entries = {entry.title: entry for entry in outcomes_timeline(cast.patient, cast.practitioner)}
    assert set(entries) == {"Measurements: Baseline", "4 photographs", "Trichoscopy"}
    assert entries["4 photographs"].detail == "frontal, left side, right side, vertex"
    assert entries["Trichoscopy"].detail == (
        f"{done.hair_count} hairs, {done.density_per_cm2:.0f} hairs/cm²"
    )
    assert all(entry.when.date() == day for entry in entries.values())
