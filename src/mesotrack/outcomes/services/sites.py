"""Writes of measurement sites: spots on the scalp that every visit measures again."""

import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.codes import Landmark, ScalpRegion
from mesotrack.outcomes.models import MeasurementSite
from mesotrack.outcomes.services.common import checked_notes
from mesotrack.outcomes.services.roles import require_recording_role
from mesotrack.patients.models import Patient

LABEL_LIMIT = 60
OFFSET_LIMIT_MM = 250


def _offset(data: Mapping[str, Any], name: str) -> float | None:
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DomainError("Enter a number of millimetres.", field=name) from None
    if not math.isfinite(value) or abs(value) > OFFSET_LIMIT_MM:
        raise DomainError(
            f"An offset is from −{OFFSET_LIMIT_MM} to {OFFSET_LIMIT_MM} mm.", field=name
        )
    return value


def _checked(patient: Patient, data: Mapping[str, Any]) -> dict[str, Any]:
    label = str(data.get("label") or "").strip()
    if not label:
        raise DomainError("Name the site, for example “Vertex A”.", field="label")
    if len(label) > LABEL_LIMIT:
        raise DomainError(f"Keep the name under {LABEL_LIMIT} characters.", field="label")
    if MeasurementSite.objects.filter(patient=patient, label__iexact=label).exists():
        raise DomainError(f"This patient already has a site called “{label}”.", field="label")
    region = data.get("region") or ""
    if region not in ScalpRegion.values:
        raise DomainError("Choose the scalp region.", field="region")
    landmark = data.get("landmark") or ""
    if landmark and landmark not in Landmark.values:
        raise DomainError("Choose a landmark from the list.", field="landmark")
    back, right = _offset(data, "offset_back_mm"), _offset(data, "offset_right_mm")
    tattoo_dot = bool(data.get("tattoo_dot"))
    if not landmark and (back is not None or right is not None):
        raise DomainError("Offsets are measured from a landmark: choose one.", field="landmark")
    if not landmark and not tattoo_dot:
        raise DomainError(
            "Say how to find the site again: a landmark with offsets, or a tattoo dot.",
            field="landmark",
        )
    return {
        "label": label,
        "region": region,
        "landmark": landmark,
        "offset_back_mm": back,
        "offset_right_mm": right,
        "tattoo_dot": tattoo_dot,
        "notes": checked_notes(data.get("notes")),
    }


@transaction.atomic
def measurement_site_create(
    *, actor: User, patient: Patient, data: Mapping[str, Any]
) -> MeasurementSite:
    """Add a site to measure at every visit, findable again by a landmark and offsets or by a
    tattoo dot. Practitioners and nurses of the patient's clinic."""
    require_recording_role(actor, patient)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()
    site = MeasurementSite(patient=patient, created_by=actor, **_checked(patient, data))
    site.full_clean()
    site.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=site,
        detail={"label": site.label, "region": site.region},
    )
    return site
