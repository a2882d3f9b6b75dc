"""A minimal RFC 5545 reader for the tests: it refuses what standard clients would choke on."""

import datetime as dt
import re

CONTENT_LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9-]*)(?P<params>(;[^:]*)?):(?P<value>.*)$")
UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
REQUIRED_EVENT = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"}


def unfold(document: bytes) -> list[str]:
    """Check the physical lines (CRLF, at most 75 octets) and join folded ones."""
    text = document.decode("utf-8")
    assert text.endswith("\r\n"), "the document must end with CRLF"
    physical = text[:-2].split("\r\n")
    assert "\n" not in "".join(physical), "a bare LF"
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(document: bytes) -> list[dict[str, str]]:
    """The events of a VCALENDAR, each as {property: unescaped value}."""
    lines = unfold(document)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match["name"], match["value"]
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None and set(current) >= REQUIRED_EVENT, current
            events.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one event"
            if name in {"DTSTAMP", "DTSTART", "DTEND", "LAST-MODIFIED"}:
                assert UTC_TIME.match(value), f"{name} is not a UTC time: {value}"
            if name in {"SUMMARY", "DESCRIPTION", "LOCATION"}:
                assert not re.search(r"(?<!\\)[;,]", value), f"unescaped text in {name}"
            current[name] = unescape(value)
    uids = [event["UID"] for event in events]
    assert len(uids) == len(set(uids)), "UIDs must be unique"
    return events


def utc_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
