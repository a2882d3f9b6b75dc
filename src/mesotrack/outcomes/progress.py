"""A patient's progress: each measure as a time series per site, its change from baseline set
against the measurement's own noise (the clinic's minimal detectable change), the responder
status, and the charts, drawn once here for the page and the PDF.

Five queries whatever the length of the history (settings, sites, site captures, visits, the
clinic's repeat captures), plus whatever registered session-marker providers run.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from mesotrack.outcomes import selectors
from mesotrack.outcomes.charts import ChartLine, ChartMarker, line_chart_svg
from mesotrack.outcomes.measures import (
    MEASURES,
    SITE_SERIES,
    VISIT_DERIVED,
    VISIT_SERIES,
    Measure,
)
from mesotrack.outcomes.models import (
    MeasurementSite,
    MeasurementVisit,
    OutcomeSettings,
    SiteMeasurement,
)
from mesotrack.outcomes.stats import (
    MinimalDetectableChange,
    ResponderRule,
    ResponderStatus,
    mdc_from_sums,
    responder_status,
)
from mesotrack.patients.models import Patient

PRIMARY_MEASURE = "density_per_cm2"

SessionMarkers = Callable[[Patient], list[ChartMarker]]
_session_marker_providers: list[SessionMarkers] = []


def register_session_markers(provider: SessionMarkers) -> SessionMarkers:
    """Let another app (courses, charting) mark its sessions on every progress chart."""
    if provider not in _session_marker_providers:
        _session_marker_providers.append(provider)
    return provider


@dataclass(frozen=True)
class SeriesPoint:
    day: dt.date
    value: float
    captures: int
    visit_id: int


@dataclass(frozen=True)
class Series:
    measure: Measure
    site: MeasurementSite | None
    points: tuple[SeriesPoint, ...]

    @property
    def label(self) -> str:
        return self.site.label if self.site else self.measure.label

    @property
    def baseline(self) -> SeriesPoint:
        return self.points[0]

    @property
    def latest(self) -> SeriesPoint:
        return self.points[-1]

    @property
    def change(self) -> float | None:
        return self.latest.value - self.baseline.value if len(self.points) > 1 else None

    @property
    def percent_change(self) -> float | None:
        change = self.change
        if change is None or not self.baseline.value:
            return None
        return 100.0 * change / self.baseline.value


@dataclass(frozen=True)
class ChangeRow:
    series: Series
    noise: MinimalDetectableChange | None

    @property
    def beyond_noise(self) -> bool | None:
        """True/False when the noise is known and there is a change; None otherwise."""
        if self.noise is None or self.series.change is None:
            return None
        return not self.noise.covers(self.series.change)

    @property
    def text(self) -> str:
        series, measure = self.series, self.series.measure
        start = f"{measure.format(series.baseline.value)} on {series.baseline.day:%d %b %Y}"
        if series.change is None:
            return f"Baseline {start}; no later measurement yet."
        percent = series.percent_change
        change = f"{series.change:+.{0 if measure.integer else measure.decimals}f}"
        share = f" ({percent:+.1f}%)" if percent is not None else ""
        end = f"{measure.format(series.latest.value)} on {series.latest.day:%d %b %Y}"
        return f"{start} → {end}: {change}{share}"


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    rows: tuple[ChangeRow, ...]
    charts: tuple[tuple[str, SafeString], ...]  # (caption, svg)
    noise: MinimalDetectableChange | None

    @property
    def noise_applies(self) -> bool:
        """Whether repeat captures measure this measure's noise (site measures, not counts)."""
        return self.measure.key in selectors.NOISE_FIELDS


@dataclass(frozen=True)
class PatientProgress:
    patient: Patient
    settings: OutcomeSettings
    sites: list[MeasurementSite]
    visits: list[MeasurementVisit]
    measures: list[MeasureProgress]
    noise: dict[str, MinimalDetectableChange]
    responder: ResponderStatus | None

    @property
    def primary(self) -> MeasureProgress | None:
        return next((m for m in self.measures if m.measure.key == PRIMARY_MEASURE), None)

    @property
    def has_data(self) -> bool:
        return bool(self.measures)


def _capture_value(capture: SiteMeasurement, key: str) -> float | None:
    value = getattr(capture, key)
    return None if value is None else float(value)


def _site_series(captures: Sequence[SiteMeasurement], key: str) -> list[Series]:
    grouped: dict[int, dict[int, list[SiteMeasurement]]] = defaultdict(lambda: defaultdict(list))
    sites: dict[int, MeasurementSite] = {}
    for capture in captures:
        grouped[capture.site_id][capture.visit_id].append(capture)
        sites[capture.site_id] = capture.site
    series = []
    for site_id, by_visit in grouped.items():
        points = []
        for visit_id, group in by_visit.items():
            values = [v for v in (_capture_value(c, key) for c in group) if v is not None]
            if values:
                day = group[0].visit.measured_on
                points.append(
                    SeriesPoint(day, math.fsum(values) / len(values), len(values), visit_id)
                )
        if points:
            points.sort(key=lambda p: p.day)
            series.append(Series(MEASURES[key], sites[site_id], tuple(points)))
    return sorted(
        series, key=lambda s: (s.site.is_reference if s.site else False, s.site.pk if s.site else 0)
    )


