"""Cohort analytics for managers: change from baseline of a measure, grouped (by sex, diagnosis,
stage, planned treatment, and whatever other apps register), with n, mean and a t-based 95%
confidence interval, the share of responders, and a mixed-effects model over time.

Groupings are a registry: an app that knows a patient's protocol or recipe (courses) adds one
with `register_cohort_grouping`, and the page and the CSV offer it at once.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mesotrack.accounts.models import Role
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.assessment.models import Assessment, AssessmentStatus, TreatmentPlan
from mesotrack.outcomes.codes import REFERENCE_REGIONS
from mesotrack.outcomes.measures import MEASURES, SITE_SERIES, VISIT_DERIVED, VISIT_SERIES, Measure
from mesotrack.outcomes.models import MeasurementVisit, OutcomeSettings, SiteMeasurement
from mesotrack.outcomes.progress import responder_rule
from mesotrack.outcomes.stats import (
    MeanCI,
    MixedModelResult,
    mean_ci,
    mixed_model_over_time,
    months_between,
    responder_status,
)
from mesotrack.patients.models import Patient, SexAtBirth

TREATED = "treated"
RESPONDER_MEASURE = "density_per_cm2"
GroupsFor = Callable[[Sequence[int]], dict[int, str]]


@dataclass(frozen=True)
class Grouping:
    key: str
    label: str
    groups_for: GroupsFor


_groupings: dict[str, Grouping] = {}


def register_cohort_grouping(key: str, label: str, groups_for: GroupsFor) -> None:
    """Offer a way to group patients: `groups_for(patient_ids)` → {patient id: group label}
    (one query, whatever the number of patients; patients left out go to "Not recorded")."""
    _groupings[key] = Grouping(key, label, groups_for)


def cohort_groupings() -> list[Grouping]:
    return list(_groupings.values())


def _everyone(patient_ids: Sequence[int]) -> dict[int, str]:
    return dict.fromkeys(patient_ids, "All patients")


def _sex(patient_ids: Sequence[int]) -> dict[int, str]:
    rows = Patient.objects.filter(pk__in=patient_ids).values_list("pk", "sex_at_birth")
    return {pk: SexAtBirth(sex).label for pk, sex in rows}


def _latest_assessments(patient_ids: Sequence[int]) -> dict[int, Assessment]:
    latest: dict[int, Assessment] = {}
    assessments = Assessment.objects.filter(
        patient_id__in=patient_ids, status=AssessmentStatus.SIGNED
    ).order_by("patient_id", "-assessed_on", "-id")
    for assessment in assessments:
        latest.setdefault(assessment.patient_id, assessment)
    return latest


def _diagnosis(patient_ids: Sequence[int]) -> dict[int, str]:
    return {
        pk: a.get_diagnosis_display() or "Not recorded"
        for pk, a in _latest_assessments(patient_ids).items()
    }


def _stage(patient_ids: Sequence[int]) -> dict[int, str]:
    return {
        pk: a.stage_label or "Not recorded" for pk, a in _latest_assessments(patient_ids).items()
    }


def _planned_treatment(patient_ids: Sequence[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    plans = TreatmentPlan.objects.filter(patient_id__in=patient_ids).order_by(
        "patient_id", "-decided_at", "-id"
    )
    for plan in plans:
        latest.setdefault(plan.patient_id, plan.get_chosen_modality_display())
    return latest


register_cohort_grouping("all", "All patients together", _everyone)
register_cohort_grouping("diagnosis", "Diagnosis", _diagnosis)
register_cohort_grouping("stage", "Stage", _stage)
register_cohort_grouping("sex", "Sex at birth", _sex)
register_cohort_grouping("planned_treatment", "Planned treatment", _planned_treatment)


@dataclass(frozen=True)
class CohortQuery:
    measure: str = RESPONDER_MEASURE
    region: str = TREATED
    months: int = 6
    window_days: int = 45
    grouping: str = "all"


@dataclass(frozen=True)
class PatientChange:
    patient_id: int
    record_number: str
    group: str
    baseline_on: dt.date
    baseline: float
    follow_up_on: dt.date
    follow_up: float
    responder: bool | None

    @property
    def change(self) -> float:
        return self.follow_up - self.baseline

    @property
    def percent_change(self) -> float | None:
        return 100.0 * self.change / self.baseline if self.baseline else None


@dataclass(frozen=True)
class GroupSummary:
    label: str
    change: MeanCI
    percent_change: MeanCI | None
    responders: int
    judged: int
    model: MixedModelResult | None


@dataclass(frozen=True)
class CohortResult:
    query: CohortQuery
    measure: Measure
    grouping: Grouping
    changes: list[PatientChange]
    groups: list[GroupSummary]
    overall: GroupSummary | None
    patients_with_data: int


Observation = tuple[int, dt.date, float]  # patient, day, value
PatientSeries = dict[int, list[tuple[dt.date, float]]]


def _site_series(clinic_ids: set[int], key: str, region: str) -> PatientSeries:
    """Per patient and visit, the mean of the sites measured at the baseline visit (so a site
    added later does not shift the series)."""
    captures = SiteMeasurement.objects.filter(
        visit__patient__clinic_id__in=clinic_ids,
        visit__patient__deleted_at__isnull=True,
        **{f"{key}__isnull": False},
    )
    if region == TREATED:
        captures = captures.exclude(site__region__in=list(REFERENCE_REGIONS))
    else:
        captures = captures.filter(site__region=region)
    values: dict[int, dict[dt.date, dict[int, list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for patient, day, site, value in captures.values_list(
        "visit__patient_id", "visit__measured_on", "site_id", key
    ):
        values[patient][day][site].append(float(value))
    series: PatientSeries = {}
    for patient, days in values.items():
        baseline_sites = set(days[min(days)])
        points = []
        for day in sorted(days):
            shared = [v for site, v in days[day].items() if site in baseline_sites]
            if shared:
                points.append((day, math.fsum(sum(v) / len(v) for v in shared) / len(shared)))
        series[patient] = points
    return series


def _visit_series(clinic_ids: set[int], key: str) -> PatientSeries:
    visits = MeasurementVisit.objects.filter(
        patient__clinic_id__in=clinic_ids, patient__deleted_at__isnull=True
    ).order_by("measured_on")
    derive = VISIT_DERIVED.get(key)
    fields = ["pull_test_hairs_held", "pull_test_hairs_out"] if derive else [key]
    series: PatientSeries = defaultdict(list)
    for visit in visits.only("patient_id", "measured_on", *fields):
        value = derive(visit) if derive else getattr(visit, key)
        if value is not None:
            series[visit.patient_id].append((visit.measured_on, float(value)))
    return dict(series)


def _follow_up(
    points: list[tuple[dt.date, float]], months: int, window_days: int
) -> tuple[dt.date, float] | None:
    baseline_on = points[0][0]
    target = baseline_on + dt.timedelta(days=round(months * 365.25 / 12))
    window = dt.timedelta(days=window_days)
    near = [p for p in points[1:] if abs(p[0] - target) <= window]
    return min(near, key=lambda p: (abs(p[0] - target), -p[0].toordinal())) if near else None


def _summary(
    label: str, changes: list[PatientChange], series: PatientSeries
) -> GroupSummary | None:
    change = mean_ci([c.change for c in changes])
    if change is None:
        return None
    percents = [c.percent_change for c in changes if c.percent_change is not None]
    judged = [c for c in changes if c.responder is not None]
    observations = [
        (c.patient_id, months_between(series[c.patient_id][0][0], day), value)
        for c in changes
        for day, value in series[c.patient_id]
    ]
    return GroupSummary(
        label=label,
        change=change,
        percent_change=mean_ci(percents),
        responders=sum(1 for c in judged if c.responder),
        judged=len(judged),
        model=mixed_model_over_time(observations),
    )


def _responders(
    clinic_ids: set[int], series: PatientSeries, clinic_of: dict[int, int], today: dt.date
) -> dict[int, bool | None]:
    settings = {s.clinic_id: s for s in OutcomeSettings.objects.filter(clinic_id__in=clinic_ids)}
    verdicts: dict[int, bool | None] = {}
    for patient, points in series.items():
        rule = responder_rule(settings.get(clinic_of[patient]) or OutcomeSettings())
        status = responder_status(points, rule, today)
        verdicts[patient] = (
            status.is_responder if status.state in ("responder", "non_responder") else None
        )
    return verdicts


def cohort_analysis(*, user: AnyUser, query: CohortQuery, today: dt.date) -> CohortResult:
    """Change from baseline to the visit nearest `months` later (within the window), for every
    patient of the clinics the user manages who has both."""
    clinic_ids = clinic_ids_for(user, [Role.MANAGER])
    measure = MEASURES[query.measure]
    grouping = _groupings.get(query.grouping, _groupings["all"])
    if query.measure in SITE_SERIES:
        series = _site_series(clinic_ids, query.measure, query.region)
    else:
        series = _visit_series(clinic_ids, query.measure)
    rows = Patient.objects.filter(pk__in=list(series)).values_list(
        "pk", "record_number", "clinic_id"
    )
    patients = {pk: number for pk, number, _ in rows}
    clinic_of = {pk: clinic for pk, _, clinic in rows}
    groups = grouping.groups_for(sorted(series))
    verdicts = (
        _responders(clinic_ids, series, clinic_of, today)
        if query.measure == RESPONDER_MEASURE
        else {}
    )
    changes = []
    for patient, points in sorted(series.items()):
        follow = _follow_up(points, query.months, query.window_days) if points else None
        if follow is None:
            continue
        changes.append(
            PatientChange(
                patient_id=patient,
                record_number=patients.get(patient, ""),
                group=groups.get(patient, "Not recorded"),
                baseline_on=points[0][0],
                baseline=points[0][1],
                follow_up_on=follow[0],
                follow_up=follow[1],
                responder=verdicts.get(patient),
            )
        )
    by_group: dict[str, list[PatientChange]] = defaultdict(list)
    for change in changes:
        by_group[change.group].append(change)
    summaries = [_summary(label, rows, series) for label, rows in sorted(by_group.items())]
    return CohortResult(
        query=query,
        measure=measure,
        grouping=grouping,
        changes=changes,
        groups=[s for s in summaries if s is not None],
        overall=_summary("All", changes, series),
        patients_with_data=len(series),
    )


def measure_choices() -> list[tuple[str, str]]:
    return [(key, MEASURES[key].label) for key in (*SITE_SERIES, *VISIT_SERIES)]
