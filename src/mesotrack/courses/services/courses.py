"""Plan, book and cancel treatment courses."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.assessment.models import ClinicPrice
from mesotrack.assessment.selectors import screening_blocks_for_patient
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.diaries import (
    clinic_calendar,
    clinic_timezone,
    horizon_days,
    practitioner_diary,
)
from mesotrack.courses.models import (
    AppointmentStatus,
    CourseStatus,
    TreatmentCourse,
    Zone,
)
from mesotrack.courses.planner import plan_course
from mesotrack.courses.protocols import MODALITY_WORDS, ProtocolDefinition
from mesotrack.courses.roles import BOOKING_ROLES, PLANNING_ROLES, require_role
from mesotrack.courses.scheduling import ScheduleError, ScheduleRequest, Visit
from mesotrack.courses.services.booking import slots_release, visits_book
from mesotrack.formulary.models import Recipe
from mesotrack.formulary.selectors import recipe_version_ingredient_codes
from mesotrack.patients.models import Patient
from mesotrack.screening.profile import ProposedTreatment

PLAN_CHANGED = (
    "The calendar changed since this plan was shown (someone else booked one of its times). "
    "Check the new plan and confirm again."
)
PRICE_ITEMS = {"mesotherapy": "mesotherapy_session", "prp": "prp_session"}
# Fields the database checks itself (foreign keys); validating them would cost a query each.
_RELATIONS = ["patient", "clinic", "practitioner", "recipe_version", "created_by", "cancelled_by"]


@dataclass(frozen=True)
class CourseChoice:
    """What the clinician chooses for a new course."""

    protocol_code: str
    recipe: Recipe | None
    target_zones: Sequence[str]
    practitioner: User | None
    start_date: dt.date
    preferred_time: dt.time | None = None


@dataclass(frozen=True)
class SessionPrice:
    amount: Decimal
    currency: str

    def times(self, sessions: int) -> Decimal:
        return self.amount * sessions


@dataclass(frozen=True)
class CoursePlan:
    protocol: ProtocolDefinition
    visits: tuple[Visit, ...]
    price: SessionPrice | None
    fingerprint: str
    sessions: tuple[Visit, ...] = field(init=False)

    def __post_init__(self) -> None:
        sessions = tuple(v for v in self.visits if v.kind == "session")
        object.__setattr__(self, "sessions", sessions)

    @property
    def total_price(self) -> Decimal | None:
        return self.price.times(len(self.sessions)) if self.price else None


def plan_fingerprint(visits: Sequence[Visit]) -> str:
    text = "|".join(f"{v.kind}:{v.number}:{v.starts_at.isoformat()}:{v.chair}" for v in visits)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def session_price(*, clinic_id: int, modality: str) -> SessionPrice | None:
    """The clinic's price of one session of `modality` (assessment's clinic price list)."""
    price = ClinicPrice.objects.filter(clinic_id=clinic_id, item=PRICE_ITEMS[modality]).first()
    return SessionPrice(price.amount, price.currency) if price else None


@dataclass(frozen=True)
class _Checked:
    protocol: ProtocolDefinition
    recipe: Recipe
    practitioner: User


def _refuse_screening_blocks(patient: Patient, modality: str, recipe: Recipe) -> None:
    """A contraindication that blocks the cocktail today stops the plan, as it would stop every
    session of it; a postponement (fever, infection) only concerns the day, so it is left to the
    sessions, whose checklist screens again with that day's answers."""
    version = recipe.current_version()
    proposed = ProposedTreatment(
        modality=modality,
        ingredients=recipe_version_ingredient_codes(version_id=version.pk) if version else (),
    )
    blocks = [
        flag
        for flag in screening_blocks_for_patient(patient, proposed, timezone.localdate())
        if flag.severity == "block"
    ]
    if blocks:
        reasons = " ".join(flag.message for flag in blocks)
        raise DomainError(
            f"Screening blocks this course: {reasons} Choose another recipe, or a practitioner "
            "can override the block with a reason on the screening page.",
            field="recipe",
            code="screening_block",
        )


def _check_choice(actor: User, patient: Patient, choice: CourseChoice) -> _Checked:
    require_role(
        actor,
        patient.clinic_id,
        PLANNING_ROLES,
        "Only a practitioner or manager of this clinic can plan a course.",
    )
    protocol = selectors.protocol_get(clinic_id=patient.clinic_id, code=choice.protocol_code)
    recipe = choice.recipe
    if recipe is None or recipe.organisation_id != patient.clinic.organisation_id:
        raise DomainError("Choose one of the clinic's recipes.", field="recipe")
    if not recipe.is_active:
        raise DomainError("This recipe is no longer in use.", field="recipe")
    if recipe.modality != protocol.modality:
        raise DomainError(
            f"This recipe is for {MODALITY_WORDS[recipe.modality]}, but the protocol is for "
            f"{MODALITY_WORDS[protocol.modality]}.",
            field="recipe",
        )
    zones = list(choice.target_zones)
    if not zones:
        raise DomainError("Choose at least one zone to treat.", field="target_zones")
    if set(zones) - set(Zone.values) or len(zones) != len(set(zones)):
        raise DomainError("Choose zones from the list, each once.", field="target_zones")
    practitioners = selectors.practitioner_options(clinic_id=patient.clinic_id)
    if choice.practitioner is None or choice.practitioner not in practitioners:
        raise DomainError(
            "Choose a practitioner or nurse who treats at this clinic.", field="practitioner"
        )
    if choice.start_date < timezone.localdate():
        raise DomainError("The start date is in the past.", field="start_date")
    _refuse_screening_blocks(patient, protocol.modality, recipe)
    return _Checked(protocol, recipe, choice.practitioner)


