import pytest
from scipy.stats import binomtest

from mesotrack.safety.statistics import (
    binomial_p_greater,
    is_signal,
    rate_result,
    wilson_interval,
)

CASES = [(0, 10), (1, 10), (5, 100), (12, 200), (10, 10), (37, 1234), (500, 100_000)]


@pytest.mark.parametrize("events,trials", CASES)
def test_the_wilson_interval_matches_scipy(events: int, trials: int) -> None:
    reference = binomtest(events, trials).proportion_ci(confidence_level=0.95, method="wilson")
    interval = wilson_interval(events, trials)
    assert interval.low == pytest.approx(reference.low, abs=1e-12)
    assert interval.high == pytest.approx(reference.high, abs=1e-12)


def test_a_published_wilson_interval_is_reproduced() -> None:
    # Newcombe 1998, Statistics in Medicine 17:857, table I: 81/263 → 0.2553 to 0.3662.
    interval = wilson_interval(81, 263)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(
    "events,trials,baseline",
    [(1, 10, 0.05), (5, 40, 0.03), (12, 200, 0.03), (9, 100, 0.05), (60, 1000, 0.05)],
)
def test_the_one_sided_binomial_test_matches_scipy(events, trials, baseline) -> None:
    expected = binomtest(events, trials, baseline, alternative="greater").pvalue
    assert binomial_p_greater(events, trials, baseline) == pytest.approx(expected, rel=1e-9)


def test_no_sessions_give_no_interval_and_no_signal() -> None:
    result = rate_result(0, 0, 0.05)
    assert (result.rate_per_100, result.p_value, result.flagged) == (0.0, 1.0, False)
    assert (result.interval_per_100.low, result.interval_per_100.high) == (0.0, 0.0)


def test_it_never_flags_four_events_however_unlikely() -> None:
    result = rate_result(4, 4, 0.001)
    assert result.p_value < 1e-10
    assert result.flagged is False


def test_it_flags_five_events_significantly_above_the_baseline() -> None:
    result = rate_result(5, 10, 0.05)
    assert result.p_value == pytest.approx(binomtest(5, 10, 0.05, alternative="greater").pvalue)
    assert result.flagged is True
    assert result.rate_per_100 == 50.0


def _p(events: int, trials: int, baseline: float) -> float:
    return binomtest(events, trials, baseline, alternative="greater").pvalue


def test_p_just_below_0_01_flags_and_just_above_does_not() -> None:
    # With 100 sessions at a 5% baseline: 11 events give p ≈ 0.0115, 12 give p ≈ 0.0043.
    assert 0.01 < _p(11, 100, 0.05) < 0.012
    assert 0.004 < _p(12, 100, 0.05) < 0.01
    assert rate_result(11, 100, 0.05).flagged is False
    assert rate_result(12, 100, 0.05).flagged is True


def test_a_rate_below_the_baseline_is_never_flagged() -> None:
    assert is_signal(events=10, p_value=0.001, rate=0.01, baseline=0.05) is False


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="events must lie between 0 and trials"):
        wilson_interval(11, 10)
