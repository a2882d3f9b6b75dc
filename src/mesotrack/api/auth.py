"""Bearer-token authentication for the API.

Tokens are issued by an administrator from the command line (`create_api_token`) to a named
user, so they stand in for the whole login, TOTP step included.
"""

from collections.abc import Iterable
from typing import cast

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from mesotrack.accounts.models import STAFF_ROLES, Role, User
from mesotrack.accounts.selectors import has_role
from mesotrack.api.selectors import api_token_for_secret
from mesotrack.api.services import api_token_mark_used
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import PermissionDenied

ROLE_REFUSED = "Your role does not give access to this."


class BearerAuth(HttpBearer):
    """A valid token of an active user who holds one of `roles` in some clinic.

    The role is checked here, before the request's input is read, so a user without the role
    gets a 403 whatever they send.
    """

    def __init__(self, roles: Iterable[Role] = STAFF_ROLES) -> None:
        super().__init__()
        self.roles = frozenset(roles)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_for_secret(secret=token.strip())
        now = timezone.now()
        if api_token is None:
            _record_refusal(request, None, "unknown token")
            return None
        if not api_token.is_usable_at(now):
            reason = "revoked token" if api_token.revoked_at else "expired token"
            _record_refusal(request, api_token.user, reason)
            return None
        if not api_token.user.is_active:
            _record_refusal(request, api_token.user, "inactive user")
            return None
        api_token_mark_used(token=api_token, moment=now)
        request.user = api_token.user
        if not has_role(api_token.user, self.roles):
            raise PermissionDenied(ROLE_REFUSED)
        return api_token.user


def _record_refusal(request: HttpRequest, user: User | None, reason: str) -> None:
    audit_record(
        actor=user,
        action=Action.LOGIN_FAILED,
        detail={"api": True, "reason": reason, "path": request.path, "method": request.method},
    )


def api_user(request: HttpRequest) -> User:
    """The user the bearer token belongs to (operations only run after authentication)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]