def _check_no_active_course(patient: Patient, modality: str) -> None:
    active = TreatmentCourse.objects.filter(
        patient=patient,
        modality=modality,
        status__in=[CourseStatus.PLANNED, CourseStatus.IN_PROGRESS],
    ).first()
    if active is not None:
        raise DomainError(
            f"{patient.full_name} already has a {MODALITY_WORDS[modality]} course in "
            f"progress ({active.protocol_label}): complete or cancel it first.",
            field="protocol",
        )


def _plan(patient: Patient, checked: _Checked, choice: CourseChoice) -> CoursePlan:
    protocol = checked.protocol
    pattern = protocol.pattern()
    last = choice.start_date + dt.timedelta(days=horizon_days(pattern))
    request = ScheduleRequest(
        pattern=pattern,
        anchor=choice.start_date,
        earliest=choice.start_date,
        not_before=timezone.now(),
        preferred_time=choice.preferred_time,
    )
    try:
        visits = plan_course(
            request,
            clinic_calendar(clinic=patient.clinic, first=choice.start_date, last=last),
            practitioner_diary(
                clinic=patient.clinic,
                practitioner=checked.practitioner,
                first=choice.start_date,
                last=last,
            ),
        )
    except ScheduleError as error:
        raise DomainError(error.message, field="start_date", code="no_room") from None
    return CoursePlan(
        protocol=protocol,
        visits=visits,
        price=session_price(clinic_id=patient.clinic_id, modality=protocol.modality),
        fingerprint=plan_fingerprint(visits),
    )


def course_plan_preview(*, actor: User, patient: Patient, choice: CourseChoice) -> CoursePlan:
    """The schedule a new course would get, without booking anything."""
    checked = _check_choice(actor, patient, choice)
    _check_no_active_course(patient, checked.protocol.modality)
    return _plan(patient, checked, choice)


@transaction.atomic
def course_create(
    *,
    actor: User,
    patient: Patient,
    choice: CourseChoice,
    fingerprint: str | None = None,
    notes: str = "",
) -> TreatmentCourse:
    """Plan the course and book every visit of it.

    With the `fingerprint` of a previewed plan, the booking is refused if the plan would now
    differ (the calendar changed since the preview) instead of silently booking other times.
    """
    checked = _check_choice(actor, patient, choice)
    protocol = checked.protocol
    _check_no_active_course(patient, protocol.modality)
    plan = _plan(patient, checked, choice)
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise DomainError(PLAN_CHANGED, field="plan", code="plan_changed")
    first_session = plan.sessions[0]
    course = TreatmentCourse(
        patient=patient,
        clinic_id=patient.clinic_id,
        practitioner=checked.practitioner,
        protocol_code=protocol.code,
        protocol_label=protocol.label,
        protocol=protocol.model_dump(mode="json"),
        modality=protocol.modality,
        recipe_version=checked.recipe.current_version(),
        target_zones=list(choice.target_zones),
        start_date=choice.start_date,
        preferred_time=choice.preferred_time
        or first_session.starts_at.astimezone(clinic_timezone()).time(),
        session_count=protocol.session_count,
        notes=notes,
        created_by=actor,
    )
    course.full_clean(exclude=_RELATIONS)
    course.save()
    appointments = visits_book(actor=actor, course=course, visits=plan.visits)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        patient=patient,
        obj=course,
        detail={
            "protocol": protocol.code,
            "recipe_version": course.recipe_version_id,
            "appointments": [a.pk for a in appointments],
        },
    )
    return course


@transaction.atomic
def course_cancel(*, actor: User, course: TreatmentCourse, reason: str) -> TreatmentCourse:
    """Stop a course: every booked visit is cancelled and its time given back."""
    require_role(
        actor,
        course.clinic_id,
        PLANNING_ROLES,
        "Only a practitioner or manager of this clinic can cancel a course.",
    )
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the course is cancelled.", field="reason")
    course = TreatmentCourse.objects.select_for_update().select_related("patient").get(pk=course.pk)
    if not course.is_active:
        raise DomainError(
            f"This course is already {course.get_status_display().lower()}.", field="status"
        )
    now = timezone.now()
    booked = list(course.appointments.filter(status=AppointmentStatus.BOOKED))
    slots_release(a.pk for a in booked)
    course.appointments.filter(pk__in=[a.pk for a in booked]).update(
        status=AppointmentStatus.CANCELLED,
        status_reason=f"Course cancelled: {reason}",
        status_changed_at=now,
        status_changed_by=actor,
        updated_at=now,
    )
    course.status = CourseStatus.CANCELLED
    course.cancelled_at, course.cancelled_by, course.cancellation_reason = now, actor, reason
    course.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        patient=course.patient,
        obj=course,
        detail={"status": "cancelled", "reason": reason, "appointments_cancelled": len(booked)},
    )
    return course


def require_booking_role(actor: User, course: TreatmentCourse) -> None:
    require_role(
        actor, course.clinic_id, BOOKING_ROLES, "Only staff of this clinic can book its visits."
    )
