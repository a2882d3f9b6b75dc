"""Demo sessions (called by `manage.py seed_demo`, after the courses' demo): every attended
course session becomes a signed session charted on the map, its volume drawn from the clinic's
demo lots (first to expire first, never more than a lot holds), with follow-up calls made.

PRP sessions whose blood product is not stocked are charted without lots only when nothing
stocked is in the recipe; mixed recipes draw their stocked components from lots.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from mesotrack.charting.models import (
    CallKind,
    FollowUpCall,
    InjectionRecord,
    SessionLotUse,
    SessionStatus,
    TreatmentSession,
)
from mesotrack.charting.rules import aftercare_for, call_windows
from mesotrack.core.demo import DemoContext
from mesotrack.courses.models import Appointment, AppointmentStatus
from mesotrack.formulary.models import Lot, LotStatus, MovementKind, RecipeComponent, StockMovement

TECHNIQUES = ["nappage", "point_by_point", "point_by_point", "meso_gun"]
REACTIONS = [
    "",
    "",
    "",
    "Mild redness",
    "Pinpoint bleeding, stopped with pressure",
    "Small papules",
]
CENT = Decimal("0.01")


class _Stock:
    """The clinic's lots with what each still holds, used first-to-expire first."""

    def __init__(self) -> None:
        held = dict(
            StockMovement.objects.values("lot_id")
            .annotate(total=Sum("quantity"))
            .values_list("lot_id", "total")
        )
        self.lots: dict[tuple[int, int], list[Lot]] = defaultdict(list)
        self.left: dict[int, Decimal] = {}
        for lot in Lot.objects.filter(status=LotStatus.ACTIVE).order_by("expiry_date", "id"):
            self.lots[(lot.clinic_id, lot.product_id)].append(lot)
            self.left[lot.pk] = held.get(lot.pk) or Decimal("0")

    def take(self, clinic_id: int, product_id: int, volume: Decimal, on: dt.date) -> Lot | None:
        for lot in self.lots.get((clinic_id, product_id), []):
            usable = lot.received_on <= on <= lot.expiry_date
            if usable and self.left[lot.pk] >= volume:
                self.left[lot.pk] -= volume
                return lot
        return None


def _split(total: Decimal, parts: int) -> list[Decimal]:
    share = (total / parts).quantize(CENT)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def seed(context: DemoContext) -> None:
    appointments = list(
        Appointment.objects.filter(kind="session", status=AppointmentStatus.ATTENDED)
        .select_related("course", "course__recipe_version")
        .order_by("starts_at", "id")
    )
    components: dict[int, list[RecipeComponent]] = defaultdict(list)
    for component in RecipeComponent.objects.select_related("product").order_by("position", "id"):
        components[component.version_id].append(component)
    stock = _Stock()
    nurses = {clinic.pk: context.users["nurse"] for clinic in context.clinics.values()}
    sessions: list[TreatmentSession] = []
    plans: list[tuple[list[tuple[str, Decimal]], list[tuple[Lot, Decimal]]]] = []
    for appointment in appointments:
        course = appointment.course
        lines = components.get(course.recipe_version_id, [])
        day = appointment.starts_at.date()
        draws: list[tuple[Lot, Decimal]] = []
        for line in lines:
            if not line.product.is_stocked:
                continue
            lot = stock.take(appointment.clinic_id, line.product_id, line.volume_ml, day)
            if lot is None:
                break
            draws.append((lot, line.volume_ml))
        stocked = [line for line in lines if line.product.is_stocked]
        if not stocked or len(draws) != len(stocked):
            for lot, volume in draws:  # give back a partial draw
                stock.left[lot.pk] += volume
            continue
        zones = list(course.target_zones or ["vertex"])
        total = sum((volume for _, volume in draws), Decimal("0"))
        started = appointment.starts_at + dt.timedelta(minutes=context.rng.choice([50, 55, 60]))
        ended = started + dt.timedelta(minutes=context.rng.randint(15, 30))
        signed_at = ended + dt.timedelta(minutes=5)
        sessions.append(
            TreatmentSession(
                patient_id=appointment.patient_id,
                clinic_id=appointment.clinic_id,
                appointment=appointment,
                course=course,
                modality=course.modality,
                recipe_version_id=course.recipe_version_id,
                practitioner_id=appointment.practitioner_id,
                assisting_nurse=nurses.get(appointment.clinic_id),
                status=SessionStatus.SIGNED,
                checked_in_at=appointment.starts_at,
                checked_in_by=nurses.get(appointment.clinic_id) or context.users["nurse"],
                identity_confirmed=True,
                today_answers={"pregnant": False, "new_medications": [], "fever": False},
                checklist_done_at=appointment.starts_at + dt.timedelta(minutes=3),
                checklist_done_by=nurses.get(appointment.clinic_id),
                numbing_agent="emla",
                numbing_amount_g=Decimal("2.0"),
                numbing_area=", ".join(zones).replace("_", " "),
                numbing_applied_at=appointment.starts_at + dt.timedelta(minutes=4),
                started_at=started,
                ended_at=ended,
                pain_nrs=context.rng.choice([1, 2, 2, 3, 3, 4, 5, 6]),
                immediate_reactions=context.rng.choice(REACTIONS),
                signed_at=signed_at,
                signed_by_id=appointment.practitioner_id,
                aftercare_text=aftercare_for(course.modality).as_text(),
            )
        )
        plans.append((list(zip(zones, _split(total, len(zones)), strict=True)), draws))
    _save(context, sessions, plans)


