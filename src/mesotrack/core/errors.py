"""Errors raised by services; views and the API turn them into messages and 4xx responses."""


class DomainError(Exception):
    """A business rule refused the operation; `field` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDenied(DomainError):
    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message, code="permission_denied")
