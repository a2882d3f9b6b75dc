"""The map's records: one injection record per zone, and the lots and batches drawn."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import (
    InjectionRecord,
    ScalpZone,
    SessionLotUse,
    SessionStatus,
    Technique,
    TreatmentSession,
)
from mesotrack.charting.services._common import CHARTING_ROLES, locked, require_role, require_status
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import Lot, PreparedBatch
from mesotrack.formulary.services.stock import refuse_unusable

CHARTING_STATUSES = (SessionStatus.IN_PROCEDURE, SessionStatus.POST_PROCEDURE)
MAX_POINTS_PER_ZONE = 500


def _number(value: object, field: str, message: str, *, places: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(message, field=field) from None
    if not number.is_finite() or number <= 0 or number != number.quantize(Decimal(places)):
        raise DomainError(message, field=field)
    return number


def _coordinates(raw: object) -> list[dict[str, object]]:
    if not raw:
        return []
    if not isinstance(raw, list):
        raise DomainError("Points must be a list of positions.", field="point_coordinates")
    points = []
    for item in raw[:MAX_POINTS_PER_ZONE]:
        try:
            x, y = float(item["x"]), float(item["y"])
            view = str(item.get("view", "top"))
        except (KeyError, TypeError, ValueError):
            raise DomainError("Each point needs an x and a y.", field="point_coordinates") from None
        if not (0 <= x <= 100 and 0 <= y <= 100):
            raise DomainError("A point lies outside the map.", field="point_coordinates")
        points.append({"x": round(x, 1), "y": round(y, 1), "view": view[:10]})
    return points


@transaction.atomic
def injection_record_set(
    *,
    actor: User,
    session: TreatmentSession,
    zone: str,
    technique: str,
    volume_ml: object,
    depth_mm: object,
    needle: str,
    points: int = 0,
    point_coordinates: object = None,
) -> InjectionRecord:
    """Chart (or re-chart) one zone of the map."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "chart injections")
    require_status(session, *CHARTING_STATUSES, doing="chart injections")
    if zone not in ScalpZone.values:
        raise DomainError("Choose a zone on the map.", field="zone")
    if technique not in Technique.values:
        raise DomainError("Choose the technique.", field="technique")
    volume = _number(
        volume_ml, "volume_ml", "Give the volume in mL (up to 2 decimals).", places="0.01"
    )
    depth = _number(depth_mm, "depth_mm", "Give the depth in mm (up to 1 decimal).", places="0.1")
    if depth > 13:
        raise DomainError("Scalp injections are at most 13 mm deep.", field="depth_mm")
    if not needle.strip():
        raise DomainError("Give the needle (gauge × length).", field="needle")
    coordinates = _coordinates(point_coordinates)
    if points < 0 or points > MAX_POINTS_PER_ZONE:
        raise DomainError(f"Give 0 to {MAX_POINTS_PER_ZONE} points.", field="points")
    record = InjectionRecord.objects.filter(session=session, zone=zone).first() or InjectionRecord(
        session=session, zone=zone
    )
    record.technique = technique
    record.volume_ml = volume
    record.depth_mm = depth
    record.needle = needle.strip()[:40]
    record.points = max(points, len(coordinates))
    record.point_coordinates = coordinates
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=session.patient,
        obj=record,
        detail={"session": session.pk, "zone": zone, "volume_ml": str(volume)},
    )
    return record


@dataclass(frozen=True)
class ZoneInput:
    zone: str
    technique: str
    volume_ml: object
    depth_mm: object
    needle: str
    points: int = 0
    point_coordinates: object = None


