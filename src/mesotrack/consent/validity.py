"""When a signed consent counts: plain date arithmetic, no database."""

import calendar
import datetime as dt
from enum import StrEnum

from django.utils import timezone

from mesotrack.consent.models import SignedConsent


class ConsentState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {
            ConsentState.VALID: "Valid",
            ConsentState.EXPIRED: "Expired",
            ConsentState.WITHDRAWN: "Withdrawn",
            ConsentState.MISSING: "Not signed",
        }[self]

    @property
    def badge(self) -> str:
        return {
            ConsentState.VALID: "ok",
            ConsentState.EXPIRED: "warn",
            ConsentState.WITHDRAWN: "bad",
            ConsentState.MISSING: "warn",
        }[self]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(signed_on: dt.date, valid_for_months: int | None) -> dt.date | None:
    """The first day a consent signed on `signed_on` no longer counts; None when it never lapses."""
    return None if valid_for_months is None else add_months(signed_on, valid_for_months)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the clinic's time zone (an exclusive upper bound)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def consent_state_on(consent: SignedConsent | None, on_date: dt.date) -> ConsentState:
    """The state on `on_date` of the latest consent signed on or before it.

    The latest signature decides: signing again replaces an earlier consent of the same kind, and a
    withdrawal ends consent for that kind from the day it is recorded.
    """
    if consent is None or consent.signed_on > on_date:
        return ConsentState.MISSING
    withdrawal = consent.withdrawal_or_none
    if withdrawal is not None and timezone.localdate(withdrawal.withdrawn_at) <= on_date:
        return ConsentState.WITHDRAWN
    if consent.expires_on is not None and consent.expires_on <= on_date:
        return ConsentState.EXPIRED
    return ConsentState.VALID
