from typing import Any

from django.http import HttpRequest

from mesotrack.accounts.models import CLINICAL_ROLES, Role
from mesotrack.accounts.selectors import clinics_for, has_role, primary_role


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
    }
