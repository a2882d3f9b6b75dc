"""Demo intakes (called by `manage.py seed_demo`): one per patient, told from their profile.

Most are signed by the clinic's practitioner at the first visit; some are still drafts; a few
patients have a second version with repeat blood tests and a new weight.
"""

import copy
import datetime as dt
import random
from typing import Any

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.accounts.selectors import clinic_ids_for
from mesotrack.core.demo import DemoContext
from mesotrack.intake.answers import validate_answers
from mesotrack.intake.demo_answers import demo_answers, demo_labs
from mesotrack.intake.models import Intake, IntakeStatus
from mesotrack.patients.models import Patient

UPDATED_FIELDS = ["created_at", "updated_at", "status", "signed_by", "signed_at", "updated_by"]


def _at_clinic_time(rng: random.Random, day: dt.date) -> dt.datetime:
    clock = dt.time(rng.randint(9, 16), rng.choice([0, 10, 20, 30, 40, 50]))
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _stored(answers: dict[str, Any]) -> dict[str, Any]:
    return validate_answers(answers).model_dump(mode="json")


def _stamp(rng: random.Random, intake: Intake, started: dt.datetime, signer: User | None) -> None:
    intake.created_at = started
    intake.updated_at = started + dt.timedelta(minutes=rng.randint(10, 40))
    if signer is not None:
        intake.status = IntakeStatus.SIGNED
        intake.signed_by = intake.updated_by = signer
        intake.signed_at = intake.updated_at + dt.timedelta(minutes=rng.randint(5, 60))


def _repeat_visit(
    context: DemoContext, patient: Patient, first: Intake, seen_on: dt.date
) -> dict[str, Any]:
    answers = copy.deepcopy(first.answers)
    story = context.profiles[patient.pk]
    labs = demo_labs(context.rng, patient, story, seen_on - dt.timedelta(days=5))
    answers["labs"] = [*answers["labs"], *labs]
    if answers["weight_kg"] is not None:
        answers["weight_kg"] = round(float(answers["weight_kg"]) + context.rng.uniform(-3, 3), 1)
    return _stored(answers)


def seed(context: DemoContext) -> None:
    rng, today = context.rng, context.today
    first_clinic = clinic_ids_for(context.users["doctor"])
    nurse_clinics = clinic_ids_for(context.users["nurse"])
    firsts: list[Intake] = []
    signers: dict[int, User | None] = {}
    visits: dict[int, dt.datetime] = {}
    for patient in context.patients:
        signer = context.users["doctor" if patient.clinic_id in first_clinic else "doctor2"]
        author = context.users["nurse"] if patient.clinic_id in nurse_clinics else signer
        seen_on = today - dt.timedelta(days=rng.randint(1, 700))
        answers = demo_answers(rng, patient, context.profiles[patient.pk], seen_on)
        firsts.append(
            Intake(
                patient=patient,
                version=1,
                answers=_stored(answers),
                created_by=author,
                updated_by=author,
            )
        )
        signers[patient.pk] = None if rng.random() < 0.1 else signer
        visits[patient.pk] = _at_clinic_time(rng, seen_on)
    Intake.objects.bulk_create(firsts)
    for intake in firsts:
        _stamp(rng, intake, visits[intake.patient_id], signers[intake.patient_id])
    Intake.objects.bulk_update(firsts, UPDATED_FIELDS, batch_size=200)
    seconds = _second_versions(context, firsts)
    context.progress(
        f"{len(firsts) + len(seconds)} intake versions "
        f"({sum(1 for i in firsts + seconds if i.status == IntakeStatus.DRAFT)} drafts)"
    )


def _second_versions(context: DemoContext, firsts: list[Intake]) -> list[Intake]:
    rng, today = context.rng, context.today
    patients = {patient.pk: patient for patient in context.patients}
    seconds, stamps = [], []
    for first in firsts:
        days_since = (today - first.created_at.date()).days
        if first.status != IntakeStatus.SIGNED or days_since < 120 or rng.random() > 0.15:
            continue
        seen_on = today - dt.timedelta(days=rng.randint(1, days_since - 90))
        patient = patients[first.patient_id]
        second = Intake(
            patient=patient,
            version=2,
            answers=_repeat_visit(context, patient, first, seen_on),
            created_by=first.created_by,
            updated_by=first.created_by,
            supersedes=first,
        )
        seconds.append(second)
        stamps.append(
            (_at_clinic_time(rng, seen_on), first.signed_by if rng.random() < 0.6 else None)
        )
    Intake.objects.bulk_create(seconds)
    for second, (started, signer) in zip(seconds, stamps, strict=True):
        _stamp(rng, second, started, signer)
    Intake.objects.bulk_update(seconds, UPDATED_FIELDS, batch_size=200)
    return seconds
