"""Helpers that make signed consents the way the clinic does: through the services."""

import base64
import datetime as dt
import io
from contextlib import AbstractContextManager, nullcontext
from unittest import mock

from PIL import Image, ImageDraw

from mesotrack.accounts.models import User
from mesotrack.consent import services
from mesotrack.consent.models import ConsentTemplate, ConsentWithdrawal, SignedConsent
from mesotrack.consent.selectors import consent_template_current
from mesotrack.patients.models import Patient


def png_bytes(size: tuple[int, int] = (300, 100), *, ink: bool = True, mode: str = "RGBA") -> bytes:
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else "white")
    if ink:
        ImageDraw.Draw(image).line([(10, 10), (size[0] - 10, size[1] - 10)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def frozen(at: dt.datetime | None) -> AbstractContextManager[object]:
    return mock.patch("django.utils.timezone.now", return_value=at) if at else nullcontext()


def current_template(kind: str = "mesotherapy") -> ConsentTemplate:
    template = consent_template_current(kind)
    assert template is not None
    return template


def sign(
    *,
    patient: Patient,
    witness: User,
    kind: str = "mesotherapy",
    at: dt.datetime | None = None,
) -> SignedConsent:
    with frozen(at):
        return services.consent_sign(
            actor=witness,
            patient=patient,
            template=current_template(kind),
            typed_name=patient.full_name,
            signature_png=png_bytes(),
            witness_confirmed=True,
        )


def withdraw(
    consent: SignedConsent, *, actor: User, at: dt.datetime | None = None
) -> ConsentWithdrawal:
    with frozen(at):
        return services.consent_withdraw(actor=actor, consent=consent, reason="Changed her mind.")
