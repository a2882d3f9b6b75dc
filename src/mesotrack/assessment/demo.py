"""Demo assessments, plans, overrides and clinic prices (called by `manage.py seed_demo`).

Each patient's assessment tells their story (context.profiles): the diagnosis matches the hair
loss, the stage fits sex and age, telogen effluvium gives a positive pull test, alopecia areata a
SALT score. Most are signed on the intake day by the clinic's practitioner; some are drafts. Many
signed assessments lead to a plan; a couple of blocks are overridden with a reason.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.accounts.selectors import clinic_ids_for
from mesotrack.assessment.demo_plans import (
    Visit,
    plans_and_overrides,
    screening_of,
    seed_prices,
)
from mesotrack.assessment.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentStatus,
)
from mesotrack.assessment.panel import flags_to_dicts
from mesotrack.core.demo import DemoContext, DemoPatientProfile
from mesotrack.intake.models import Intake
from mesotrack.patients.models import Patient
from mesotrack.screening.labs import default_lab_thresholds, lab_flags
from mesotrack.screening.profile import ProposedTreatment
from mesotrack.screening.scales import pull_test_positive, salt_score

NORWOOD_BY_AGE = [
    (30, ["I", "II", "II", "IIa", "III", "III vertex"]),
    (45, ["II", "III", "III vertex", "IIIa", "IV", "IV", "IVa", "V"]),
    (200, ["III vertex", "IV", "V", "V", "Va", "VI", "VII"]),
]
SCARRING_CODES = ["L66.1", "L66.2", "L66.9", "L66.8"]
AGA_FINDINGS = ["diameter_diversity", "vellus_hairs", "yellow_dots", "perifollicular_discoloration"]
AREATA_FINDINGS = ["exclamation_mark_hairs", "black_dots", "yellow_dots", "broken_hairs"]
SCARRING_FINDINGS = ["loss_of_follicular_openings", "perifollicular_scaling"]
ADDENDA = [
    "Pull test repeated at the occiput: 2 of 55 hairs, negative.",
    "Photographs reviewed with the patient: agrees with the stage.",
    "Thyroid result arrived after signing: normal.",
]


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    clock = dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _stage(rng: random.Random, patient: Patient, story: DemoPatientProfile, day: dt.date) -> dict:
    age = patient.age_on(day)
    if story.hair_loss == "male_pattern":
        choices = next(stages for limit, stages in NORWOOD_BY_AGE if age < limit)
        return {"stage_scale": "norwood", "stage_value": rng.choice(choices)}
    if story.hair_loss == "female_pattern":
        scale = rng.choice(["ludwig", "ludwig", "sinclair", "olsen"])
        values = {
            "ludwig": ["I", "I", "II", "III"],
            "sinclair": ["2", "3", "3", "4"],
            "olsen": ["1", "2"],
        }[scale]
        return {"stage_scale": scale, "stage_value": rng.choice(values)}
    if story.hair_loss == "alopecia_areata":
        loss = {r: float(rng.choice([0, 5, 10, 20, 40])) for r in ("posterior", "right", "left")}
        loss["vertex"] = float(rng.choice([5, 10, 25, 50]))
        score, salt_class = salt_score(loss)
        total = Decimal(str(round(score, 1)))
        return {
            "stage_scale": "salt",
            "stage_value": f"{total.normalize():f}",
            "salt_loss": loss,
            "salt_total": total,
            "salt_class": salt_class,
        }
    return {}


def _diagnosis(rng: random.Random, patient: Patient, story: DemoPatientProfile) -> dict:
    if story.hair_loss == "male_pattern":
        return {"diagnosis": "aga_male", "icd10_code": "L64.9"}
    if story.hair_loss == "female_pattern":
        return {"diagnosis": "fphl", "icd10_code": rng.choice(["L64.9", "L64.8"])}
    if story.hair_loss == "telogen_effluvium":
        course = "acute" if story.onset_years_ago < 0.5 else "chronic"
        return {"diagnosis": "telogen_effluvium", "icd10_code": "L65.0", "telogen_course": course}
    if story.hair_loss == "alopecia_areata":
        return {"diagnosis": "alopecia_areata", "icd10_code": "L63.9"}
    return {"diagnosis": "scarring_alopecia", "icd10_code": rng.choice(SCARRING_CODES)}


def _tests(rng: random.Random, story: DemoPatientProfile) -> dict[str, Any]:
    held = rng.randint(50, 60)
    out = {
        "telogen_effluvium": rng.randint(6, 15),
        "alopecia_areata": rng.randint(2, 9),
    }.get(story.hair_loss, rng.randint(0, 4))
    findings = {
        "male_pattern": AGA_FINDINGS,
        "female_pattern": AGA_FINDINGS,
        "alopecia_areata": AREATA_FINDINGS,
        "scarring": SCARRING_FINDINGS,
    }.get(story.hair_loss, [])
    entries: dict[str, Any] = {
        "pull_test_hairs_held": held,
        "pull_test_hairs_out": out,
        "pull_test_positive": pull_test_positive(held, out),
        "hair_count_60s": rng.randint(25, 90)
        if story.hair_loss == "telogen_effluvium"
        else rng.randint(3, 20),
        "trichoscopy_findings": sorted(rng.sample(findings, k=min(len(findings), 2)))
        if findings
        else [],
    }
    if story.hair_loss == "female_pattern" and rng.random() < 0.3:
        entries["wash_test_total"] = rng.randint(40, 110)
        entries["wash_test_short_percent"] = Decimal(str(round(rng.uniform(6, 18), 1)))
    if rng.random() < 0.15:
        octants = [rng.randint(0, 4) for _ in range(8)]
        entries.update(seborrhoeic_dermatitis=True, asfs_octants=octants, asfs_total=sum(octants))
    return entries


def _assessment(context: DemoContext, patient: Patient, intake: Intake, signer: User) -> Assessment:
    rng, story = context.rng, context.profiles[patient.pk]
    day = intake.created_at.date()
    assessment = Assessment(
        patient=patient,
        assessed_on=day,
        created_by=intake.created_by,
        updated_by=signer,
        **_diagnosis(rng, patient, story),
        **_stage(rng, patient, story, day),
        **_tests(rng, story),
    )
    return assessment


def _first_intakes(context: DemoContext) -> dict[int, Intake]:
    intakes = Intake.objects.filter(patient__in=context.patients, version=1).select_related(
        "created_by"
    )
    return {intake.patient_id: intake for intake in intakes}


def _signer(context: DemoContext, patient: Patient, first_clinic: set[int]) -> User:
    return context.users["doctor" if patient.clinic_id in first_clinic else "doctor2"]


def seed(context: DemoContext) -> None:
    rng = context.rng
    priced = seed_prices(context)
    intakes = _first_intakes(context)
    first_clinic = clinic_ids_for(context.users["doctor"])
    visits: list[Visit] = []
    for patient in context.patients:
        intake = intakes.get(patient.pk)
        if intake is None or rng.random() < 0.1:
            continue
        signer = _signer(context, patient, first_clinic)
        assessment = _assessment(context, patient, intake, signer)
        visits.append(Visit(patient, context.profiles[patient.pk], intake, assessment))
    Assessment.objects.bulk_create([v.assessment for v in visits], batch_size=200)
    for visit in visits:
        # bulk_create stamps "now"; the visit happened on the intake day.
        visit.assessment.created_at = _at(rng, visit.assessment.assessed_on)
        visit.assessment.updated_at = visit.assessment.created_at + dt.timedelta(
            minutes=rng.randint(15, 40)
        )
    signed = _sign_most(context, visits, first_clinic)
    addenda = _addenda(context, signed)
    plans, overrides = plans_and_overrides(context, signed)
    context.progress(
        f"{len(visits)} assessments ({len(visits) - len(signed)} drafts), {addenda} addenda, "
        f"{plans} plans, {overrides} overrides, prices for {priced} clinics"
    )


def _sign_most(context: DemoContext, visits: list[Visit], first_clinic: set[int]) -> list[Visit]:
    signed = []
    for visit in visits:
        if context.rng.random() < 0.08:
            continue
        assessment = visit.assessment
        profile, result = screening_of(
            visit, ProposedTreatment("mesotherapy"), assessment.assessed_on
        )
        assessment.lab_flags = flags_to_dicts(
            lab_flags(profile.labs, profile.sex_at_birth, default_lab_thresholds())
        )
        assessment.screening = flags_to_dicts(result.flags)
        assessment.status = AssessmentStatus.SIGNED
        assessment.signed_by = _signer(context, visit.patient, first_clinic)
        assessment.signed_at = assessment.updated_at + dt.timedelta(minutes=5)
        signed.append(visit)
    # Every row is still a draft in the database, so this one UPDATE is allowed.
    Assessment.objects.bulk_update(
        [v.assessment for v in visits],
        ["created_at", "updated_at", "status", "signed_by", "signed_at", "lab_flags", "screening"],
        batch_size=200,
    )
    return signed


def _addenda(context: DemoContext, signed: list[Visit]) -> int:
    rows = [
        AssessmentAddendum(
            assessment=visit.assessment,
            text=context.rng.choice(ADDENDA),
            author=visit.assessment.signed_by,
            created_at=(visit.assessment.signed_at or timezone.now()) + dt.timedelta(days=3),
        )
        for visit in signed
        if context.rng.random() < 0.06
    ]
    AssessmentAddendum.objects.bulk_create(rows, batch_size=200)
    return len(rows)
