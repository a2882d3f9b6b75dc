"""Access declarations on views.

Every view says who may use it. The declaration is stored on the view function
(`view.mesotrack_access`) so the authorisation matrix test can enumerate every route and check
its real behaviour against it: a new route without a declaration fails that test.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse

from mesotrack.accounts.models import STAFF_ROLES, Role
from mesotrack.accounts.selectors import has_role

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    public: bool = False
    patient_portal: bool = False


PUBLIC = Access(roles=frozenset(), public=True)


def public(view: ViewFunc) -> ViewFunc:
    view.mesotrack_access = PUBLIC  # type: ignore[attr-defined]
    return view


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    from mesotrack.audit.models import Action
    from mesotrack.audit.services import audit_record

    audit_record(
        actor=request.user,
        action=Action.PERMISSION_DENIED,
        detail={"path": request.path, "method": request.method, "reason": reason},
    )
    return TemplateResponse(request, "403.html", {"reason": reason}, status=403)


def staff_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Only logged-in staff holding one of `roles` in at least one clinic get through.

    Clinic scoping of the objects a view touches is the selectors' job: a patient of another
    clinic is a 404, never a 403, so its existence is not revealed.
    """
    allowed = frozenset(roles or STAFF_ROLES)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                return forbidden(request, "role")
            return view(request, *args, **kwargs)

        wrapper.mesotrack_access = Access(roles=frozenset(r.value for r in allowed))  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def roles_label(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles))
