"""The statistics equal their scipy and statsmodels references, and the responder rule follows
its worked cases."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as scipy_stats

from mesotrack.outcomes.stats import (
    ResponderRule,
    ResponderState,
    mdc_from_captures,
    mdc_from_sums,
    mean_ci,
    mixed_model_over_time,
    responder_status,
)

BASELINE = dt.date(2026, 1, 5)


def test_the_confidence_interval_is_scipys_t_interval():
    changes = [12.0, 3.5, -4.0, 18.25, 7.0, 9.5, 0.0]
    result = mean_ci(changes)
    low, high = scipy_stats.t.interval(
        0.95, len(changes) - 1, loc=np.mean(changes), scale=scipy_stats.sem(changes)
    )
    assert result.n == 7
    assert result.mean == pytest.approx(np.mean(changes))
    assert result.sd == pytest.approx(np.std(changes, ddof=1))
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))


def test_a_single_value_has_a_mean_and_no_interval():
    assert mean_ci([4.0]).low is None
    assert mean_ci([]) is None


def test_the_noise_is_the_pooled_within_site_deviation_of_repeat_captures():
    groups = [[150.0, 154.0], [201.0, 195.0, 198.0], [120.0, 121.5], [88.0]]
    result = mdc_from_captures(groups)
    repeated = [g for g in groups if len(g) > 1]
    squares = sum(((np.asarray(g) - np.mean(g)) ** 2).sum() for g in repeated)
    freedom = sum(len(g) - 1 for g in repeated)
    sem = math.sqrt(squares / freedom)
    assert (result.groups, result.captures, result.degrees_of_freedom) == (3, 7, 4)
    assert result.sem == pytest.approx(sem)
    assert result.mdc95 == pytest.approx(1.96 * math.sqrt(2) * sem)


def test_the_noise_of_pairs_is_the_paired_differences_sd_over_root_two():
    pairs = [(150.0, 154.0), (160.0, 157.0), (171.0, 170.0), (140.0, 146.0)]
    differences = [a - b for a, b in pairs]
    expected_sem = math.sqrt(sum(d * d for d in differences) / (2 * len(pairs)))
    assert mdc_from_captures(pairs).sem == pytest.approx(expected_sem)


def test_sums_from_the_database_give_the_same_noise():
    groups = [[150.0, 154.0], [201.0, 195.0, 198.0]]
    sums = [(len(g), sum(g), sum(v * v for v in g)) for g in groups]
    assert mdc_from_sums(sums) == mdc_from_captures(groups)


def test_without_repeat_captures_the_noise_is_unknown():
    assert mdc_from_captures([[150.0], [160.0]]) is None
    assert mdc_from_sums([]) is None


def test_a_change_within_the_noise_is_not_detectable():
    noise = mdc_from_captures([[150.0, 154.0], [160.0, 156.0]])
    assert noise.covers(noise.mdc95 - 0.1)
    assert not noise.covers(-(noise.mdc95 + 0.1))


def _observations(seed: int = 3, patients: int = 12) -> list[tuple[int, float, float]]:
    rng = np.random.default_rng(seed)
    rows = []
    for patient in range(patients):
        level = rng.normal(150, 15)
        for months in (0.0, 3.1, 6.0):
            rows.append((patient + 100, months, level + 1.8 * months + rng.normal(0, 4)))
    return rows


def test_the_mixed_model_equals_a_direct_statsmodels_fit():
    rows = _observations()
    result = mixed_model_over_time(rows)
    frame = pd.DataFrame(rows, columns=["patient", "months", "value"])
    reference = smf.mixedlm("value ~ months", frame, groups=frame["patient"]).fit()
    assert result.slope_per_month == pytest.approx(reference.fe_params["months"], rel=1e-6)
    assert result.intercept == pytest.approx(reference.fe_params["Intercept"], rel=1e-6)
    low, high = reference.conf_int().loc["months"]
    assert (result.slope_low, result.slope_high) == (
        pytest.approx(low, rel=1e-6),
        pytest.approx(high, rel=1e-6),
    )
    assert result.p_value == pytest.approx(reference.pvalues["months"], rel=1e-6)
    assert (result.patients, result.observations, result.converged) == (12, 36, True)


def test_the_mixed_model_needs_three_patients():
    assert mixed_model_over_time(_observations(patients=2)) is None


def _series(*points: tuple[int, float]) -> list[tuple[dt.date, float]]:
    return [(BASELINE + dt.timedelta(days=days), value) for days, value in points]


@pytest.mark.parametrize(
    "follow_up,state",
    [
        (166.0, ResponderState.RESPONDER),  # +10.7%
        (165.0, ResponderState.RESPONDER),  # exactly +10%: "at least"
        (164.0, ResponderState.NON_RESPONDER),  # +9.3%
        (140.0, ResponderState.NON_RESPONDER),
    ],
)
def test_a_responder_gains_at_least_ten_percent_density_at_six_months(follow_up, state):
    status = responder_status(
        _series((0, 150.0), (91, 158.0), (183, follow_up)), ResponderRule(), BASELINE
    )
    assert status.state == state
    assert status.follow_up == follow_up
    assert status.gain_percent == pytest.approx(100 * (follow_up - 150) / 150)


def test_the_visit_nearest_six_months_decides_within_the_window():
    status = responder_status(
        _series((0, 150.0), (160, 170.0), (190, 160.0), (260, 200.0)),
        ResponderRule(),
        BASELINE + dt.timedelta(days=300),
    )
    assert status.follow_up_on == BASELINE + dt.timedelta(days=190)
    assert status.state == ResponderState.NON_RESPONDER


def test_it_is_too_early_before_six_months_and_unmeasured_after_the_window():
    early = responder_status(
        _series((0, 150.0), (91, 170.0)), ResponderRule(), BASELINE + dt.timedelta(days=120)
    )
    assert early.state == ResponderState.TOO_EARLY
    missed = responder_status(
        _series((0, 150.0), (91, 170.0)), ResponderRule(), BASELINE + dt.timedelta(days=400)
    )
    assert missed.state == ResponderState.NOT_MEASURED


def test_the_clinic_can_change_the_rule():
    rule = ResponderRule(gain_percent=5, after_months=3, window_days=20)
    status = responder_status(_series((0, 150.0), (92, 158.0)), rule, BASELINE)
    assert status.state == ResponderState.RESPONDER
    assert rule.text == "a gain of at least 5% at 3 months"
