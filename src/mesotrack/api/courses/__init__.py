"""`/api/v1`: treatment courses and their appointments, with the pages' rules and audit trail.

Courses live under their patient (`/patients/{patient_id}/courses`), so another clinic's patient
is a 404; the day-range list `/appointments` covers the clinics the token's user works in.
Writes answer 400 with the field at fault when a rule refuses them (a slot just taken, a time
outside the protocol's window, a missing reason).
"""

from ninja import Router

router = Router(tags=["courses"])

# The endpoint modules register their operations on `router` when imported.
from mesotrack.api.courses import appointment_endpoints, course_endpoints  # noqa: E402

__all__ = ["appointment_endpoints", "course_endpoints", "router"]
