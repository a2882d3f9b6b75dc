"""Pure statistics of the safety signals: rates per 100 sessions, Wilson intervals and the
one-sided exact binomial test against the clinic-wide rate. No database, no Django."""

import math
from dataclasses import dataclass

from scipy.stats import binom, norm

SIGNAL_P_VALUE = 0.01
SIGNAL_MIN_EVENTS = 5
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class RateResult:
    """`events` out of `sessions` (sessions with at least one adverse event), against `baseline`."""

    events: int
    sessions: int
    rate_per_100: float
    interval_per_100: Interval
    baseline_per_100: float
    p_value: float
    flagged: bool


def wilson_interval(events: int, trials: int, confidence: float = CONFIDENCE) -> Interval:
    """The Wilson score interval of a proportion (Wilson 1927), as proportions 0–1."""
    if trials <= 0:
        return Interval(0.0, 0.0)
    if not 0 <= events <= trials:
        raise ValueError("events must lie between 0 and trials")
    z = float(norm.ppf(1 - (1 - confidence) / 2))
    p = events / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def binomial_p_greater(events: int, trials: int, baseline: float) -> float:
    """P(X ≥ events) for X ~ Binomial(trials, baseline): the one-sided exact test."""
    if trials <= 0 or events <= 0:
        return 1.0
    if baseline <= 0:
        return 0.0
    if baseline >= 1:
        return 1.0
    return float(binom.sf(events - 1, trials, baseline))


def is_signal(events: int, p_value: float, rate: float, baseline: float) -> bool:
    """Flag a rate significantly above the baseline: p < 0.01 with at least 5 events."""
    return events >= SIGNAL_MIN_EVENTS and p_value < SIGNAL_P_VALUE and rate > baseline


def rate_result(events: int, sessions: int, baseline: float) -> RateResult:
    """Everything the signal page shows for one group; `baseline` is a proportion 0–1."""
    rate = events / sessions if sessions else 0.0
    interval = wilson_interval(events, sessions)
    p_value = binomial_p_greater(events, sessions, baseline)
    return RateResult(
        events=events,
        sessions=sessions,
        rate_per_100=100 * rate,
        interval_per_100=Interval(100 * interval.low, 100 * interval.high),
        baseline_per_100=100 * baseline,
        p_value=p_value,
        flagged=is_signal(events, p_value, rate, baseline),
    )
