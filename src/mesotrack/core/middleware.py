import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mesotrack.core.request_context import (
    RequestContext,
    reset_request_context,
    set_request_context,
)


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy documented in the README, REMOTE_ADDR is the proxy; the proxy
    # sets X-Real-IP. Only trusted when the deployment says so.
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False) and request.META.get("HTTP_X_REAL_IP"):
        return str(request.META["HTTP_X_REAL_IP"])
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = set_request_context(RequestContext(request_id, client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response
