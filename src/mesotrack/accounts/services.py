"""Writes for users and their second factor."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesotrack.accounts.models import User


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment if the code from the app is right; other pending devices go."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True
