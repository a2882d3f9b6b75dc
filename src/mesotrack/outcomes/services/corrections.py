"""The practitioner's review of a trichoscopy analysis: hairs added, removed or restored.

Each correction is a row of its own; the analysis keeps the automatic result untouched and
stores the corrected count, density and split beside it (and in the site's capture, if any).
"""

import math
from typing import Any

from django.db import transaction

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.outcomes.analyser import in_region
from mesotrack.outcomes.codes import AnalysisStatus, CorrectionKind
from mesotrack.outcomes.corrections import CorrectedResult, corrected_result
from mesotrack.outcomes.models import AnalysisCorrection, SiteMeasurement, TrichoscopyAnalysis
from mesotrack.outcomes.services.analyses import measurement_values
from mesotrack.outcomes.services.roles import require_recording_role

NOT_ON_OVERLAY = "That hair is not on the overlay (it may already have been removed)."


def _coordinate(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError("Click on the image, or give the point in pixels.", field=name) from None
    if not math.isfinite(number):
        raise DomainError("Click on the image, or give the point in pixels.", field=name)
    return number


def _check_point(analysis: TrichoscopyAnalysis, x: Any, y: Any) -> tuple[float, float]:
    px, py = _coordinate(x, "x"), _coordinate(y, "y")
    if not (0 <= px < analysis.width and 0 <= py < analysis.height):
        raise DomainError("The point is outside the image.", field="x")
    if not in_region(analysis.region, analysis.width, analysis.height, px, py):
        raise DomainError(
            "The point is outside the counted region: only hairs that leave the skin inside "
            "it count.",
            field="x",
        )
    return px, py


def _check_ref(current: CorrectedResult, kind: str, hair_ref: str) -> None:
    hair = current.find(hair_ref)
    if kind == CorrectionKind.REMOVE and (hair is None or hair.removed):
        raise DomainError(NOT_ON_OVERLAY, field="hair_ref")
    if kind == CorrectionKind.RESTORE and (hair is None or not hair.removed):
        raise DomainError("Only a removed hair can be put back.", field="hair_ref")


def _store_corrected(
    analysis: TrichoscopyAnalysis, result: CorrectedResult, corrections: int
) -> None:
    analysis.hair_count = result.hair_count
    analysis.density_per_cm2 = result.density_per_cm2
    analysis.vellus_count = result.vellus_count
    analysis.mean_diameter_um = result.mean_diameter_um
    analysis.cumulative_thickness_mm_per_cm2 = result.cumulative_thickness_mm_per_cm2
    analysis.corrections_count = corrections
    analysis.save(
        update_fields=[
            "hair_count",
            "density_per_cm2",
            "vellus_count",
            "mean_diameter_um",
            "cumulative_thickness_mm_per_cm2",
            "corrections_count",
        ]
    )
    SiteMeasurement.objects.filter(analysis=analysis).update(**measurement_values(analysis))


@transaction.atomic
def analysis_correction_add(
    *,
    actor: User,
    analysis: TrichoscopyAnalysis,
    kind: str,
    hair_ref: str = "",
    x: Any = None,
    y: Any = None,
    is_vellus: bool = False,
) -> AnalysisCorrection:
    """Add a missed hair at (x, y) in image pixels, remove a hair the analyser or a reviewer
    counted, or restore a removed one. Practitioners and nurses of the patient's clinic."""
    require_recording_role(actor, analysis.patient)
    locked = TrichoscopyAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if locked.status != AnalysisStatus.FINISHED:
        raise DomainError(
            "The analysis has not finished: corrections come after it.", code="not_finished"
        )
    if kind not in CorrectionKind.values:
        raise DomainError("Choose whether to add, remove or restore a hair.", field="kind")
    history = list(locked.corrections.order_by("id"))
    current = corrected_result(locked.result, history, locked.area_mm2 or 0.0)
    point: tuple[float | None, float | None] = (None, None)
    if kind == CorrectionKind.ADD:
        point = _check_point(locked, x, y)
        hair_ref = ""
    else:
        hair_ref = str(hair_ref or "").strip()
        _check_ref(current, kind, hair_ref)
    correction = AnalysisCorrection(
        analysis=locked,
        kind=kind,
        hair_ref=hair_ref,
        x=point[0],
        y=point[1],
        is_vellus=bool(is_vellus) and kind == CorrectionKind.ADD,
        author=actor,
    )
    correction.full_clean()
    correction.save()
    result = corrected_result(locked.result, [*history, correction], locked.area_mm2 or 0.0)
    _store_corrected(locked, result, len(history) + 1)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=analysis.patient,
        obj=correction,
        detail={
            "analysis": analysis.pk,
            "kind": kind,
            "hair_ref": hair_ref,
            "hair_count": result.hair_count,
            "automatic_hair_count": locked.auto_hair_count,
        },
    )
    analysis.refresh_from_db()
    return correction
