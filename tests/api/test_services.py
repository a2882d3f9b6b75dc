import hashlib

import pytest

from mesotrack.api.models import ApiToken
from mesotrack.api.services import api_token_issue, api_token_revoke
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError


def test_it_stores_only_a_hash_of_the_secret(cast):
    issued = api_token_issue(user=cast.nurse, name="lab import")
    token = ApiToken.objects.get()
    assert issued.secret.startswith("mt_")
    assert len(issued.secret) > 40
    assert token.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert token.key_prefix == issued.secret[:8]
    assert (token.user, token.name, token.expires_at) == (cast.nurse, "lab import", None)
    assert issued.secret not in str(ApiToken.objects.values_list())


def test_it_gives_every_token_a_different_secret(cast):
    first = api_token_issue(user=cast.nurse).secret
    assert api_token_issue(user=cast.nurse).secret != first


def test_it_audits_issuing_and_revoking(cast):
    issued = api_token_issue(user=cast.nurse)
    api_token_revoke(actor=cast.manager, token=issued.token)
    api_token_revoke(actor=cast.manager, token=issued.token)
    created = AuditEvent.objects.get(action=Action.CREATE)
    assert created.detail == {"api_token_for": "nurse", "key_prefix": issued.token.key_prefix}
    assert created.object_type == "api.ApiToken"
    revoked = AuditEvent.objects.get(action=Action.UPDATE)
    assert revoked.actor == cast.manager
    assert revoked.detail == {
        "api_token_revoked": issued.token.key_prefix,
        "api_token_for": "nurse",
    }


def test_it_refuses_a_token_for_an_inactive_user(cast):
    cast.nurse.is_active = False
    cast.nurse.save()
    with pytest.raises(DomainError, match="User 'nurse' is inactive."):
        api_token_issue(user=cast.nurse)
    assert not ApiToken.objects.exists()


def test_it_refuses_a_lifetime_under_a_day(cast):
    with pytest.raises(DomainError, match="at least one day") as refused:
        api_token_issue(user=cast.nurse, expires_in_days=0)
    assert refused.value.field == "expires_in_days"
    assert not ApiToken.objects.exists()
