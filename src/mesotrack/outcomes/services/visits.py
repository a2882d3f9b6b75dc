"""Writes of measurement visits and the site measures taken at them."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.measures import (
    SITE_FIELDS,
    VISIT_FIELDS,
    checked_site_values,
    checked_visit_values,
    has_visit_measure,
)
from mesotrack.outcomes.models import MeasurementSite, MeasurementVisit, SiteMeasurement
from mesotrack.outcomes.selectors import outcome_settings_for
from mesotrack.outcomes.services.common import checked_day, require_own_site
from mesotrack.outcomes.services.roles import require_recording_role
from mesotrack.patients.models import Patient

SiteEntry = tuple[MeasurementSite, Mapping[str, Any]]


def _is_blank(values: Mapping[str, Any]) -> bool:
    return all(values.get(name) in (None, "") for name in SITE_FIELDS)


def _site_values(
    patient: Patient, entries: Sequence[SiteEntry]
) -> list[tuple[MeasurementSite, dict]]:
    checked = []
    for index, (site, values) in enumerate(entries):
        if _is_blank(values):
            continue
        require_own_site(site, patient, field=f"sites.{index}.site")
        try:
            checked.append((site, checked_site_values(values)))
        except DomainError as error:
            raise DomainError(
                error.message, field=f"sites.{index}.{error.field}", code=error.code
            ) from None
    return checked


def _measurement(
    actor: User, visit: MeasurementVisit, site: MeasurementSite, values: dict, capture: int
) -> SiteMeasurement:
    threshold = outcome_settings_for(clinic_id=visit.patient.clinic_id).vellus_threshold_um
    measurement = SiteMeasurement(
        visit=visit,
        site=site,
        capture=capture,
        vellus_threshold_um=threshold,
        created_by=actor,
        **values,
    )
    measurement.full_clean()
    measurement.save()
    return measurement


def _measured(values: Mapping[str, Any]) -> list[str]:
    return sorted(name for name in VISIT_FIELDS if values.get(name) is not None)


@transaction.atomic
def measurement_visit_record(
    *,
    actor: User,
    patient: Patient,
    data: Mapping[str, Any],
    site_values: Sequence[SiteEntry] = (),
) -> MeasurementVisit:
    """Record one visit's outcome measures: the visit-level ones in `data` and, for each site
    in `site_values`, one capture (sites left blank are skipped). One visit per day: a repeat
    capture or a later measure is added to the existing visit instead.

    Errors name the field: "hair_count_60s", or "sites.<index>.<measure>" for a site's value.
    """
    require_recording_role(actor, patient)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()
    day = checked_day(data.get("measured_on"), patient, "measured_on")
    values = checked_visit_values(data)
    sites = _site_values(patient, site_values)
    if not has_visit_measure(values) and not sites:
        raise DomainError("Enter at least one measure.", code="empty")
    if MeasurementVisit.objects.filter(patient=patient, measured_on=day).exists():
        raise DomainError(
            f"There is already a measurement visit on {day:%d %b %Y}: add to it instead.",
            field="measured_on",
            code="visit_exists",
        )
    visit = MeasurementVisit(
        patient=patient, measured_on=day, created_by=actor, updated_by=actor, **values
    )
    visit.full_clean()
    visit.save()
    measurements = [_measurement(actor, visit, site, v, capture=1) for site, v in sites]
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=visit,
        detail={
            "measured_on": day.isoformat(),
            "measures": _measured(values),
            "site_measurements": [m.pk for m in measurements],
        },
    )
    return visit


@transaction.atomic
def measurement_visit_update(
    *, actor: User, visit: MeasurementVisit, data: Mapping[str, Any]
) -> MeasurementVisit:
    """Replace the visit-level measures, label and notes (checked as a whole)."""
    patient = visit.patient
    require_recording_role(actor, patient)
    MeasurementVisit.objects.select_for_update().filter(pk=visit.pk).exists()
    day = checked_day(data.get("measured_on") or visit.measured_on, patient, "measured_on")
    values = checked_visit_values(data)
    clash = MeasurementVisit.objects.filter(patient=patient, measured_on=day).exclude(pk=visit.pk)
    if clash.exists():
        raise DomainError(
            f"There is already a measurement visit on {day:%d %b %Y}.", field="measured_on"
        )
    values["measured_on"] = day
    changed = sorted(name for name, value in values.items() if getattr(visit, name) != value)
    if not changed:
        return visit
    for name, value in values.items():
        setattr(visit, name, value)
    visit.updated_by = actor
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor, action=Action.UPDATE, patient=patient, obj=visit, detail={"fields": changed}
    )
    return visit


def next_capture(visit: MeasurementVisit, site: MeasurementSite) -> int:
    last = SiteMeasurement.objects.filter(visit=visit, site=site).aggregate(n=Max("capture"))["n"]
    return (last or 0) + 1


@transaction.atomic
def site_measurement_add(
    *, actor: User, visit: MeasurementVisit, site: MeasurementSite, data: Mapping[str, Any]
) -> SiteMeasurement:
    """Add a capture of a site to a visit: the site's first, or a repeat capture that tells
    the measurement's own noise."""
    patient = visit.patient
    require_recording_role(actor, patient)
    require_own_site(site, patient)
    MeasurementVisit.objects.select_for_update().filter(pk=visit.pk).exists()
    values = checked_site_values(data)
    measurement = _measurement(actor, visit, site, values, capture=next_capture(visit, site))
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=measurement,
        detail={
            "visit": visit.pk,
            "site": site.pk,
            "capture": measurement.capture,
            "measures": sorted(k for k, v in values.items() if v is not None),
        },
    )
    return measurement
