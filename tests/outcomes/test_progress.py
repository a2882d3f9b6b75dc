import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.outcomes import services
from mesotrack.outcomes.charts import ChartMarker
from mesotrack.outcomes.models import OutcomeSettings
from mesotrack.outcomes.progress import patient_progress, register_session_markers
from mesotrack.outcomes.stats import mdc_from_captures
from tests.outcomes.factories import site, visit


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


def baseline_day() -> dt.date:
    return today() - dt.timedelta(days=200)


def six_months_of_density(cast, vertex, occiput, gain=0.12):
    baseline = visit(
        cast.patient,
        cast.nurse,
        baseline_day(),
        sites=[(vertex, {"density_per_cm2": 150}), (occiput, {"density_per_cm2": 210})],
        hair_count_60s=14,
    )
    services.site_measurement_add(
        actor=cast.nurse, visit=baseline, site=vertex, data={"density_per_cm2": 154}
    )
    visit(
        cast.patient,
        cast.nurse,
        baseline_day() + dt.timedelta(days=91),
        sites=[(vertex, {"density_per_cm2": 156})],
        hair_count_60s=11,
    )
    visit(
        cast.patient,
        cast.nurse,
        baseline_day() + dt.timedelta(days=183),
        sites=[
            (vertex, {"density_per_cm2": 152 * (1 + gain)}),
            (occiput, {"density_per_cm2": 205}),
        ],
        hair_count_60s=9,
    )


@pytest.fixture
def sites(cast):
    vertex = site(cast.patient, cast.nurse)
    occiput = site(
        cast.patient,
        cast.nurse,
        label="Occiput",
        region="occipital",
        landmark="occipital_protuberance",
        offset_back_mm=-20,
    )
    return vertex, occiput


def test_each_measure_becomes_a_series_per_site_with_repeat_captures_averaged(cast, sites):
    six_months_of_density(cast, *sites)
    progress = patient_progress(patient=cast.patient, today=today())
    density = progress.primary
    vertex_series = density.rows[0].series
    assert vertex_series.label == "Vertex A"
    assert [(p.value, p.captures) for p in vertex_series.points] == [
        (152.0, 2),
        (156.0, 1),
        (pytest.approx(170.24), 1),
    ]
    assert vertex_series.change == pytest.approx(18.24)
    # The reference site is listed after the treated one.
    assert density.rows[1].series.label == "Occiput"
    counts = next(m for m in progress.measures if m.measure.key == "hair_count_60s")
    assert [p.value for p in counts.rows[0].series.points] == [14.0, 11.0, 9.0]


def test_the_noise_band_comes_from_the_clinics_repeat_captures(cast, sites):
    six_months_of_density(cast, *sites)
    other = site(cast.patient, cast.nurse, label="Frontal", region="frontal")
    day = visit(cast.patient, cast.nurse, today(), sites=[(other, {"density_per_cm2": 170})])
    services.site_measurement_add(
        actor=cast.nurse, visit=day, site=other, data={"density_per_cm2": 180}
    )
    progress = patient_progress(patient=cast.patient, today=today())
    expected = mdc_from_captures([[150.0, 154.0], [170.0, 180.0]])
    assert progress.primary.noise.mdc95 == pytest.approx(expected.mdc95)
    vertex_row = progress.primary.rows[0]
    assert vertex_row.beyond_noise == (abs(vertex_row.series.change) >= expected.mdc95)


def test_without_repeat_captures_the_change_is_not_judged_against_noise(cast, sites):
    vertex, _ = sites
    visit(cast.patient, cast.nurse, baseline_day(), sites=[(vertex, {"density_per_cm2": 150})])
    visit(cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 151})])
    progress = patient_progress(patient=cast.patient, today=today())
    assert progress.primary.noise is None
    assert progress.primary.rows[0].beyond_noise is None


def test_a_small_change_is_shown_as_within_the_noise(cast, sites):
    vertex, _ = sites
    day = visit(
        cast.patient, cast.nurse, baseline_day(), sites=[(vertex, {"density_per_cm2": 150})]
    )
    services.site_measurement_add(
        actor=cast.nurse, visit=day, site=vertex, data={"density_per_cm2": 160}
    )
    visit(cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 158})])
    row = patient_progress(patient=cast.patient, today=today()).primary.rows[0]
    assert row.series.change == pytest.approx(3.0)
    assert row.beyond_noise is False


def test_the_responder_status_uses_treated_sites_only(cast, sites):
    six_months_of_density(cast, *sites, gain=0.12)
    responder = patient_progress(patient=cast.patient, today=today()).responder
    assert responder.state == "responder"
    assert responder.baseline == pytest.approx(152.0)
    assert responder.gain_percent == pytest.approx(12.0)


def test_a_clinic_with_a_stricter_rule_judges_the_same_patient_otherwise(cast, sites):
    six_months_of_density(cast, *sites, gain=0.12)
    OutcomeSettings.objects.create(clinic=cast.clinic, responder_gain_percent=15)
    responder = patient_progress(patient=cast.patient, today=today()).responder
    assert responder.state == "non_responder"


def test_the_charts_carry_every_visit_and_registered_session_marks(cast, sites):
    six_months_of_density(cast, *sites)
    marker = ChartMarker(baseline_day() + dt.timedelta(days=30), "Session 2", kind="session")
    provider = register_session_markers(lambda patient: [marker])
    try:
        progress = patient_progress(patient=cast.patient, today=today())
    finally:
        from mesotrack.outcomes import progress as module

        module._session_marker_providers.remove(provider)
    caption, svg = progress.primary.charts[0]
    assert caption == "Density at Vertex A"
    assert svg.count('class="point"') == 3
    assert f'data-date="{baseline_day().isoformat()}"' in svg
    assert 'class="marker session"' in svg
    assert 'class="noise-band"' in svg


def test_a_patient_without_measures_has_no_progress(cast):
    progress = patient_progress(patient=cast.patient, today=today())
    assert (progress.has_data, progress.responder, progress.primary) == (False, None, None)
