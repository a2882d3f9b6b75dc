import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from mesotrack.accounts.models import Membership, Organisation, Role, User
from mesotrack.patients.models import Patient


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_builds_the_documented_organisation():
    run("seed_demo")
    assert Organisation.objects.count() == 1
    roles = {
        (m.user.username, m.clinic.code, m.role)
        for m in Membership.objects.select_related("user", "clinic")
    }
    assert roles == {
        ("manager", "LDS", Role.MANAGER),
        ("manager", "YRK", Role.MANAGER),
        ("doctor", "LDS", Role.PRACTITIONER),
        ("nurse", "LDS", Role.NURSE),
        ("reception", "LDS", Role.RECEPTIONIST),
        ("doctor2", "YRK", Role.PRACTITIONER),
    }
    assert Patient.objects.count() == 300
    assert Patient.objects.get(user__username="patient").full_name == "Sofia Haddad"
    assert User.objects.get(username="doctor").check_password("mesotrack-demo")


@pytest.mark.django_db
def test_seed_demo_is_deterministic_and_varied():
    run("seed_demo")
    first = list(
        Patient.objects.order_by("record_number").values_list(
            "given_name", "family_name", "date_of_birth"
        )
    )
    sexes = set(Patient.objects.values_list("sex_at_birth", flat=True))
    assert sexes == {"male", "female"}
    assert len({row[1] for row in first}) > 30
    from django.core.management import call_command as again  # noqa: F401

    assert "already present" in run("seed_demo", "--if-empty")


@pytest.mark.django_db
def test_seed_demo_refuses_production_settings():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        run("seed_demo")


@pytest.mark.django_db
def test_demo_totp_prints_a_code_the_device_accepts():
    run("seed_demo")
    code = run("demo_totp", "doctor").strip()
    device = User.objects.get(username="doctor").totpdevice_set.get()
    assert len(code) == 6 and device.verify_token(code)


def test_demo_logins_lists_every_demo_user():
    output = run("demo_logins")
    for name in ["manager", "doctor", "nurse", "reception", "doctor2", "patient", "mesotrack-demo"]:
        assert name in output
