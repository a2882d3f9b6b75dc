"""Secret iCalendar addresses for a practitioner's or a patient's appointments.

Only a hash of each token is kept; the address is shown once, when it is made. Making a new one
revokes the old, so a leaked address is fixed by regenerating it.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import Clinic, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.courses.models import CalendarFeed, FeedKind
from mesotrack.courses.roles import BOOKING_ROLES, OWN_FEED_ROLES, SETTINGS_ROLES, may, require_role
from mesotrack.patients.models import Patient

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def _revoke_live(feeds: list[CalendarFeed], actor: User) -> None:
    now = timezone.now()
    CalendarFeed.objects.filter(pk__in=[f.pk for f in feeds]).update(
        revoked_at=now, revoked_by=actor
    )


@transaction.atomic
def practitioner_feed_create(
    *, actor: User, clinic: Clinic, practitioner: User
) -> tuple[CalendarFeed, str]:
    """A new address for `practitioner`'s appointments at `clinic` (their own, or a manager's
    doing); returns the feed and its token, which is not stored."""
    if actor != practitioner and not may(actor, clinic.pk, SETTINGS_ROLES):
        raise PermissionDenied("Only the practitioner or a manager can make this address.")
    if not may(practitioner, clinic.pk, OWN_FEED_ROLES):
        raise DomainError(
            "This person has no appointments of their own here.", field="practitioner"
        )
    _revoke_live(
        list(
            CalendarFeed.objects.select_for_update().filter(
                kind=FeedKind.PRACTITIONER,
                practitioner=practitioner,
                clinic=clinic,
                revoked_at__isnull=True,
            )
        ),
        actor,
    )
    token, digest = _new_token()
    feed = CalendarFeed.objects.create(
        kind=FeedKind.PRACTITIONER,
        clinic=clinic,
        practitioner=practitioner,
        token_hash=digest,
        token_prefix=token[:8],
        created_by=actor,
    )
    audit_record(
        actor=actor, action=Action.CREATE, clinic=clinic, obj=feed, detail={"feed": "practitioner"}
    )
    return feed, token


@transaction.atomic
def patient_feed_create(*, actor: User, patient: Patient) -> tuple[CalendarFeed, str]:
    """A new address for the patient's own calendar app; the old one stops working."""
    require_role(actor, patient.clinic_id, BOOKING_ROLES, "Only staff of this clinic can do this.")
    _revoke_live(
        list(
            CalendarFeed.objects.select_for_update().filter(
                kind=FeedKind.PATIENT, patient=patient, revoked_at__isnull=True
            )
        ),
        actor,
    )
    token, digest = _new_token()
    feed = CalendarFeed.objects.create(
        kind=FeedKind.PATIENT,
        clinic_id=patient.clinic_id,
        patient=patient,
        token_hash=digest,
        token_prefix=token[:8],
        created_by=actor,
    )
    audit_record(
        actor=actor, action=Action.CREATE, patient=patient, obj=feed, detail={"feed": "patient"}
    )
    return feed, token


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    if feed.kind == FeedKind.PATIENT:
        require_role(actor, feed.clinic_id, BOOKING_ROLES, "Only staff of this clinic can do this.")
    elif actor.pk != feed.practitioner_id and not may(actor, feed.clinic_id, SETTINGS_ROLES):
        raise PermissionDenied("Only the practitioner or a manager can revoke this address.")
    if feed.revoked_at is None:
        feed.revoked_at, feed.revoked_by = timezone.now(), actor
        feed.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            clinic=feed.clinic,
            patient=feed.patient if feed.kind == FeedKind.PATIENT else None,
            obj=feed,
            detail={"revoked": True},
        )
    return feed
