"""Statistics of outcome measures. Pure functions over plain numbers.

- Means with t-based 95% confidence intervals.
- The minimal detectable change: SEM from repeated same-day captures of the same site (pooled
  within-site standard deviation), MDC95 = 1.96 × √2 × SEM (trichoscopy.md §5).
- Responder status: the gain from baseline at the visit nearest a target time (default ≥ 10%
  density gain at 6 months; each clinic can change it).
- A linear mixed-effects model of a measure over time with a random intercept per patient
  (statsmodels MixedLM).
"""

import datetime as dt
import math
import statistics
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

DAYS_PER_MONTH = 365.25 / 12
Z_95 = 1.96


@dataclass(frozen=True)
class MeanCI:
    n: int
    mean: float
    sd: float | None
    low: float | None
    high: float | None


def mean_ci(values: Sequence[float], confidence: float = 0.95) -> MeanCI | None:
    """Mean with a two-sided t-based confidence interval (none below two values)."""
    n = len(values)
    if n == 0:
        return None
    mean = math.fsum(values) / n
    if n < 2:
        return MeanCI(n=n, mean=mean, sd=None, low=None, high=None)
    sd = statistics.stdev(values)
    margin = float(scipy_stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return MeanCI(n=n, mean=mean, sd=sd, low=mean - margin, high=mean + margin)


@dataclass(frozen=True)
class MinimalDetectableChange:
    sem: float
    mdc95: float
    groups: int  # sites captured more than once on one day
    captures: int
    degrees_of_freedom: int

    def covers(self, change: float) -> bool:
        """True when a change is no larger than the measurement's own noise."""
        return abs(change) < self.mdc95


RepeatGroup = tuple[int, float, float]  # captures, sum, sum of squares


def mdc_from_sums(groups: Iterable[RepeatGroup]) -> MinimalDetectableChange | None:
    """SEM as the pooled within-group standard deviation of repeat captures; None without any."""
    squares, freedom, count, captures = 0.0, 0, 0, 0
    for n, total, total_squares in groups:
        if n < 2:
            continue
        squares += max(total_squares - total * total / n, 0.0)
        freedom += n - 1
        count += 1
        captures += n
    if freedom == 0:
        return None
    sem = math.sqrt(squares / freedom)
    return MinimalDetectableChange(
        sem=sem,
        mdc95=Z_95 * math.sqrt(2) * sem,
        groups=count,
        captures=captures,
        degrees_of_freedom=freedom,
    )


def mdc_from_captures(groups: Iterable[Sequence[float]]) -> MinimalDetectableChange | None:
    """The same from the raw values of each group of repeat captures."""
    return mdc_from_sums(
        (len(values), math.fsum(values), math.fsum(v * v for v in values)) for values in groups
    )


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


@dataclass(frozen=True)
class ResponderRule:
    gain_percent: float = 10.0
    after_months: int = 6
    window_days: int = 45

    @property
    def text(self) -> str:
        return f"a gain of at least {self.gain_percent:g}% at {self.after_months} months"


class ResponderState:
    RESPONDER = "responder"
    NON_RESPONDER = "non_responder"
    TOO_EARLY = "too_early"
    NOT_MEASURED = "not_measured"
    NO_BASELINE = "no_baseline"


@dataclass(frozen=True)
class ResponderStatus:
    state: str
    rule: ResponderRule
    baseline_on: dt.date | None = None
    baseline: float | None = None
    follow_up_on: dt.date | None = None
    follow_up: float | None = None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline

    @property
    def gain_percent(self) -> float | None:
        if self.change is None or not self.baseline:
            return None
        return 100.0 * self.change / self.baseline

    @property
    def is_responder(self) -> bool:
        return self.state == ResponderState.RESPONDER


def responder_status(
    points: Sequence[tuple[dt.date, float]], rule: ResponderRule, today: dt.date
) -> ResponderStatus:
    """Responder when the value at the visit nearest `after_months` (within the window) is at
    least `gain_percent` above the first value."""
    ordered = sorted(points)
    if not ordered or ordered[0][1] <= 0:
        return ResponderStatus(ResponderState.NO_BASELINE, rule)
    baseline_on, baseline = ordered[0]
    target = baseline_on + dt.timedelta(days=round(rule.after_months * DAYS_PER_MONTH))
    window = dt.timedelta(days=rule.window_days)
    candidates = [(d, v) for d, v in ordered[1:] if abs(d - target) <= window]
    if not candidates:
        state = (
            ResponderState.TOO_EARLY if today <= target + window else ResponderState.NOT_MEASURED
        )
        return ResponderStatus(state, rule, baseline_on, baseline)
    follow_up_on, follow_up = min(candidates, key=lambda p: (abs(p[0] - target), -p[0].toordinal()))
    gain = 100.0 * (follow_up - baseline) / baseline
    state = ResponderState.RESPONDER if gain >= rule.gain_percent else ResponderState.NON_RESPONDER
    return ResponderStatus(state, rule, baseline_on, baseline, follow_up_on, follow_up)


@dataclass(frozen=True)
class MixedModelResult:
    slope_per_month: float
    slope_low: float
    slope_high: float
    p_value: float
    intercept: float
    patients: int
    observations: int
    converged: bool


MIN_PATIENTS = 3


def mixed_model_over_time(
    observations: Sequence[tuple[int, float, float]],
) -> MixedModelResult | None:
    """Fit value = a + b·months + u(patient) + e, with a random intercept u per patient.

    `observations` are (patient id, months since that patient's baseline, value). None when
    there are too few patients or the fit fails.
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    patients = {patient for patient, _, _ in observations}
    if len(patients) < MIN_PATIENTS or len(observations) < len(patients) + 2:
        return None
    groups = np.array([patient for patient, _, _ in observations])
    months = np.array([m for _, m, _ in observations], dtype=float)
    values = np.array([v for _, _, v in observations], dtype=float)
    design = np.column_stack([np.ones_like(months), months])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fitted = MixedLM(values, design, groups=groups).fit()
        except (ValueError, np.linalg.LinAlgError):
            return None
    if not np.all(np.isfinite(fitted.fe_params)):
        return None
    interval = np.asarray(fitted.conf_int())[1]
    converged = bool(fitted.converged) and not any(
        "converge" in str(w.message).lower() for w in caught
    )
    return MixedModelResult(
        slope_per_month=float(fitted.fe_params[1]),
        slope_low=float(interval[0]),
        slope_high=float(interval[1]),
        p_value=float(fitted.pvalues[1]),
        intercept=float(fitted.fe_params[0]),
        patients=len(patients),
        observations=len(observations),
        converged=converged,
    )
