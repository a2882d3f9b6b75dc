"""Print how to reach the demo and sign in (used by `make demo`)."""

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from mesotrack.core.demo import DEMO_TOTP_KEY_HEX

LOGINS = [
    ("manager", "clinic manager, Leeds", True),
    ("doctor", "practitioner, Leeds", True),
    ("nurse", "nurse, Leeds", False),
    ("reception", "receptionist, Leeds", False),
    ("doctor2", "practitioner, York", True),
    ("patient", "patient (portal)", False),
]


class Command(BaseCommand):
    help = "Print the demo URL, logins and how to pass two-factor authentication."

    def handle(self, *args: Any, **options: Any) -> None:
        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
        lines = [
            "",
            "MesoTrack demo: http://127.0.0.1:8000/accounts/login/",
            f"Password for every demo user: {settings.DEMO_PASSWORD}",
        ]
        lines += [f"  {name:<10} {role}{' (2FA)' if totp else ''}" for name, role, totp in LOGINS]
        lines += [
            "2FA: add this key to any authenticator app (TOTP, 6 digits, 30 s):",
            f"  {secret}",
            "or print the current code with: .venv/bin/python manage.py demo_totp doctor",
            "",
        ]
        self.stdout.write("\n".join(lines))
