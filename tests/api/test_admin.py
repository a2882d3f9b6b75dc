from django.test import Client

from mesotrack.api.models import ApiToken
from mesotrack.api.services import api_token_issue
from mesotrack.audit.models import Action, AuditEvent
from tests.api.conftest import ApiClient
from tests.factories import UserFactory

CHANGELIST = "/admin/api/apitoken/"


def _admin_client() -> tuple[Client, object]:
    administrator = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(administrator)
    return client, administrator


def test_the_admin_lists_tokens_by_prefix_and_cannot_add_one(cast):
    issued = api_token_issue(user=cast.nurse, name="lab import")
    client, _ = _admin_client()
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert issued.token.key_prefix in page.content.decode()
    assert issued.secret not in page.content.decode()
    assert issued.token.key_hash not in page.content.decode()
    assert client.get(CHANGELIST + "add/").status_code == 403


def test_revoking_in_the_admin_stops_the_token_at_once(cast):
    issued = api_token_issue(user=cast.nurse)
    client, administrator = _admin_client()
    response = client.post(
        CHANGELIST, {"action": "revoke", "_selected_action": [issued.token.pk]}, follow=True
    )
    assert "Revoked 1 token(s)." in response.content.decode()
    assert ApiToken.objects.get().revoked_at is not None
    assert ApiClient(issued.secret).get("/api/v1/patients").status_code == 401
    assert AuditEvent.objects.get(action=Action.UPDATE).actor == administrator