@transaction.atomic
def injection_map_save(
    *, actor: User, session: TreatmentSession, zones: list[ZoneInput]
) -> list[InjectionRecord]:
    """Save the whole map in one go: `zones` charted, every other zone taken off. Nothing is
    saved when one zone is refused; the message names that zone."""
    labels = dict(ScalpZone.choices)
    records = []
    for item in zones:
        try:
            records.append(
                injection_record_set(
                    actor=actor,
                    session=session,
                    zone=item.zone,
                    technique=item.technique,
                    volume_ml=item.volume_ml,
                    depth_mm=item.depth_mm,
                    needle=item.needle,
                    points=item.points,
                    point_coordinates=item.point_coordinates,
                )
            )
        except DomainError as error:
            if error.field in (None, "status") or item.zone not in labels:
                raise
            raise DomainError(
                f"{labels[item.zone]}: {error.message}", field=error.field, code=error.code
            ) from None
    keep = {item.zone for item in zones}
    for zone in set(session.injections.values_list("zone", flat=True)) - keep:
        injection_record_remove(actor=actor, session=session, zone=zone)
    return records


@transaction.atomic
def injection_record_remove(*, actor: User, session: TreatmentSession, zone: str) -> None:
    """Take a zone off the map before signing."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "chart injections")
    require_status(session, *CHARTING_STATUSES, doing="chart injections")
    deleted, _ = InjectionRecord.objects.filter(session=session, zone=zone).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=Action.DELETE,
            patient=session.patient,
            obj=session,
            detail={"zone": zone},
        )


def _check_source(session: TreatmentSession, lot: Lot | None, batch: PreparedBatch | None) -> None:
    if (lot is None) == (batch is None):
        raise DomainError("Choose a lot or a prepared batch.", field="lot")
    today = timezone.localdate()
    if lot is not None:
        if lot.clinic_id != session.clinic_id:
            raise DomainError(f"Lot {lot.lot_number} is held at another clinic.", field="lot")
        refuse_unusable(lot, today)
    if batch is not None:
        if batch.clinic_id != session.clinic_id:
            raise DomainError(f"Batch {batch.pk} was prepared at another clinic.", field="batch")
        if batch.use_by < timezone.now():
            use_by = timezone.localtime(batch.use_by)
            raise DomainError(
                f"Batch {batch.pk} was to be used by {use_by:%d %b %Y %H:%M}: it must not be used.",
                field="batch",
            )


@transaction.atomic
def lot_use_add(
    *,
    actor: User,
    session: TreatmentSession,
    volume_ml: object,
    lot: Lot | None = None,
    batch: PreparedBatch | None = None,
    syringes: int = 1,
) -> SessionLotUse:
    """Trace volume to a lot or to syringes of a prepared batch; expired, quarantined and
    recalled lots are refused here and again at signing."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "record the lots used")
    require_status(session, SessionStatus.CHECKLIST_DONE, *CHARTING_STATUSES, doing="add lots")
    _check_source(session, lot, batch)
    volume = _number(
        volume_ml, "volume_ml", "Give the volume in mL (up to 2 decimals).", places="0.01"
    )
    if batch is not None and syringes < 1:
        raise DomainError("Give the number of syringes used.", field="syringes")
    use = SessionLotUse(
        session=session,
        lot=lot,
        batch=batch,
        volume_ml=volume,
        syringes=syringes if batch is not None else 0,
    )
    use.full_clean()
    use.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=session.patient,
        obj=use,
        detail={
            "session": session.pk,
            "lot": use.lot_id,
            "batch": use.batch_id,
            "volume_ml": str(volume),
        },
    )
    return use


@transaction.atomic
def lot_use_remove(*, actor: User, session: TreatmentSession, lot_use_id: int) -> None:
    """Take a lot line off before signing (picked by mistake)."""
    session = locked(session)
    require_role(actor, session.clinic_id, CHARTING_ROLES, "record the lots used")
    require_status(session, SessionStatus.CHECKLIST_DONE, *CHARTING_STATUSES, doing="change lots")
    deleted, _ = SessionLotUse.objects.filter(session=session, pk=lot_use_id).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=Action.DELETE,
            patient=session.patient,
            obj=session,
            detail={"lot_use": lot_use_id},
        )
