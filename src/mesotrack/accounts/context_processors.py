from typing import Any

from django.http import HttpRequest

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.accounts.selectors import clinics_for, has_role, primary_role, requires_two_factor


def staff_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    role = primary_role(user)
    return {
        "current_role": role,
        "current_clinics": clinics_for(user),
        "is_manager": has_role(user, [Role.MANAGER]),
        "is_clinical": has_role(user, CLINICAL_ROLES),
        # Password accepted, second factor not yet: show no live widgets that would be redirected.
        "two_factor_pending": requires_two_factor(user) and not user.is_verified(),  # type: ignore[attr-defined]
    }
