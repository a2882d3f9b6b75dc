import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.api.errors import NOT_AUTHENTICATED
from mesotrack.api.models import ApiToken
from mesotrack.api.services import api_token_issue, api_token_revoke
from mesotrack.audit.models import Action, AuditEvent
from tests.api.conftest import ApiClient

PATIENTS = "/api/v1/patients"


def _assert_refused(response):
    assert response.status_code == 401
    assert response.json() == {"detail": NOT_AUTHENTICATED}
    assert response["WWW-Authenticate"] == 'Bearer realm="MesoTrack API"'


def test_it_refuses_a_request_without_a_token(cast):
    _assert_refused(ApiClient(None).get(PATIENTS))


def test_it_refuses_a_session_login_without_a_token(cast, client_for):
    _assert_refused(client_for(cast.manager).get(PATIENTS))


@pytest.mark.parametrize("header", ["Bearer mt_not-a-real-token", "Bearer ", "Basic abc", "mt_x"])
def test_it_refuses_a_wrong_token(cast, client, header):
    _assert_refused(client.get(PATIENTS, headers={"Authorization": header}))


def test_it_records_a_wrong_token_as_a_failed_login(cast):
    ApiClient("mt_not-a-real-token").get(PATIENTS)
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor is None
    assert event.detail == {
        "api": True,
        "reason": "unknown token",
        "path": PATIENTS,
        "method": "GET",
    }


def test_it_refuses_a_revoked_token(cast):
    issued = api_token_issue(user=cast.nurse)
    api_token_revoke(actor=cast.manager, token=issued.token)
    _assert_refused(ApiClient(issued.secret).get(PATIENTS))
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (event.actor, event.detail["reason"]) == (cast.nurse, "revoked token")


def test_it_refuses_an_expired_token(cast):
    issued = api_token_issue(user=cast.nurse, expires_in_days=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _assert_refused(ApiClient(issued.secret).get(PATIENTS))
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).detail["reason"] == "expired token"


def test_it_accepts_a_token_until_it_expires(cast):
    issued = api_token_issue(user=cast.nurse, expires_in_days=1)
    assert ApiClient(issued.secret).get(PATIENTS).status_code == 200


def test_it_refuses_the_token_of_a_deactivated_user(cast):
    issued = api_token_issue(user=cast.nurse)
    cast.nurse.is_active = False
    cast.nurse.save()
    _assert_refused(ApiClient(issued.secret).get(PATIENTS))


def test_it_refuses_a_patient_with_a_valid_token_and_records_it(cast):
    secret = api_token_issue(user=cast.patient_user).secret
    response = ApiClient(secret).get(PATIENTS)
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role does not give access to this."}
    event = AuditEvent.objects.get(action=Action.PERMISSION_DENIED)
    assert event.actor == cast.patient_user
    assert event.detail == {
        "path": PATIENTS,
        "method": "GET",
        "reason": "Your role does not give access to this.",
    }


def test_a_patient_gets_403_not_a_validation_error_for_bad_input(cast):
    secret = api_token_issue(user=cast.patient_user).secret
    assert ApiClient(secret).post(PATIENTS, {"date_of_birth": "nonsense"}).status_code == 403


def test_a_practitioner_needs_no_totp_step_with_a_token(cast):
    # Tokens are issued by an administrator from the command line; they stand in for the login.
    assert (
        ApiClient(api_token_issue(user=cast.practitioner).secret).get(PATIENTS).status_code == 200
    )


def test_it_notes_when_a_token_was_last_used_at_most_once_a_minute(cast):
    issued = api_token_issue(user=cast.nurse)
    client = ApiClient(issued.secret)
    client.get(PATIENTS)
    issued.token.refresh_from_db()
    first_use = issued.token.last_used_at
    assert first_use is not None
    client.get(PATIENTS)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == first_use
    ApiToken.objects.filter(pk=issued.token.pk).update(
        last_used_at=first_use - dt.timedelta(minutes=2)
    )
    client.get(PATIENTS)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at > first_use
