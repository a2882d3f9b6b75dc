"""Issuing, using and revoking API tokens."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.api.models import SECRET_PREFIX, ApiToken, hash_secret
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError

# last_used_at is for spotting stale tokens, not an access log (the audit trail is): writing it
# on every call would turn each read into a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def api_token_issue(
    *, user: User, name: str = "", expires_in_days: int | None = None
) -> IssuedToken:
    """A new token for `user`; the secret is returned once and never stored."""
    if not user.is_active:
        raise DomainError(f"User '{user.username}' is inactive.", field="user")
    if expires_in_days is not None and expires_in_days < 1:
        raise DomainError("A token must last at least one day.", field="expires_in_days")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=secret[:8],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=None,
        action=Action.CREATE,
        obj=token,
        detail={"api_token_for": user.username, "key_prefix": token.key_prefix},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=token,
        detail={"api_token_revoked": token.key_prefix, "api_token_for": token.user.username},
    )
    return token


def api_token_mark_used(*, token: ApiToken, moment: dt.datetime) -> None:
    """Record that the token was used, at most once per LAST_USED_PRECISION."""
    if token.last_used_at is not None and moment - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    token.last_used_at = moment
