"""Who may call each API operation.

Every operation is decorated with `api_staff_required(...)`, which gives the operation a
`BearerAuth` for those roles (checked before any input is read) and stores an `Access`
declaration on the function, exactly as `staff_required` does for pages. The API authorisation
matrix (tests/api/test_api_matrix.py) enumerates every operation of the API and fails for one
without a declaration. Clinic scoping stays with the selectors: a patient of another clinic is
a 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest
from ninja.operation import Operation as NinjaOperation
from ninja.utils import contribute_operation_callback

from mesotrack.accounts.access import Access
from mesotrack.accounts.models import STAFF_ROLES, Role
from mesotrack.accounts.selectors import has_role
from mesotrack.api.auth import ROLE_REFUSED, BearerAuth
from mesotrack.core.errors import PermissionDenied

Operation = TypeVar("Operation", bound=Callable[..., Any])


def api_staff_required(*roles: Role) -> Callable[[Operation], Operation]:
    """Only staff holding one of `roles` (default: any staff role) in some clinic get through.

    Put it under the router's decorator. The operation runs in one transaction, so input refused
    part-way through writes nothing.
    """
    allowed = frozenset(roles or STAFF_ROLES)

    def use_role_auth(operation: NinjaOperation) -> None:
        operation.auth_param = BearerAuth(allowed)
        operation._set_auth(operation.auth_param)

    def decorate(operation: Operation) -> Operation:
        @wraps(operation)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # Already checked by BearerAuth; repeated so the rule holds even if the auth were
            # replaced on the router.
            if not has_role(request.user, allowed):
                raise PermissionDenied(ROLE_REFUSED)
            with transaction.atomic():
                return operation(request, *args, **kwargs)

        wrapper.mesotrack_access = Access(roles=frozenset(r.value for r in allowed))  # type: ignore[attr-defined]
        contribute_operation_callback(wrapper, use_role_auth)
        return wrapper  # type: ignore[return-value]

    return decorate
