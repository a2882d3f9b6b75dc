"""Per-request facts (request id, client address) that the audit trail stamps on every event.

A context variable rather than a thread-local so that it also holds under ASGI.
"""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


_current: ContextVar[RequestContext | None] = ContextVar("mesotrack_request", default=None)


def current_request_context() -> RequestContext:
    """The running request's context, or a fresh one for commands and background tasks."""
    return _current.get() or RequestContext(
        request_id=f"cli-{uuid.uuid4().hex[:12]}", ip_address=None
    )


def set_request_context(context: RequestContext | None) -> object:
    return _current.set(context)


def reset_request_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
