"""Demo consents: most patients signed mesotherapy and data consents, some PRP and photographs;
a few withdrew one, and some mesotherapy consents have lapsed after 12 months."""

import datetime as dt
import io
import math
import random

from django.utils import timezone
from PIL import Image, ImageDraw

from mesotrack.accounts.models import Membership, User
from mesotrack.consent.models import (
    ConsentKind,
    ConsentTemplate,
    ConsentWithdrawal,
    SignedConsent,
    consent_document_sha256,
)
from mesotrack.consent.validity import expiry_date
from mesotrack.core.demo import DemoContext
from mesotrack.patients.models import Patient

SIGNATURE_SIZE = (480, 160)
WITHDRAWAL_REASONS = [
    "Decided not to continue injections.",
    "Prefers not to have photographs taken any more.",
    "Moving abroad; asked us to stop.",
    "Wants to try tablets first.",
]


def seed(context: DemoContext) -> None:
    templates = {t.kind: t for t in ConsentTemplate.objects.filter(version=1)}
    witnesses = _witnesses_by_clinic(context)
    consents: list[SignedConsent] = []
    for patient in context.patients:
        people = witnesses.get(patient.clinic_id) or [context.users["manager"]]
        consents.extend(_patient_consents(context, patient, templates, people))
    SignedConsent.objects.bulk_create(consents, batch_size=200)
    withdrawals = _withdrawals(context, consents)
    ConsentWithdrawal.objects.bulk_create(withdrawals, batch_size=200)
    context.progress(f"{len(consents)} signed consents, {len(withdrawals)} withdrawn")


def _witnesses_by_clinic(context: DemoContext) -> dict[int, list[User]]:
    users = [context.users[name] for name in ("reception", "nurse", "doctor2")]
    by_clinic: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(user__in=users).order_by("id"):
        by_clinic.setdefault(membership.clinic_id, []).append(
            next(u for u in users if u.pk == membership.user_id)
        )
    return by_clinic


def _patient_consents(
    context: DemoContext,
    patient: Patient,
    templates: dict[str, ConsentTemplate],
    witnesses: list[User],
) -> list[SignedConsent]:
    rng = context.rng
    if rng.random() < 0.08:
        return []  # newly registered, nothing signed yet
    signature = signature_png(rng)
    first_visit = context.today - dt.timedelta(days=rng.randint(3, 700))
    kinds = [ConsentKind.DATA_PROCESSING, ConsentKind.MESOTHERAPY]
    if rng.random() < 0.55:
        kinds.append(ConsentKind.CLINICAL_PHOTOGRAPHY)
    if rng.random() < 0.2:
        kinds.append(ConsentKind.PRP)
    witness = rng.choice(witnesses)
    consents = []
    for kind in kinds:
        signed_at = _at_clinic_time(rng, first_visit)
        consents.append(_consent(patient, templates[kind], signature, signed_at, witness))
    renewal = context.today - dt.timedelta(days=rng.randint(1, 40))
    if first_visit < context.today - dt.timedelta(days=365) and rng.random() < 0.85:
        # Most long-standing patients renewed their lapsed mesotherapy consent.
        signed_at = _at_clinic_time(rng, renewal)
        template = templates[ConsentKind.MESOTHERAPY]
        consents.append(_consent(patient, template, signature, signed_at, witness))
    return consents


def _at_clinic_time(rng: random.Random, day: dt.date) -> dt.datetime:
    clock = dt.time(rng.randint(9, 17), rng.choice([0, 10, 20, 30, 40, 50]))
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _consent(
    patient: Patient,
    template: ConsentTemplate,
    signature: bytes,
    signed_at: dt.datetime,
    witness: User,
) -> SignedConsent:
    witness_name = witness.get_full_name() or witness.get_username()
    return SignedConsent(
        patient=patient,
        template=template,
        kind=template.kind,
        title_snapshot=template.title,
        body_snapshot=template.body,
        typed_name=patient.full_name,
        signature_png=signature,
        signed_at=signed_at,
        expires_on=expiry_date(timezone.localdate(signed_at), template.valid_for_months),
        witness=witness,
        witness_name=witness_name,
        document_sha256=consent_document_sha256(
            kind=template.kind,
            version=template.version,
            patient_id=patient.pk,
            title=template.title,
            body=template.body,
            typed_name=patient.full_name,
            signer_relationship="",
            witness_name=witness_name,
            signed_at=signed_at,
            signature_png=signature,
        ),
    )


def _withdrawals(context: DemoContext, consents: list[SignedConsent]) -> list[ConsentWithdrawal]:
    latest: dict[tuple[int, str], SignedConsent] = {}
    for consent in consents:
        key = (consent.patient_id, consent.kind)
        if key not in latest or consent.signed_at > latest[key].signed_at:
            latest[key] = consent
    withdrawals = []
    for consent in latest.values():
        if consent.kind == ConsentKind.DATA_PROCESSING or context.rng.random() > 0.04:
            continue
        signed_on = timezone.localdate(consent.signed_at)
        days_since = (context.today - signed_on).days
        if days_since < 2:
            continue
        withdrawn_on = signed_on + dt.timedelta(days=context.rng.randint(1, days_since - 1))
        recorder = consent.witness or context.users["manager"]
        withdrawals.append(
            ConsentWithdrawal(
                consent=consent,
                withdrawn_at=_at_clinic_time(context.rng, withdrawn_on),
                recorded_by=recorder,
                recorded_by_name=recorder.get_full_name() or recorder.get_username(),
                reason=context.rng.choice(WITHDRAWAL_REASONS),
            )
        )
    return withdrawals


def signature_png(rng: random.Random) -> bytes:
    """A made-up handwritten-looking squiggle: a few loops along a baseline, then an underline."""
    width, height = SIGNATURE_SIZE
    image = Image.new("L", SIGNATURE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    loops = rng.randint(5, 9)
    loop_size = rng.uniform(14, 26)
    slant = rng.uniform(-0.35, 0.1)
    points = []
    for step in range(400):
        t = step / 399
        turn = t * loops * 2 * math.pi
        # A trochoid: a pen moving right while circling draws loops like joined-up writing.
        x = 30 + t * (width - 90) + loop_size * 1.2 * math.cos(turn + math.pi / 2)
        y = height / 2 - loop_size * math.sin(turn + math.pi / 2) * (1.2 - 0.6 * t)
        points.append((x + slant * (y - height / 2), y + rng.uniform(-0.8, 0.8)))
    draw.line(points, fill=20, width=3, joint="curve")
    underline_y = height - 30 + rng.uniform(-6, 6)
    draw.line(
        [(40, underline_y), (width - rng.randint(40, 140), underline_y - rng.uniform(0, 12))],
        fill=20,
        width=2,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
