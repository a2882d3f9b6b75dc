"""What a calendar feed shows: a practitioner's or a patient's appointments as iCalendar.

A feed is read without a login (calendar apps cannot log in), so its token is the only key;
every read is audited. A fixed number of queries per read.
"""

import datetime as dt

from django.utils import timezone

from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.courses.ical import Event, calendar_text
from mesotrack.courses.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CalendarFeed,
    FeedKind,
)
from mesotrack.courses.services.feeds import hash_token

PAST_DAYS = 60
FUTURE_DAYS = 400


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed with this token, if any."""
    return (
        CalendarFeed.objects.select_related("clinic", "patient", "practitioner")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )


def _appointments(feed: CalendarFeed) -> list[Appointment]:
    now = timezone.now()
    found = Appointment.objects.filter(
        status__in=[AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED],
        starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
        starts_at__lt=now + dt.timedelta(days=FUTURE_DAYS),
    ).select_related("patient", "chair", "course")
    if feed.kind == FeedKind.PATIENT:
        return list(found.filter(patient=feed.patient).select_related("clinic"))
    return list(found.filter(practitioner=feed.practitioner, clinic_id=feed.clinic_id))


def _initials(appointment: Appointment) -> str:
    patient = appointment.patient
    return f"{patient.given_name[:1]}{patient.family_name[:1]}".upper()


def _staff_event(appointment: Appointment, host: str, location: str) -> Event:
    # Only the record number and initials: calendar apps copy events to phones and clouds.
    return Event(
        uid=f"appointment-{appointment.pk}@{host}",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=f"{appointment.label} · {appointment.patient.record_number} "
        f"({_initials(appointment)})",
        description=f"{appointment.course.protocol_label}\n{appointment.chair.name}",
        location=location,
        last_modified=appointment.updated_at,
    )


def _patient_event(appointment: Appointment, host: str) -> Event:
    clinic = appointment.clinic
    what = (
        "Hair treatment review"
        if appointment.kind == AppointmentKind.MEASUREMENT
        else f"Hair treatment, session {appointment.number} of {appointment.course.session_count}"
    )
    phone = f"\nTo change it, call {clinic.phone}." if clinic.phone else ""
    return Event(
        uid=f"appointment-{appointment.pk}@{host}",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=f"{what} at {clinic.name}",
        description=f"{what}.{phone}",
        location=" ".join(f"{clinic.name}, {clinic.address}".split()),
        last_modified=appointment.updated_at,
    )


def feed_document(feed: CalendarFeed, host: str) -> str:
    """The feed as iCalendar text; marks the feed used and audits the read."""
    appointments = _appointments(feed)
    location = " ".join(f"{feed.clinic.name}, {feed.clinic.address}".split())
    if feed.kind == FeedKind.PATIENT:
        events = [_patient_event(a, host) for a in appointments]
        name = f"{feed.clinic.name} appointments"
    else:
        events = [_staff_event(a, host, location) for a in appointments]
        practitioner = feed.practitioner
        who = practitioner.get_full_name() if practitioner else ""
        name = f"{who or 'My'} appointments · {feed.clinic.name}"
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    audit_record(
        actor=None,
        action=Action.VIEW,
        patient=feed.patient if feed.kind == FeedKind.PATIENT else None,
        clinic=feed.clinic,
        obj=feed,
        detail={
            "feed": feed.kind,
            "appointments": len(appointments),
            "patient_ids": sorted({a.patient_id for a in appointments}),
        },
    )
    return calendar_text(name=name, events=events, stamp=now)
