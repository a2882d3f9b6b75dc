"""Turn planned visits into appointments that hold their slots, and give slots back.

The slot rows' unique constraints are what stop a double booking: when two requests race for
one slot, the second insert fails inside its savepoint and becomes a clear DomainError.
"""

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, OperationalError, transaction

from mesotrack.accounts.models import User
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import (
    Appointment,
    AppointmentStatus,
    ChairSlot,
    PractitionerSlot,
    TreatmentCourse,
)
from mesotrack.courses.scheduling import Visit, slot_starts

SLOT_TAKEN = (
    "Someone else has just booked that time for this practitioner or chair. "
    "Look at the plan again and choose another time."
)
# Fields the database checks itself (foreign keys); validating them would cost a query each.
_RELATIONS = ["course", "clinic", "patient", "practitioner", "chair", "replaces", "booked_by"]


def appointment_from_visit(
    *, course: TreatmentCourse, visit: Visit, actor: User, replaces: Appointment | None
) -> Appointment:
    appointment = Appointment(
        course=course,
        clinic_id=course.clinic_id,
        patient_id=course.patient_id,
        practitioner_id=course.practitioner_id,
        chair_id=visit.chair,
        kind=visit.kind,
        number=visit.number,
        measurement_code=visit.code,
        label=visit.label,
        phase=visit.phase,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        window_earliest=visit.window.earliest,
        window_target=visit.window.target,
        window_latest=visit.window.latest,
        window_late=visit.window.late,
        status=AppointmentStatus.BOOKED,
        replaces=replaces,
        booked_by=actor,
    )
    appointment.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)
    return appointment


def slots_claim(appointments: Iterable[Appointment]) -> None:
    """Claim every grid slot of `appointments` (already saved) for practitioner and chair."""
    practitioner_slots, chair_slots = [], []
    for appointment in appointments:
        for slot in slot_starts(appointment.starts_at, appointment.minutes):
            practitioner_slots.append(
                PractitionerSlot(
                    appointment=appointment,
                    practitioner_id=appointment.practitioner_id,
                    starts_at=slot,
                )
            )
            chair_slots.append(
                ChairSlot(appointment=appointment, chair_id=appointment.chair_id, starts_at=slot)
            )
    # One order for every transaction, so two bookings wait on each other, never deadlock.
    practitioner_slots.sort(key=lambda s: (s.practitioner_id, s.starts_at))
    chair_slots.sort(key=lambda s: (s.chair_id, s.starts_at))
    try:
        with transaction.atomic():
            PractitionerSlot.objects.bulk_create(practitioner_slots)
            ChairSlot.objects.bulk_create(chair_slots)
    except IntegrityError:
        raise DomainError(SLOT_TAKEN, field="starts_at", code="slot_taken") from None
    except OperationalError as error:
        if "deadlock" not in str(error).lower():
            raise
        raise DomainError(SLOT_TAKEN, field="starts_at", code="slot_taken") from None


def visits_book(
    *,
    actor: User,
    course: TreatmentCourse,
    visits: Sequence[Visit],
    replacing: dict[tuple[str, int], Appointment] | None = None,
) -> list[Appointment]:
    """Book `visits` for `course`; each replaces the appointment in `replacing` of its kind and
    number, if any (a moved or re-planned visit keeps the link to the one it replaces)."""
    replacing = replacing or {}
    appointments = [
        appointment_from_visit(
            course=course,
            visit=visit,
            actor=actor,
            replaces=replacing.get((visit.kind, visit.number)),
        )
        for visit in visits
    ]
    try:
        with transaction.atomic():
            Appointment.objects.bulk_create(appointments)
    except IntegrityError:
        raise DomainError(SLOT_TAKEN, field="starts_at", code="slot_taken") from None
    slots_claim(appointments)
    return appointments


def slots_release(appointment_ids: Iterable[int]) -> None:
    """Give back the slots of appointments that no longer take place there."""
    ids = list(appointment_ids)
    PractitionerSlot.objects.filter(appointment_id__in=ids).delete()
    ChairSlot.objects.filter(appointment_id__in=ids).delete()