def _save(
    context: DemoContext,
    sessions: list[TreatmentSession],
    plans: list[tuple[list[tuple[str, Decimal]], list[tuple[Lot, Decimal]]]],
) -> None:
    TreatmentSession.objects.bulk_create(sessions, batch_size=500)
    saved = list(
        TreatmentSession.objects.filter(appointment__in=[s.appointment for s in sessions]).order_by(
            "appointment__starts_at", "appointment_id"
        )
    )
    by_appointment = {s.appointment_id: s for s in saved}
    injections, uses, movements, calls = [], [], [], []
    for draft, (zones, draws) in zip(sessions, plans, strict=True):
        session = by_appointment[draft.appointment_id]
        technique = context.rng.choice(TECHNIQUES)
        for zone, volume in zones:
            injections.append(
                InjectionRecord(
                    session=session,
                    zone=zone,
                    technique=technique,
                    points=int(volume * 20),
                    volume_ml=volume,
                    depth_mm=Decimal("2.0") if technique == "nappage" else Decimal("4.0"),
                    needle="32G × 4 mm" if technique == "nappage" else "30G × 4 mm",
                )
            )
        for lot, volume in draws:
            uses.append(
                SessionLotUse(
                    session=session,
                    lot=lot,
                    volume_ml=volume,
                    signed_clinic_id=session.clinic_id,
                    signed_at=session.signed_at,
                )
            )
            movements.append(
                StockMovement(
                    lot=lot,
                    kind=MovementKind.USE,
                    quantity=-volume,
                    occurred_at=session.started_at or session.checked_in_at,
                    recorded_by_id=session.practitioner_id,
                    patient_id=session.patient_id,
                    session_ref=session.session_ref,
                )
            )
        assert session.signed_at is not None  # noqa: S101 - demo sessions are signed
        for kind, (due_from, due_by) in call_windows(session.signed_at).items():
            made = due_from.date() <= context.today
            calls.append(
                FollowUpCall(
                    session=session,
                    patient_id=session.patient_id,
                    clinic_id=session.clinic_id,
                    kind=CallKind(kind),
                    due_from=due_from,
                    due_by=due_by,
                    called_at=due_from + dt.timedelta(hours=2) if made else None,
                    called_by=context.users["nurse"] if made else None,
                    reached=True if made else None,
                    outcome_notes="No concerns; mild tenderness settled." if made else "",
                )
            )
    InjectionRecord.objects.bulk_create(injections, batch_size=1000)
    SessionLotUse.objects.bulk_create(uses, batch_size=1000)
    StockMovement.objects.bulk_create(movements, batch_size=1000)
    FollowUpCall.objects.bulk_create(calls, batch_size=1000)
    context.progress(
        f"{len(saved)} signed sessions, {len(injections)} zones charted, "
        f"{len(uses)} lot draws, {len(calls)} follow-up calls"
    )
