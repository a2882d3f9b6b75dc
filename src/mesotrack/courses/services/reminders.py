"""Day-before reminders. Queuing is idempotent: each appointment has at most one Reminder row
(a unique key), so running the queue twice, or two workers at once, never sends two."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.courses.diaries import clinic_timezone, day_bounds
from mesotrack.courses.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from mesotrack.courses.sms import sms_backend

NO_CONTACT = "No email address or mobile number on file."


@dataclass(frozen=True)
class ReminderBatch:
    queued: int
    already: int
    not_sendable: int


def _channel(appointment: Appointment) -> str | None:
    if appointment.patient.email:
        return ReminderChannel.EMAIL
    if appointment.patient.phone:
        return ReminderChannel.SMS
    return None


@transaction.atomic
def reminders_queue_for_day(*, day: dt.date, clinic_ids: set[int] | None = None) -> ReminderBatch:
    """Queue a reminder for every appointment booked on `day` that has none yet; each is sent
    by a background task once this transaction commits."""
    starts, ends = day_bounds(day, day)
    found = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, starts_at__gte=starts, starts_at__lt=ends
    ).select_related("patient", "clinic", "course")
    if clinic_ids is not None:
        found = found.filter(clinic_id__in=clinic_ids)
    appointments = list(found)
    have = set(
        Reminder.objects.filter(appointment__in=appointments).values_list(
            "appointment_id", flat=True
        )
    )
    new = []
    for appointment in appointments:
        if appointment.pk in have:
            continue
        channel = _channel(appointment)
        new.append(
            Reminder(
                appointment=appointment,
                channel=channel or ReminderChannel.EMAIL,
                status=ReminderStatus.QUEUED if channel else ReminderStatus.SKIPPED,
                detail="" if channel else NO_CONTACT,
            )
        )
    # ignore_conflicts: a concurrent run that got there first keeps its row, and ours is dropped.
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    queued = list(
        Reminder.objects.filter(
            appointment_id__in=[r.appointment_id for r in new],
            status=ReminderStatus.QUEUED,
            task_id="",
        ).values_list("pk", flat=True)
    )
    for reminder_id in queued:
        transaction.on_commit(partial(_enqueue, reminder_id))
    return ReminderBatch(
        queued=len(queued),
        already=len(have),
        not_sendable=sum(1 for r in new if r.status == ReminderStatus.SKIPPED),
    )


def _enqueue(reminder_id: int) -> None:
    from mesotrack.courses.tasks import reminder_send as reminder_task

    result = reminder_task.enqueue(reminder_id)
    Reminder.objects.filter(pk=reminder_id, task_id="").update(task_id=str(result.id)[:64])


def _when(appointment: Appointment) -> tuple[str, str]:
    local = appointment.starts_at.astimezone(clinic_timezone())
    return date_format(local.date(), "l j F"), local.strftime("%H:%M")


def _what(appointment: Appointment) -> str:
    if appointment.kind == AppointmentKind.MEASUREMENT:
        return "a review of your treatment (photographs and measurements)"
    return f"treatment session {appointment.number} of {appointment.course.session_count}"


def reminder_email(appointment: Appointment) -> tuple[str, str]:
    """Subject and text of the reminder email, in plain language."""
    clinic, patient = appointment.clinic, appointment.patient
    day, time = _when(appointment)
    subject = f"Reminder: your appointment at {clinic.name} on {day} at {time}"
    lines = [
        f"Hello {patient.given_name},",
        "",
        f"This is a reminder of your appointment at {clinic.name} on {day} at {time}, "
        f"for {_what(appointment)}.",
    ]
    if clinic.address:
        lines += ["", f"Address: {' '.join(clinic.address.split())}"]
    contact = f" on {clinic.phone}" if clinic.phone else ""
    lines += [
        "",
        f"If you cannot come, please call us{contact} as soon as you can, so we can find "
        "you another time and keep the rest of your course on track.",
        "",
        clinic.name,
    ]
    return subject, "\n".join(lines)


def reminder_text_message(appointment: Appointment) -> str:
    day, time = _when(appointment)
    contact = f" To change it, call {appointment.clinic.phone}." if appointment.clinic.phone else ""
    return f"Reminder: {appointment.clinic.name}, {day} at {time}.{contact}"


@transaction.atomic
def reminder_send(*, reminder_id: int) -> str:
    """Send one queued reminder; a reminder already sent (or not sendable) is left alone, so a
    task that runs twice sends once. Returns the reminder's status."""
    reminder = (
        Reminder.objects.select_for_update()
        .select_related("appointment__patient", "appointment__clinic", "appointment__course")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.status != ReminderStatus.QUEUED:
        return reminder.status if reminder else "missing"
    appointment = reminder.appointment
    if appointment.status != AppointmentStatus.BOOKED:
        reminder.status, reminder.detail = (
            ReminderStatus.SKIPPED,
            "The appointment was moved or cancelled.",
        )
    else:
        _deliver(reminder, appointment)
    reminder.save(update_fields=["status", "sent_at", "detail"])
    if reminder.status == ReminderStatus.SENT:
        audit_record(
            actor=None,
            action=Action.EXPORT,
            patient=appointment.patient,
            obj=reminder,
            detail={"reminder": reminder.channel, "appointment": appointment.pk},
        )
    return reminder.status


def _deliver(reminder: Reminder, appointment: Appointment) -> None:
    try:
        if reminder.channel == ReminderChannel.EMAIL:
            subject, body = reminder_email(appointment)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [appointment.patient.email])
        else:
            sms_backend().send(
                to=appointment.patient.phone, text=reminder_text_message(appointment)
            )
    except Exception as error:  # noqa: BLE001 — any transport failure is recorded, not raised
        reminder.status = ReminderStatus.FAILED
        reminder.detail = f"{type(error).__name__}: could not be delivered"[:300]
        return
    reminder.status, reminder.sent_at = ReminderStatus.SENT, timezone.now()


def reminder_summary(*, clinic_id: int, day: dt.date) -> dict[str, int]:
    """How many of the day's booked appointments have a reminder in each state."""
    starts, ends = day_bounds(day, day)
    counts = {status: 0 for status in ReminderStatus.values}
    counts["none"] = 0
    rows = Appointment.objects.filter(
        clinic_id=clinic_id,
        status__in=[AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED],
        starts_at__gte=starts,
        starts_at__lt=ends,
    ).values_list("reminder__status", flat=True)
    for status in rows:
        counts[status or "none"] += 1
    return counts
