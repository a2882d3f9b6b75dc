"""The MesoTrack JSON API, mounted at /api/v1/ (docs at /api/v1/docs)."""

from ninja import NinjaAPI

from mesotrack.api import patients
from mesotrack.api.auth import BearerAuth
from mesotrack.api.errors import install_error_handlers

DESCRIPTION = """
Every call needs `Authorization: Bearer <token>`. An administrator issues a token for a named
user with `python manage.py create_api_token USERNAME`; it acts as that user, with the same
roles, clinic scoping and audit trail as the pages (the TOTP step does not apply to tokens).

Errors are JSON: `{"detail": "...", "errors": [{"field": "...", "message": "...", "code": "..."}]}`
(422 for input that does not fit the schema, 400 for input the clinic's rules refuse, 409 for a
probable duplicate patient), `{"detail": "..."}` for 401, 403 and 404.
"""

api = NinjaAPI(
    title="MesoTrack API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    auth=BearerAuth(),
)
install_error_handlers(api)
api.add_router("/patients", patients.router)
api.add_router("", "mesotrack.api.screenings.router")
api.add_router("", "mesotrack.api.formulary.router")
api.add_router("", "mesotrack.api.courses.router")
api.add_router("/patients", "mesotrack.api.outcomes.router")
api.add_router("", "mesotrack.api.charting.router")
api.add_router("", "mesotrack.api.session_steps.router")
api.add_router("", "mesotrack.api.safety.router")
