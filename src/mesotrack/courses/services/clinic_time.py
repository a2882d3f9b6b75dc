"""A clinic's time: opening hours, closures, chairs, and when each practitioner works.
Managers of that clinic only; every change is audited against the clinic."""

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction

from mesotrack.accounts.models import Clinic, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.diaries import day_bounds
from mesotrack.courses.models import (
    Appointment,
    AppointmentStatus,
    Chair,
    Closure,
    OpeningHours,
    PractitionerHours,
    PractitionerLeave,
    Weekday,
)
from mesotrack.courses.roles import SETTINGS_ROLES, require_role
from mesotrack.courses.scheduling import SLOT_MINUTES

Hours = Mapping[int, Sequence[tuple[dt.time, dt.time]]]
MAX_CLOSURE_DAYS = 366


def _require_manager(actor: User, clinic: Clinic) -> None:
    require_role(
        actor, clinic.pk, SETTINGS_ROLES, "Only a manager of this clinic can change its calendar."
    )


def _check_hours(hours: Hours, field: str) -> list[tuple[int, dt.time, dt.time]]:
    rows = []
    for weekday, periods in sorted(hours.items()):
        name = Weekday(weekday).label
        ordered = sorted(periods)
        for starts, ends in ordered:
            if starts >= ends:
                raise DomainError(f"{name}: each period must end after it starts.", field=field)
            if starts.minute % SLOT_MINUTES or ends.minute % SLOT_MINUTES:
                raise DomainError(f"{name}: use times on the quarter hour.", field=field)
            rows.append((weekday, starts, ends))
        for (_, first_end), (second_start, _) in zip(ordered, ordered[1:], strict=False):
            if second_start < first_end:
                raise DomainError(f"{name}: the periods overlap.", field=field)
    return rows


def _hours_detail(rows: list[tuple[int, dt.time, dt.time]]) -> list[str]:
    return [f"{Weekday(d).label} {s:%H:%M}-{e:%H:%M}" for d, s, e in rows]


@transaction.atomic
def opening_hours_set(*, actor: User, clinic: Clinic, hours: Hours) -> list[OpeningHours]:
    """Replace the clinic's weekly opening hours (weekday → periods; a missing day is closed)."""
    _require_manager(actor, clinic)
    rows = _check_hours(hours, "opening_hours")
    OpeningHours.objects.filter(clinic=clinic).delete()
    created = OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=d, opens=s, closes=e) for d, s, e in rows
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        clinic=clinic,
        detail={"opening_hours": _hours_detail(rows)},
    )
    return created


def _check_range(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise DomainError("The last day comes before the first.", field="ends_on")
    if (ends_on - starts_on).days >= MAX_CLOSURE_DAYS:
        raise DomainError("A closure can last at most a year.", field="ends_on")


def booked_between(
    *, clinic: Clinic, starts_on: dt.date, ends_on: dt.date, practitioner: User | None = None
) -> int:
    starts, ends = day_bounds(starts_on, ends_on)
    booked = Appointment.objects.filter(
        clinic=clinic, status=AppointmentStatus.BOOKED, starts_at__gte=starts, starts_at__lt=ends
    )
    if practitioner is not None:
        booked = booked.filter(practitioner=practitioner)
    return booked.count()


@transaction.atomic
def closure_add(
    *, actor: User, clinic: Clinic, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Closure:
    """Close the clinic on these days. Visits already booked then stay booked: the calendar
    lists them so the desk can move them."""
    _require_manager(actor, clinic)
    _check_range(starts_on, ends_on)
    if not reason.strip():
        raise DomainError("Say why the clinic is closed (e.g. Easter Monday).", field="reason")
    closure = Closure(
        clinic=clinic, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), created_by=actor
    )
    closure.full_clean(exclude=["clinic", "created_by"])
    closure.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        clinic=clinic,
        obj=closure,
        detail={"closure": f"{starts_on}..{ends_on}", "reason": closure.reason},
    )
    return closure


@transaction.atomic
def closure_remove(*, actor: User, clinic: Clinic, closure_id: int) -> None:
    _require_manager(actor, clinic)
    closure = Closure.objects.filter(clinic=clinic, pk=closure_id).first()
    if closure is None:
        raise DomainError("There is no such closure.", field="closure")
    audit_record(
        actor=actor,
        action=Action.DELETE,
        clinic=clinic,
        obj=closure,
        detail={"closure": f"{closure.starts_on}..{closure.ends_on}", "reason": closure.reason},
    )
    closure.delete()


@transaction.atomic
def chair_add(*, actor: User, clinic: Clinic, name: str) -> Chair:
    _require_manager(actor, clinic)
    chair = Chair(clinic=clinic, name=name.strip())
    chair.full_clean(exclude=["clinic"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            chair.save()
    except IntegrityError:
        raise DomainError("There is already a chair with that name.", field="name") from None
    audit_record(
        actor=actor, action=Action.CREATE, clinic=clinic, obj=chair, detail={"chair": chair.name}
    )
    return chair


@transaction.atomic
def chair_set_active(*, actor: User, clinic: Clinic, chair_id: int, active: bool) -> Chair:
    """Take a chair out of use (nothing new is booked in it) or back into use."""
    _require_manager(actor, clinic)
    chair = Chair.objects.filter(clinic=clinic, pk=chair_id).first()
    if chair is None:
        raise DomainError("There is no such chair.", field="chair")
    if chair.is_active != active:
        chair.is_active = active
        chair.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=Action.UPDATE, clinic=clinic, obj=chair, detail={"active": active}
        )
    return chair


def _require_treating(clinic: Clinic, practitioner: User) -> None:
    if practitioner not in selectors.practitioner_options(clinic_id=clinic.pk):
        raise DomainError(
            "Choose a practitioner or nurse who treats at this clinic.", field="practitioner"
        )


@transaction.atomic
def practitioner_hours_set(
    *, actor: User, clinic: Clinic, practitioner: User, hours: Hours
) -> list[PractitionerHours]:
    """Replace when `practitioner` works at `clinic`; no hours at all means whenever it is open."""
    _require_manager(actor, clinic)
    _require_treating(clinic, practitioner)
    rows = _check_hours(hours, "hours")
    PractitionerHours.objects.filter(clinic=clinic, practitioner=practitioner).delete()
    created = PractitionerHours.objects.bulk_create(
        PractitionerHours(clinic=clinic, practitioner=practitioner, weekday=d, starts=s, ends=e)
        for d, s, e in rows
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        clinic=clinic,
        detail={"practitioner": practitioner.pk, "hours": _hours_detail(rows)},
    )
    return created


@transaction.atomic
def leave_add(
    *,
    actor: User,
    clinic: Clinic,
    practitioner: User,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
) -> PractitionerLeave:
    _require_manager(actor, clinic)
    _require_treating(clinic, practitioner)
    _check_range(starts_on, ends_on)
    leave = PractitionerLeave(
        clinic=clinic,
        practitioner=practitioner,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
    )
    leave.full_clean(exclude=["clinic", "practitioner"])
    leave.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        clinic=clinic,
        obj=leave,
        detail={"practitioner": practitioner.pk, "leave": f"{starts_on}..{ends_on}"},
    )
    return leave


@transaction.atomic
def leave_remove(*, actor: User, clinic: Clinic, leave_id: int) -> None:
    _require_manager(actor, clinic)
    leave = PractitionerLeave.objects.filter(clinic=clinic, pk=leave_id).first()
    if leave is None:
        raise DomainError("There is no such leave.", field="leave")
    audit_record(actor=actor, action=Action.DELETE, clinic=clinic, obj=leave, detail={})
    leave.delete()
