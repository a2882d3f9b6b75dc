"""Day-before reminders: queued once per appointment, sent by the background task."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.courses.diaries import clinic_timezone
from mesotrack.courses.models import Reminder
from mesotrack.courses.services.appointments import appointment_cancel
from mesotrack.courses.services.reminders import (
    reminder_email,
    reminder_send,
    reminder_summary,
    reminders_queue_for_day,
)
from mesotrack.courses.sms import LocmemSmsBackend
from tests.courses.factories import booked_course, live_sessions

pytestmark = pytest.mark.usefixtures("clinic_time")
LOCMEM_SMS = "mesotrack.courses.sms.LocmemSmsBackend"


@pytest.fixture
def first_day(cast):
    cast.patient.email = "amira@example.org"
    cast.patient.save()
    course = booked_course(cast.patient, cast.practitioner)
    return live_sessions(course)[0].starts_at.astimezone(clinic_timezone()).date()


def test_queuing_sends_one_email_per_appointment_after_commit(
    cast, first_day, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch = reminders_queue_for_day(day=first_day)
    assert (batch.queued, batch.already, batch.not_sendable) == (2, 0, 0)  # baseline, session 1
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    assert all(r.task_id for r in Reminder.objects.all())
    assert AuditEvent.objects.filter(action=Action.EXPORT, patient_id=cast.patient.pk).count() == 2


def test_queuing_twice_never_reminds_twice(first_day, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reminders_queue_for_day(day=first_day)
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_queue_for_day(day=first_day)
    assert (again.queued, again.already) == (0, 2)
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2


def test_a_task_that_runs_twice_sends_once(first_day, django_capture_on_commit_callbacks) -> None:
    reminders_queue_for_day(day=first_day)
    reminder = Reminder.objects.first()
    assert reminder_send(reminder_id=reminder.pk) == "sent"
    assert reminder_send(reminder_id=reminder.pk) == "sent"
    assert len(mail.outbox) == 1


def test_the_email_says_when_and_where_in_plain_words(cast, first_day) -> None:
    cast.clinic.phone, cast.clinic.address = "0113 496 0100", "12 Park Square\nLeeds"
    cast.clinic.save()
    session = live_sessions(cast.patient.treatment_courses.get())[0]
    subject, body = reminder_email(session)
    local = session.starts_at.astimezone(clinic_timezone())
    when = f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
    assert subject == f"Reminder: your appointment at Leeds on {when}"
    assert f"Hello {cast.patient.given_name}," in body
    assert "treatment session 1 of 10" in body
    assert "Address: 12 Park Square Leeds" in body
    assert "please call us on 0113 496 0100" in body


@override_settings(MESOTRACK_SMS_BACKEND=LOCMEM_SMS)
def test_a_patient_without_email_gets_a_text_message(
    cast, first_day, django_capture_on_commit_callbacks
) -> None:
    cast.patient.email = ""
    cast.patient.save()
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_queue_for_day(day=first_day)
    assert [to for to, _ in LocmemSmsBackend.outbox] == [cast.patient.phone] * 2
    assert LocmemSmsBackend.outbox[0][1].startswith("Reminder: Leeds, ")
    assert set(Reminder.objects.values_list("channel", flat=True)) == {"sms"}


def test_a_patient_without_contact_details_is_listed_not_reminded(
    cast, first_day, django_capture_on_commit_callbacks
) -> None:
    cast.patient.email = cast.patient.phone = ""
    cast.patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch = reminders_queue_for_day(day=first_day)
    assert batch.not_sendable == 2 and not mail.outbox
    assert reminder_summary(clinic_id=cast.clinic.pk, day=first_day)["skipped"] == 2


def test_a_failed_delivery_is_recorded(first_day, django_capture_on_commit_callbacks) -> None:
    broken = override_settings(EMAIL_BACKEND="tests.courses.test_reminders.BrokenBackend")
    with broken, django_capture_on_commit_callbacks(execute=True):
        reminders_queue_for_day(day=first_day)
    reminder = Reminder.objects.first()
    assert reminder.status == "failed"
    assert reminder.detail == "ConnectionRefusedError: could not be delivered"


def test_a_reminder_of_a_cancelled_visit_is_not_sent(cast, first_day) -> None:
    reminders_queue_for_day(day=first_day)
    reminder = Reminder.objects.select_related("appointment").first()
    appointment_cancel(actor=cast.receptionist, appointment=reminder.appointment, reason="Ill")
    assert reminder_send(reminder_id=reminder.pk) == "skipped"
    assert not mail.outbox


def test_the_command_queues_a_day_and_is_idempotent(
    first_day, django_capture_on_commit_callbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", first_day.isoformat(), stdout=out)
        call_command("send_reminders", "--date", first_day.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    day = f"{first_day:%Y-%m-%d}"
    assert lines == [
        f"{day}: 2 reminders queued, 0 already queued or sent, 0 without contact details.",
        f"{day}: 0 reminders queued, 2 already queued or sent, 0 without contact details.",
    ]
    assert len(mail.outbox) == 2


def test_the_command_defaults_to_tomorrow(django_capture_on_commit_callbacks) -> None:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert out.getvalue().startswith(f"{tomorrow:%Y-%m-%d}: 0 reminders queued")


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list[object]) -> int:
        raise ConnectionRefusedError("smtp down")