def _visit_series(visits: Sequence[MeasurementVisit], key: str) -> list[Series]:
    derive = VISIT_DERIVED.get(key)
    points = []
    for visit in visits:
        value = derive(visit) if derive else getattr(visit, key)
        if value is not None:
            points.append(SeriesPoint(visit.measured_on, float(value), 1, visit.pk))
    return [Series(MEASURES[key], None, tuple(points))] if points else []


def _chart(
    title: str,
    measure: Measure,
    series: Sequence[Series],
    noise: MinimalDetectableChange | None,
    markers: Sequence[ChartMarker],
) -> SafeString:
    single = series[0] if len(series) == 1 else None
    svg = line_chart_svg(
        title=title,
        unit=measure.unit,
        lines=[ChartLine(s.label, tuple((p.day, p.value) for p in s.points)) for s in series],
        baseline=single.baseline.value if single else None,
        noise=noise.mdc95 if (single and noise) else None,
        markers=markers,
        decimals=0 if measure.integer else measure.decimals,
    )
    # Built by charts.line_chart_svg, which escapes every text it writes.
    return mark_safe(svg)  # noqa: S308


def _measure_progress(
    measure: Measure,
    series: list[Series],
    noise: MinimalDetectableChange | None,
    markers: Sequence[ChartMarker],
) -> MeasureProgress:
    if measure.key == PRIMARY_MEASURE:
        charts = tuple(
            (
                f"{measure.label} at {s.label}",
                _chart(f"{measure.label}, {s.label}", measure, [s], noise, markers),
            )
            for s in series
        )
    else:
        charts = ((measure.label, _chart(measure.label, measure, series, noise, markers)),)
    rows = tuple(ChangeRow(s, noise) for s in series)
    return MeasureProgress(measure=measure, rows=rows, charts=charts, noise=noise)


def _responder(
    captures: Iterable[SiteMeasurement], rule: ResponderRule, today: dt.date
) -> ResponderStatus | None:
    """Density of the treated (non-reference) sites: each visit's value is the baseline mean
    times the mean ratio now/baseline over the sites measured both then and at that visit, so
    a site added later neither raises nor lowers the result."""
    by_day: dict[dt.date, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for capture in captures:
        if capture.site.is_reference or capture.density_per_cm2 is None:
            continue
        by_day[capture.visit.measured_on][capture.site_id].append(capture.density_per_cm2)
    if not by_day:
        return None
    baseline = {site: _mean(values) for site, values in by_day[min(by_day)].items()}
    overall = _mean(list(baseline.values()))
    points = []
    for day, sites in sorted(by_day.items()):
        ratios = [_mean(v) / baseline[s] for s, v in sites.items() if baseline.get(s)]
        if ratios:
            points.append((day, overall * _mean(ratios)))
    return responder_status(points, rule, today)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def responder_rule(settings: OutcomeSettings) -> ResponderRule:
    return ResponderRule(
        gain_percent=settings.responder_gain_percent,
        after_months=settings.responder_after_months,
        window_days=settings.responder_window_days,
    )


def _markers(patient: Patient, visits: Sequence[MeasurementVisit]) -> list[ChartMarker]:
    markers = [ChartMarker(v.measured_on, v.label or "Measurement visit") for v in visits]
    for provider in _session_marker_providers:
        markers.extend(provider(patient))
    return markers


def patient_progress(
    *, patient: Patient, today: dt.date, measures: Sequence[str] | None = None
) -> PatientProgress:
    """Every measure the patient has data for, with its series, change and charts."""
    settings = selectors.outcome_settings_for(clinic_id=patient.clinic_id)
    sites = selectors.sites_for_patient(patient=patient)
    captures = selectors.site_measurements_for_patient(patient=patient)
    visits = selectors.visits_for_patient(patient=patient)
    noise = {
        key: mdc
        for key, sums in selectors.repeat_capture_sums(clinic_id=patient.clinic_id).items()
        if (mdc := mdc_from_sums(sums)) is not None
    }
    markers = _markers(patient, visits)
    wanted = measures or (*SITE_SERIES, *VISIT_SERIES)
    progress = []
    for key in wanted:
        series = _site_series(captures, key) if key in SITE_SERIES else _visit_series(visits, key)
        if series:
            progress.append(_measure_progress(MEASURES[key], series, noise.get(key), markers))
    rule = responder_rule(settings)
    return PatientProgress(
        patient=patient,
        settings=settings,
        sites=sites,
        visits=visits,
        measures=progress,
        noise=noise,
        responder=_responder(captures, rule, today),
    )
