"""Reads of session charting, always scoped to the clinics the user works at."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for, role_in_clinic
from mesotrack.assessment.selectors import assessment_latest_for_patient
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting.models import (
    FollowUpCall,
    SessionCosign,
    SessionLotUse,
    SessionStatus,
    TreatmentSession,
)
from mesotrack.charting.rules import zones_for_stage
from mesotrack.courses.models import AppointmentKind, AppointmentStatus
from mesotrack.formulary.models import Lot, LotStatus, PreparedBatch
from mesotrack.patients.models import Patient

RELATED = (
    "patient",
    "clinic",
    "practitioner",
    "assisting_nurse",
    "signed_by",
    "recipe_version__recipe",
    "course",
)


def session_queryset_for_user(
    *, user: AnyUser, roles: Iterable[Role] = CLINICAL_ROLES
) -> QuerySet[TreatmentSession]:
    """Sessions at the clinics where the user holds one of `roles`."""
    return TreatmentSession.objects.filter(
        clinic_id__in=clinic_ids_for(user, roles), patient__deleted_at__isnull=True
    ).select_related(*RELATED)


def session_get_for_user(
    *, user: AnyUser, session_id: int, patient: Patient | None = None, audit: bool = True
) -> TreatmentSession:
    """One session the user may see (TreatmentSession.DoesNotExist otherwise: a 404)."""
    queryset = session_queryset_for_user(user=user).prefetch_related(
        "injections",
        Prefetch(
            "lot_uses", queryset=SessionLotUse.objects.select_related("lot__product", "batch")
        ),
        "addenda__written_by",
    )
    if patient is not None:
        queryset = queryset.filter(patient=patient)
    session = queryset.get(pk=session_id)
    if audit:
        audit_record(actor=user, action=Action.VIEW, patient=session.patient, obj=session)
    return session


def sessions_for_patient(*, patient: Patient) -> QuerySet[TreatmentSession]:
    """A patient's sessions, newest first, with totals (the patient was scoped by the caller)."""
    return (
        TreatmentSession.objects.filter(patient=patient)
        .select_related("practitioner", "signed_by", "cosign")
        .annotate(total_ml=Sum("injections__volume_ml"))
        .order_by("-checked_in_at", "-id")
    )


def signed_sessions(
    *,
    clinic_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[TreatmentSession]:
    """Signed sessions with practitioner, clinic, recipe version and lots (for safety rates)."""
    queryset = TreatmentSession.objects.filter(status=SessionStatus.SIGNED).select_related(
        "practitioner", "clinic", "recipe_version__recipe"
    )
    if clinic_ids is not None:
        queryset = queryset.filter(clinic_id__in=list(clinic_ids))
    if since is not None:
        queryset = queryset.filter(signed_at__date__gte=since)
    if until is not None:
        queryset = queryset.filter(signed_at__date__lte=until)
    return queryset.prefetch_related(
        Prefetch("lot_uses", queryset=SessionLotUse.objects.select_related("lot", "batch"))
    )


def usable_lots(*, session: TreatmentSession) -> list[Lot]:
    """Active, unexpired lots at the session's clinic, first to expire first."""
    return list(
        Lot.objects.filter(
            clinic_id=session.clinic_id,
            status=LotStatus.ACTIVE,
            expiry_date__gte=timezone.localdate(),
        )
        .select_related("product")
        .order_by("expiry_date", "id")
    )


def usable_batches(*, session: TreatmentSession) -> list[PreparedBatch]:
    return list(
        PreparedBatch.objects.filter(clinic_id=session.clinic_id, use_by__gte=timezone.now())
        .select_related("recipe_version__recipe")
        .order_by("use_by")[:20]
    )


@dataclass(frozen=True)
class Totals:
    injected: Decimal
    drawn: Decimal

    @property
    def difference(self) -> Decimal:
        return self.injected - self.drawn


def session_totals(session: TreatmentSession) -> Totals:
    """Injected and drawn volumes (uses the session's prefetched rows)."""
    injected = sum((r.volume_ml for r in session.injections.all()), Decimal("0"))
    drawn = sum((u.volume_ml for u in session.lot_uses.all()), Decimal("0"))
    return Totals(injected=injected, drawn=drawn)


def session_reminders(session: TreatmentSession) -> list[str]:
    """Photos and measurements due at this visit (a course's measurement visit in its window)."""
    if session.course_id is None:
        return []
    today = timezone.localdate()
    due = session.course.appointments.filter(  # type: ignore[union-attr]
        kind=AppointmentKind.MEASUREMENT,
        status=AppointmentStatus.BOOKED,
        window_earliest__lte=today,
    ).order_by("window_target")
    return [
        f"{visit.label} is due (window until {visit.window_latest:%d %b %Y}): take the standard "
        "photographs and measurements."
        for visit in due
    ]


def preselected_zones(session: TreatmentSession) -> list[str]:
    """Zones to pre-select on the map: those already charted, else the course's targets, else
    the zones of the stage in the patient's latest signed assessment."""
    charted = [record.zone for record in session.injections.all()]
    if charted:
        return charted
    if session.course is not None and session.course.target_zones:
        return list(session.course.target_zones)
    latest = assessment_latest_for_patient(patient=session.patient, signed=True)
    if latest is None:
        return []
    return zones_for_stage(latest.stage_scale, latest.stage_value)


def call_list_for_user(*, user: AnyUser, include_done: bool = False) -> QuerySet[FollowUpCall]:
    """Follow-up calls at the user's clinics, due first (calls not yet made)."""
    queryset = FollowUpCall.objects.filter(
        clinic_id__in=clinic_ids_for(user, CLINICAL_ROLES), patient__deleted_at__isnull=True
    ).select_related("patient", "session", "session__practitioner", "called_by")
    if not include_done:
        queryset = queryset.filter(called_at__isnull=True)
    return queryset.order_by("due_from", "id")


def call_get_for_user(*, user: AnyUser, call_id: int) -> FollowUpCall:
    return call_list_for_user(user=user, include_done=True).get(pk=call_id)


def staff_at(*, clinic_id: int, roles: Iterable[Role]) -> QuerySet[User]:
    """Active staff holding one of `roles` at the clinic (the practitioner and nurse pickers)."""

    return (
        User.objects.filter(
            memberships__clinic_id=clinic_id,
            memberships__role__in=[Role(r).value for r in roles],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def session_awaits_cosign(session: TreatmentSession) -> bool:
    """Signed by a nurse and not yet countersigned by a practitioner."""
    if session.status != SessionStatus.SIGNED or session.signed_by is None:
        return False
    if role_in_clinic(session.signed_by, session.clinic_id) != Role.NURSE:
        return False
    return not SessionCosign.objects.filter(session=session).exists()
