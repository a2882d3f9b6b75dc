"""Text messages through a pluggable backend, named by the MESOTRACK_SMS_BACKEND setting.

A backend is any class with `send(*, to, text)`. The default only logs that a message would
have gone (without its text or the full number); a clinic plugs in its provider's backend.
"""

import logging
import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "mesotrack.courses.sms.LoggingSmsBackend"
logger = logging.getLogger("mesotrack.sms")


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


def masked(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"…{digits[-3:]}" if digits else "?"


class LoggingSmsBackend:
    """No provider configured: log that a text would have been sent (no content, no number)."""

    def send(self, *, to: str, text: str) -> None:
        logger.info(
            "SMS not sent (no provider configured) to %s, %d characters", masked(to), len(text)
        )


class ConsoleSmsBackend:
    """Development: print the message, as Django's console email backend does."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{text}\n{'-' * 40}\n")


class LocmemSmsBackend:
    """Tests: keep messages in `outbox`."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append((to, text))


def sms_backend() -> SmsBackend:
    path = getattr(settings, "MESOTRACK_SMS_BACKEND", DEFAULT_BACKEND)
    backend: SmsBackend = import_string(path)()
    return backend
