"""Write the demo's planned courses to the database in bulk."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.assessment.models import ClinicPrice
from mesotrack.core.demo import DemoContext
from mesotrack.courses.demo_book import Planned, Record
from mesotrack.courses.models import (
    Appointment,
    ChairSlot,
    CoursePackage,
    PackageEntry,
    PractitionerSlot,
    Reminder,
    TreatmentCourse,
)
from mesotrack.courses.scheduling import slot_starts
from mesotrack.courses.services.courses import PRICE_ITEMS

DEFAULT_PRICES = {"mesotherapy_session": Decimal("150"), "prp_session": Decimal("350")}
BATCH = 500


def _course(planned: Planned) -> TreatmentCourse:
    spec, definition = planned.spec, planned.definition
    return TreatmentCourse(
        patient=spec.patient,
        clinic_id=spec.patient.clinic_id,
        practitioner=spec.practitioner,
        protocol_code=definition.code,
        protocol_label=definition.label,
        protocol=definition.model_dump(mode="json"),
        modality=definition.modality,
        recipe_version=planned.version,
        target_zones=spec.zones,
        start_date=spec.start,
        preferred_time=spec.preferred,
        session_count=definition.session_count,
        status=planned.status,
        cancelled_at=planned.cancelled_at,
        cancelled_by=spec.practitioner if planned.cancelled_at else None,
        cancellation_reason=planned.cancellation_reason,
        created_by=spec.practitioner,
    )


def _appointment(course: TreatmentCourse, record: Record, actor: User) -> Appointment:
    visit = record.visit
    changed = None
    if record.status == "attended":
        changed = visit.ends_at
    elif record.status in ("missed", "cancelled"):
        changed = min(visit.starts_at, timezone.now()) - dt.timedelta(hours=2)
    return Appointment(
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
        status=record.status,
        status_reason=record.reason,
        status_changed_at=changed,
        status_changed_by=actor if changed else None,
        booked_by=actor,
    )


def _timestamps(courses: list[TreatmentCourse], rows: list[tuple[Appointment, Record]]) -> None:
    tz = timezone.get_current_timezone()
    for course in courses:
        course.created_at = dt.datetime.combine(
            course.start_date - dt.timedelta(days=5), dt.time(11, 20), tzinfo=tz
        )
        course.updated_at = course.cancelled_at or course.created_at
    TreatmentCourse.objects.bulk_update(courses, ["created_at", "updated_at"], batch_size=BATCH)
    created = {c.pk: c.created_at for c in courses}
    for appointment, record in rows:
        when = created[appointment.course_id]
        if record.replaces is not None:
            when = record.replaces.visit.starts_at + dt.timedelta(hours=3)
        appointment.created_at = min(when, appointment.starts_at)
        appointment.updated_at = appointment.status_changed_at or appointment.created_at
    Appointment.objects.bulk_update(
        [a for a, _ in rows], ["created_at", "updated_at"], batch_size=BATCH
    )


def _slots(rows: list[tuple[Appointment, Record]]) -> None:
    people, chairs = [], []
    for appointment, _ in rows:
        if appointment.status not in ("booked", "attended"):
            continue
        for slot in slot_starts(appointment.starts_at, appointment.minutes):
            people.append(
                PractitionerSlot(
                    appointment=appointment,
                    practitioner_id=appointment.practitioner_id,
                    starts_at=slot,
                )
            )
            chairs.append(
                ChairSlot(appointment=appointment, chair_id=appointment.chair_id, starts_at=slot)
            )
    PractitionerSlot.objects.bulk_create(people, batch_size=BATCH)
    ChairSlot.objects.bulk_create(chairs, batch_size=BATCH)


def _packages(
    context: DemoContext, courses: list[TreatmentCourse], rows: list[tuple[Appointment, Record]]
) -> int:
    prices = {(p.clinic_id, p.item): p.amount for p in ClinicPrice.objects.all()}
    attended: dict[int, list[Appointment]] = {}
    for appointment, _ in rows:
        if appointment.kind == "session" and appointment.status == "attended":
            attended.setdefault(appointment.course_id, []).append(appointment)
    packages, entries = [], []
    for course in courses:
        if course.status == "planned" or context.rng.random() > 0.45:
            continue
        item = PRICE_ITEMS[course.modality]
        price = prices.get((course.clinic_id, item), DEFAULT_PRICES[item])
        sessions = (
            course.session_count
            if context.rng.random() < 0.7
            else max(1, course.session_count // 2)
        )
        package = CoursePackage(
            course=course,
            sessions=sessions,
            price_per_session=price,
            total_price=price * sessions,
            sold_by=course.practitioner,
        )
        packages.append(package)
        entries.append(
            PackageEntry(
                package=package, kind="purchase", sessions=sessions, amount=price * sessions
            )
        )
        used = attended.get(course.pk, [])[:sessions]
        entries += [
            PackageEntry(package=package, kind="use", sessions=-1, appointment=a) for a in used
        ]
        left = sessions - len(used)
        if course.status == "cancelled" and left:
            entries.append(
                PackageEntry(
                    package=package,
                    kind="refund",
                    sessions=-left,
                    amount=-price * left,
                    reason="Course stopped: unused sessions refunded.",
                )
            )
    CoursePackage.objects.bulk_create(packages, batch_size=BATCH)
    PackageEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(packages)


def _reminders(context: DemoContext, rows: list[tuple[Appointment, Record]]) -> None:
    """Today's visits were reminded yesterday evening; tomorrow's wait for the queue."""
    tz = timezone.get_current_timezone()
    sent = dt.datetime.combine(context.today - dt.timedelta(days=1), dt.time(18), tzinfo=tz)
    reminders = []
    for appointment, _ in rows:
        if appointment.status not in ("booked", "attended"):
            continue
        if appointment.starts_at.astimezone(tz).date() != context.today:
            continue
        patient = appointment.patient
        channel = "email" if patient.email else "sms"
        status = "sent" if (patient.email or patient.phone) else "skipped"
        reminders.append(
            Reminder(
                appointment=appointment,
                channel=channel,
                status=status,
                sent_at=sent if status == "sent" else None,
            )
        )
    Reminder.objects.bulk_create(reminders)


def save(context: DemoContext, planned: list[Planned]) -> Counter[str]:
    actors = {
        code: context.users["reception"] if code == "LDS" else context.users["doctor2"]
        for code in context.clinics
    }
    courses = [_course(p) for p in planned]
    TreatmentCourse.objects.bulk_create(courses, batch_size=BATCH)
    first: list[tuple[Appointment, Record]] = []
    second: list[tuple[Appointment, Record]] = []
    by_record: dict[int, Appointment] = {}
    for course, plan in zip(courses, planned, strict=True):
        actor = actors.get(plan.spec.patient.clinic.code, plan.spec.practitioner)
        for record in plan.records:
            appointment = _appointment(course, record, actor)
            appointment.patient = plan.spec.patient
            by_record[id(record)] = appointment
            (second if record.replaces else first).append((appointment, record))
    Appointment.objects.bulk_create([a for a, _ in first], batch_size=BATCH)
    for appointment, record in second:
        appointment.replaces = by_record[id(record.replaces)]
    Appointment.objects.bulk_create([a for a, _ in second], batch_size=BATCH)
    rows = first + second
    _timestamps(courses, rows)
    _slots(rows)
    packages = _packages(context, courses, rows)
    _reminders(context, rows)
    counts = Counter(c.status.replace("_", " ") for c in courses)
    counts["courses with a package"] = packages
    counts["missed or cancelled visits re-planned"] = len(second)
    return counts
