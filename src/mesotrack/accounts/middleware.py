from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from mesotrack.accounts.selectors import requires_two_factor

# Paths a half-logged-in user (password accepted, second factor pending) may still reach.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/favicon")


class TwoFactorRequiredMiddleware:
    """Managers and practitioners must pass TOTP before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?next={request.path}")
        return self.get_response(request)
