"""Cohort analytics for managers: change from baseline by group, with the references' CI and
mixed model; the CSV export is audited."""

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from django.urls import reverse
from django.utils import timezone
from scipy import stats as scipy_stats

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.outcomes.cohort import CohortQuery, cohort_analysis, register_cohort_grouping
from mesotrack.outcomes.stats import months_between
from tests.factories import PatientFactory
from tests.outcomes.factories import site, visit

# (sex, baseline density, density at 3 months, density at 6 months)


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


def baseline_day() -> dt.date:
    return today() - dt.timedelta(days=200)


PEOPLE = [
    ("male", 150.0, 156.0, 168.0),
    ("male", 140.0, 141.0, 143.0),
    ("male", 160.0, 170.0, 181.0),
    ("female", 170.0, 172.0, 171.0),
    ("female", 155.0, 160.0, 172.0),
    ("female", 145.0, 150.0, 149.0),
]
DAYS = [0, 91, 183]


@pytest.fixture
def cohort(cast):
    patients = []
    for number, (sex, *densities) in enumerate(PEOPLE):
        patient = PatientFactory(clinic=cast.clinic, sex_at_birth=sex)
        vertex = site(patient, cast.nurse)
        for days, density in zip(DAYS, densities, strict=True):
            visit(
                patient,
                cast.nurse,
                baseline_day() + dt.timedelta(days=days),
                sites=[(vertex, {"density_per_cm2": density})],
                asfs_total=number,
            )
        patients.append(patient)
    # Another clinic's patient never counts for this manager.
    elsewhere = site(cast.other_patient, cast.other_practitioner)
    visit(
        cast.other_patient,
        cast.other_practitioner,
        baseline_day(),
        sites=[(elsewhere, {"density_per_cm2": 100})],
    )
    visit(
        cast.other_patient,
        cast.other_practitioner,
        baseline_day() + dt.timedelta(days=183),
        sites=[(elsewhere, {"density_per_cm2": 300})],
    )
    return patients


def run(cast, **query) -> object:
    return cohort_analysis(user=cast.manager, query=CohortQuery(**query), today=today())


def test_the_change_at_six_months_has_scipys_confidence_interval(cast, cohort):
    result = run(cast)
    changes = [d6 - d0 for _, d0, _, d6 in PEOPLE]
    assert sorted(c.change for c in result.changes) == sorted(changes)
    low, high = scipy_stats.t.interval(
        0.95, len(changes) - 1, loc=np.mean(changes), scale=scipy_stats.sem(changes)
    )
    overall = result.overall
    assert overall.change.n == 6
    assert overall.change.mean == pytest.approx(np.mean(changes))
    assert (overall.change.low, overall.change.high) == (pytest.approx(low), pytest.approx(high))
    # Responders: at least 10% by six months (clinic default).
    assert (overall.responders, overall.judged) == (3, 6)


def test_the_groups_split_by_sex(cast, cohort):
    result = run(cast, grouping="sex")
    assert [(g.label, g.change.n) for g in result.groups] == [("Female", 3), ("Male", 3)]
    male = [d6 - d0 for sex, d0, _, d6 in PEOPLE if sex == "male"]
    assert result.groups[1].change.mean == pytest.approx(np.mean(male))


def test_the_trend_is_a_direct_statsmodels_mixed_model(cast, cohort):
    result = run(cast)
    rows = []
    for patient, (_, *densities) in zip(cohort, PEOPLE, strict=True):
        for days, density in zip(DAYS, densities, strict=True):
            day = baseline_day() + dt.timedelta(days=days)
            rows.append((patient.pk, months_between(baseline_day(), day), density))
    frame = pd.DataFrame(rows, columns=["patient", "months", "value"])
    reference = smf.mixedlm("value ~ months", frame, groups=frame["patient"]).fit()
    assert result.overall.model.slope_per_month == pytest.approx(
        reference.fe_params["months"], rel=1e-6
    )
    assert result.overall.model.patients == 6


def test_a_visit_measure_and_the_three_month_mark(cast, cohort):
    result = run(cast, measure="asfs_total", months=3)
    assert result.overall.change.n == 6 and result.overall.change.mean == 0
    assert result.overall.judged == 0  # responders are judged on density only


def test_another_app_can_add_a_grouping(cast, cohort):
    register_cohort_grouping(
        "protocol", "Protocol", lambda ids: {pk: "Dutasteride meso" for pk in ids}
    )
    try:
        result = run(cast, grouping="protocol")
    finally:
        from mesotrack.outcomes import cohort as module

        del module._groupings["protocol"]
    assert [g.label for g in result.groups] == ["Dutasteride meso"]


def test_the_page_and_the_csv_are_for_managers_and_audited(cast, cohort, client_for):
    page = client_for(cast.manager).get(reverse("cohort:analytics") + "?grouping=sex")
    assert page.status_code == 200
    assert 'data-testid="cohort-table"' in page.content.decode()
    export = client_for(cast.manager).get(reverse("cohort:export") + "?grouping=sex")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert export["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == 6 and {r["group"] for r in rows} == {"Male", "Female"}
    assert rows[0]["measure"] == "density_per_cm2"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert sorted(event.detail["patient_ids"]) == sorted(p.pk for p in cohort)
    summary = client_for(cast.manager).get(reverse("cohort:export") + "?kind=summary")
    lines = list(csv.reader(io.StringIO(summary.content.decode())))
    assert lines[0][:3] == ["group", "n", "mean_change"] and lines[-1][0] == "All"
    for user in (cast.practitioner, cast.nurse, cast.receptionist):
        assert client_for(user).get(reverse("cohort:export")).status_code == 403
