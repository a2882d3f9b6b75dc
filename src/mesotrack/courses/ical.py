"""iCalendar (RFC 5545) feeds, written with the `icalendar` library (escaping, folding at 75
octets, CRLF line ends). Times go out in UTC so every client agrees without time-zone data."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODUCT = "-//MesoTrack//Treatment courses//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    last_modified: dt.datetime | None = None


def utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware.")
    return moment.astimezone(dt.UTC)


def _vevent(event: Event, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", utc(stamp))
    vevent.add("dtstart", utc(event.starts_at))
    vevent.add("dtend", utc(event.ends_at))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("status", event.status)
    if event.last_modified is not None:
        vevent.add("last-modified", utc(event.last_modified))
    return vevent


def calendar_text(*, name: str, events: Iterable[Event], stamp: dt.datetime) -> str:
    """A whole VCALENDAR, ready to serve as text/calendar."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODUCT)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    return calendar.to_ical().decode("utf-8")
