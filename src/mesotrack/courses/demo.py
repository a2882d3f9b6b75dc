"""Demo courses (called by `manage.py seed_demo`, after the formulary's demo).

Patients whose plan chose mesotherapy or PRP get a course that starts a few days after the
decision: courses decided long ago are completed, recent ones in progress, the newest planned.
Some patients missed a session (the rest re-planned after it), some courses were cancelled, some
men went on to quarterly dutasteride. The calendars fill with a believable clinic week.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.assessment.models import TreatmentPlan
from mesotrack.core.demo import DemoContext
from mesotrack.courses.demo_book import DemoBook, Planned
from mesotrack.courses.demo_calendar import seed_clinic_time
from mesotrack.courses.demo_rows import save
from mesotrack.formulary.models import Recipe, RecipeVersion
from mesotrack.patients.models import Patient

RECIPE_OF = {
    "dutasteride_moftah": "Dutasteride 0.01% + saline",
    "dutasteride_abdallah": "Dutasteride 0.01% + saline",
    "dutasteride_quarterly": "Dutasteride 0.01% + saline",
    "minoxidil_uzel": "Minoxidil 0.5% intradermal",
    "cocktail_weekly_then_taper": "Revitalising cocktail",
    "mesotherapy_delrobai": "Revitalising cocktail",
    "prp_iadvl": "PRP 6 mL",
    "prp_iadvl_five": "PRP 6 mL",
}
ZONES = {
    "male_pattern": [["frontal_hairline", "frontal", "vertex"], ["vertex", "mid_scalp"]],
    "female_pattern": [
        ["mid_scalp", "frontal", "vertex"],
        ["mid_scalp", "left_parietal", "right_parietal"],
    ],
}
TIMES = [dt.time(h, m) for h in range(9, 17) for m in (0, 30)]
PLANNED_WITHIN_DAYS = 30


@dataclass
class Spec:
    patient: Patient
    protocol: str
    versions: list[RecipeVersion]
    practitioner: User
    start: dt.date
    zones: list[str]
    preferred: dt.time
    miss: bool = False
    cancel: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _protocol(context: DemoContext, modality: str, ingredients: list[str], hair_loss: str) -> str:
    rng = context.rng
    if modality == "prp":
        return rng.choice(["prp_iadvl", "prp_iadvl", "prp_iadvl_five"])
    female = hair_loss == "female_pattern"
    if "dutasteride" in ingredients:
        return (
            "dutasteride_moftah"
            if female
            else rng.choice(["dutasteride_abdallah", "dutasteride_quarterly"])
        )
    if "minoxidil" in ingredients:
        return "minoxidil_uzel"
    if ingredients or female:
        return rng.choice(["cocktail_weekly_then_taper", "mesotherapy_delrobai", "minoxidil_uzel"])
    return rng.choice(["dutasteride_abdallah", "minoxidil_uzel", "cocktail_weekly_then_taper"])


def _later_modality(plan: TreatmentPlan) -> str | None:
    """An injectable option the decision aid also offered (not ruled out), for a patient who
    first corrected a deficiency or started tablets: clinics add it a few months later."""
    for option in sorted(plan.options_snapshot, key=lambda o: o.get("rank", 99)):
        if option.get("modality") in ("mesotherapy", "prp") and not option.get("contraindicated"):
            return str(option["modality"])
    return None


def _plans(context: DemoContext) -> list[tuple[TreatmentPlan, str, int]]:
    """(plan, modality, days from the decision to the course) for each patient's latest accepted
    plan that leads to mesotherapy or PRP, now or after a deficiency or tablets."""
    latest: dict[int, TreatmentPlan] = {}
    for plan in TreatmentPlan.objects.filter(
        patient__in=context.patients, patient_decision="accepted"
    ).order_by("decided_at", "id"):
        latest[plan.patient_id] = plan
    found = []
    for plan in latest.values():
        if plan.chosen_modality in ("mesotherapy", "prp"):
            found.append((plan, plan.chosen_modality, context.rng.randint(4, 18)))
        elif plan.chosen_modality in ("correct_deficiency", "medical_therapy"):
            modality = _later_modality(plan)
            if modality and context.rng.random() < 0.8:
                found.append((plan, modality, context.rng.randint(60, 120)))
    return found


def _practitioner(context: DemoContext, patient: Patient) -> User:
    if patient.clinic.code == "YRK":
        return context.users["doctor2"]
    return context.users["doctor"] if context.rng.random() < 0.6 else context.users["nurse"]


def _specs(context: DemoContext, recipes: dict[str, list[RecipeVersion]]) -> list[Spec]:
    rng, today = context.rng, context.today
    by_id = {p.pk: p for p in context.patients}
    specs = []
    for plan, modality, delay in _plans(context):
        patient = by_id[plan.patient_id]
        profile = context.profiles.get(patient.pk)
        if profile and (profile.pregnant or profile.breastfeeding):
            continue
        hair_loss = profile.hair_loss if profile else "male_pattern"
        ingredients = list(plan.ingredients) if plan.chosen_modality == modality else []
        protocol = _protocol(context, modality, ingredients, hair_loss)
        versions = recipes.get(RECIPE_OF[protocol])
        if not versions:
            continue
        decided = timezone.localtime(plan.decided_at).date()
        start = decided + dt.timedelta(days=delay)
        if start <= today < start + dt.timedelta(days=3):
            # Not today or just before: the demo's "now" would cut a first visit in half.
            start = today + dt.timedelta(days=rng.randint(1, 20))
        specs.append(
            Spec(
                patient=patient,
                protocol=protocol,
                versions=versions,
                practitioner=_practitioner(context, patient),
                start=start,
                zones=rng.choice(ZONES.get(hair_loss, ZONES["male_pattern"])),
                preferred=rng.choice(TIMES),
                miss=rng.random() < 0.3,
                cancel=rng.random() < 0.1,
            )
        )
    return sorted(specs, key=lambda s: (s.start, s.patient.pk))


def _recipes(context: DemoContext) -> dict[str, list[RecipeVersion]]:
    found: dict[str, list[RecipeVersion]] = {}
    for version in (
        RecipeVersion.objects.filter(recipe__organisation=context.organisation)
        .select_related("recipe")
        .order_by("recipe", "version")
    ):
        found.setdefault(version.recipe.name, []).append(version)
    for recipe in Recipe.objects.filter(organisation=context.organisation, is_active=False):
        found.pop(recipe.name, None)
    return found


def _follow_on(
    context: DemoContext, done: Planned, recipes: dict[str, list[RecipeVersion]]
) -> Spec | None:
    """Hair mesotherapy is kept up: most patients who finish a course start another within a
    few months (men often on dutasteride every 3 months)."""
    spec = done.spec
    profile = context.profiles.get(spec.patient.pk)
    if done.status != "completed" or spec.protocol.startswith("prp") or context.rng.random() > 0.85:
        return None
    male = profile is None or profile.hair_loss == "male_pattern"
    if male:
        protocol = context.rng.choice(["dutasteride_quarterly", "cocktail_weekly_then_taper"])
    else:
        protocol = context.rng.choice(["mesotherapy_delrobai", "cocktail_weekly_then_taper"])
    last = max(v.day for v in done.live_sessions())
    start = last + dt.timedelta(days=context.rng.randint(30, 90))
    if start > context.today + dt.timedelta(days=PLANNED_WITHIN_DAYS):
        return None
    if start <= context.today < start + dt.timedelta(days=3):
        start = context.today + dt.timedelta(days=3)
    return Spec(
        patient=spec.patient,
        protocol=protocol,
        versions=recipes[RECIPE_OF[protocol]],
        practitioner=spec.practitioner,
        start=start,
        zones=spec.zones,
        preferred=spec.preferred,
        miss=context.rng.random() < 0.2,
    )


def seed(context: DemoContext) -> None:
    chairs = seed_clinic_time(context)
    recipes = _recipes(context)
    book = DemoBook(context, chairs)
    planned: list[Planned] = []
    waiting = _specs(context, recipes)
    while waiting:
        done = [p for p in (book.plan(spec) for spec in waiting) if p]
        planned += done
        waiting = sorted(
            (f for f in (_follow_on(context, p, recipes) for p in done) if f),
            key=lambda s: (s.start, s.patient.pk),
        )
    counts = save(context, planned)
    context.progress(
        "opening hours, chairs and bank holidays; "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    )
