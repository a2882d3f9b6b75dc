import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp

from mesotrack.accounts import services
from mesotrack.audit.models import Action, AuditEvent
from tests.factories import TEST_PASSWORD, totp_device

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/two-factor/"


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_production_hashes_passwords_with_argon2():
    from mesotrack.config import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_a_new_password_is_stored_as_argon2(cast):
    cast.nurse.set_password("a-brand-new-password-42")
    assert identify_hasher(cast.nurse.password).algorithm == "argon2"


def test_a_nurse_goes_straight_to_the_patients(cast, client):
    response = sign_in(client, "nurse")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/patients/").status_code == 200


def test_a_practitioner_must_enrol_an_authenticator_before_anything_else(cast, client):
    response = sign_in(client, "doctor")
    assert response["Location"].startswith(TWO_FACTOR)
    assert client.get("/patients/")["Location"].startswith(TWO_FACTOR)
    enrol = client.get(TWO_FACTOR)
    assert b"<svg" in enrol.content and b"Set up two-factor" in enrol.content
    device = services.totp_device_for_enrolment(user=cast.practitioner)
    wrong = client.post(
        TWO_FACTOR, {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "does not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait a second after a wrong code
    client.post(TWO_FACTOR, {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/patients/").status_code == 200


def test_an_enrolled_manager_is_asked_for_the_current_code(cast, client):
    device = totp_device(cast.manager)
    sign_in(client, "manager")
    page = client.get(TWO_FACTOR)
    assert b"Two-factor check" in page.content
    response = client.post(TWO_FACTOR, {"token": current_code(device), "next": "/audit/"})
    assert response["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_repeated_wrong_codes_are_throttled(cast, client):
    device = totp_device(cast.manager)
    sign_in(client, "manager")
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post(TWO_FACTOR, {"token": wrong})
    response = client.post(TWO_FACTOR, {"token": current_code(device)})
    assert "Too many wrong codes" in response.content.decode()


def test_it_rejects_a_code_that_is_not_six_digits(cast, client):
    totp_device(cast.manager)
    sign_in(client, "manager")
    response = client.post(TWO_FACTOR, {"token": "12ab56"})
    assert "The code is six digits." in response.content.decode()


def test_wrong_password_is_audited_and_locks_out_after_the_limit(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "nurse", "wrong-password")
        assert "do not match" in response.content.decode()
    locked = sign_in(client, "nurse", "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert sign_in(client, "nurse").status_code == 429
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor_username="nurse")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT - 1


def test_a_successful_login_is_audited(cast, client):
    sign_in(client, "reception")
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert (event.actor, event.role) == (cast.receptionist, "receptionist")


def test_the_session_ends_after_the_idle_timeout(cast, client):
    sign_in(client, "nurse")
    assert client.session.get_expiry_age() == settings.IDLE_TIMEOUT_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry forward
    client.session.set_expiry(-1)
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get("/patients/")["Location"].startswith(LOGIN)


def test_next_cannot_send_the_user_to_another_site(cast, client):
    response = client.post(
        LOGIN, {"username": "nurse", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("username", ["patient"])
def test_a_patient_user_does_not_reach_staff_pages(cast, client, username):
    sign_in(client, username)
    assert client.get("/patients/").status_code == 403
