import io

import pytest
from django.core.management import CommandError, call_command

from mesotrack.api.models import ApiToken
from tests.api.conftest import ApiClient


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_only_a_token_that_works(cast):
    out, err = _run("nurse", "--name", "lab import", "--expires-days", "30")
    secret = out.strip()
    assert out == secret + "\n"
    assert err == ""
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (cast.nurse, "lab import")
    assert token.expires_at is not None
    assert ApiClient(secret).get("/api/v1/patients").status_code == 200


def test_it_refuses_an_unknown_user(cast):
    with pytest.raises(CommandError, match="No user called 'nobody'."):
        _run("nobody")
    assert not ApiToken.objects.exists()


def test_it_refuses_an_inactive_user(cast):
    cast.nurse.is_active = False
    cast.nurse.save()
    with pytest.raises(CommandError, match="User 'nurse' is inactive: activate the account first."):
        _run("nurse")
    assert not ApiToken.objects.exists()


def test_it_refuses_a_lifetime_under_a_day(cast):
    with pytest.raises(CommandError, match="A token must last at least one day."):
        _run("nurse", "--expires-days", "0")
    assert not ApiToken.objects.exists()


def test_it_warns_that_a_user_without_a_clinic_role_will_be_refused(cast):
    out, err = _run("patient")
    assert out.startswith("mt_")
    assert "has no clinic role" in err
