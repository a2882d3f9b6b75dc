"""Demo clinic prices, treatment plans and overrides (part of the assessment demo).

Plans follow the decision aid: usually the first option that is not contraindicated. A few women
who could become pregnant are offered dutasteride with reliable contraception, which a
practitioner overrides with a reason, as clinical_rules.md §2.2 allows.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from mesotrack.assessment.codes import Modality, PriceItem
from mesotrack.assessment.costs import Price, comparisons_to_dicts, cost_comparison
from mesotrack.assessment.models import (
    Assessment,
    ClinicPrice,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.assessment.panel import flags_from_dicts, flags_to_dicts
from mesotrack.assessment.profile import screening_profile
from mesotrack.assessment.selectors import proposed_label
from mesotrack.core.demo import DemoContext, DemoPatientProfile
from mesotrack.intake.models import Intake
from mesotrack.patients.models import Patient
from mesotrack.screening.engine import Flag, screen
from mesotrack.screening.labs import default_lab_thresholds
from mesotrack.screening.options import rank_options
from mesotrack.screening.profile import ProposedTreatment

PRICES: dict[str, dict[str, str]] = {
    "LDS": {
        PriceItem.MESOTHERAPY_SESSION: "180",
        PriceItem.PRP_SESSION: "350",
        PriceItem.TOPICAL_MINOXIDIL_MONTH: "15",
        PriceItem.ORAL_MINOXIDIL_MONTH: "20",
        PriceItem.FINASTERIDE_MONTH: "25",
        PriceItem.DUTASTERIDE_MONTH: "32",
        PriceItem.TRANSPLANT_CONSULTATION: "100",
        PriceItem.TRANSPLANT_PER_GRAFT: "2.50",
        PriceItem.SPECIALIST_REFERRAL: "80",
        PriceItem.SUPPLEMENTS_MONTH: "12",
        PriceItem.BLOOD_TESTS: "95",
    },
    # York does not do transplants itself: its comparison says "no price set" for the procedure.
    "YRK": {
        PriceItem.MESOTHERAPY_SESSION: "160",
        PriceItem.PRP_SESSION: "320",
        PriceItem.TOPICAL_MINOXIDIL_MONTH: "14",
        PriceItem.ORAL_MINOXIDIL_MONTH: "18",
        PriceItem.FINASTERIDE_MONTH: "22",
        PriceItem.DUTASTERIDE_MONTH: "30",
        PriceItem.TRANSPLANT_CONSULTATION: "120",
        PriceItem.SPECIALIST_REFERRAL: "75",
        PriceItem.SUPPLEMENTS_MONTH: "12",
        PriceItem.BLOOD_TESTS: "90",
    },
}

COCKTAILS = {
    "male": [("dutasteride",), ("dutasteride", "minoxidil"), ("biotin", "dexpanthenol", "zinc")],
    "female": [("minoxidil", "biotin"), ("biotin", "dexpanthenol", "amino_acids")],
}

OVERRIDE_REASONS = {
    "five_ari_pregnancy_potential": (
        "Reliable contraception documented (intrauterine device), pregnancy test negative today; "
        "dutasteride and pregnancy discussed and the information leaflet given."
    ),
    "bleeding_disorder": (
        "Haematologist's letter on file clears superficial scalp injections; pressure held after "
        "each point and observed for 30 minutes."
    ),
    "low_platelets": (
        "Repeat count within range last week (letter on file); superficial technique only."
    ),
}


@dataclass
class Visit:
    patient: Patient
    story: DemoPatientProfile
    intake: Intake
    assessment: Assessment


def screening_of(visit: Visit, proposed: ProposedTreatment, on_date: dt.date) -> tuple:
    profile = screening_profile(visit.patient, visit.intake, visit.assessment, on_date=on_date)
    return profile, screen(profile, proposed, lab_thresholds=default_lab_thresholds())


def _price_lists(context: DemoContext) -> dict[int, dict[str, str]]:
    """Leeds's list for the first clinic, York's for the second."""
    return {
        clinic.pk: prices
        for clinic, prices in zip(context.clinics.values(), PRICES.values(), strict=False)
    }


def seed_prices(context: DemoContext) -> int:
    """Both clinics' price lists; returns how many clinics got one."""
    rows = [
        ClinicPrice(
            clinic_id=clinic_id,
            item=item,
            amount=Decimal(amount),
            currency="GBP",
            updated_by=context.users["manager"],
        )
        for clinic_id, prices in _price_lists(context).items()
        for item, amount in prices.items()
    ]
    ClinicPrice.objects.bulk_create(rows)
    return len(_price_lists(context))


def _proposal(context: DemoContext, visit: Visit, modality: str) -> ProposedTreatment | None:
    if modality not in ("mesotherapy", "prp"):
        return None
    if modality == "prp":
        return ProposedTreatment("prp", anaesthetic="lidocaine_prilocaine_cream")
    sex = "male" if visit.patient.sex_at_birth == "male" else "female"
    cocktail = context.rng.choice(COCKTAILS[sex])
    story = visit.story
    if story.could_become_pregnant and not story.pregnant and context.rng.random() < 0.5:
        # Clinics do offer dutasteride to women with reliable contraception, after an override.
        cocktail = ("dutasteride", "biotin")
    return ProposedTreatment("mesotherapy", cocktail, anaesthetic="lidocaine_prilocaine_cream")


def _plan(context: DemoContext, visit: Visit, prices: dict[str, Price]) -> TreatmentPlan:
    rng, assessment = context.rng, visit.assessment
    day = assessment.assessed_on
    profile, result = screening_of(visit, ProposedTreatment("mesotherapy"), day)
    options = sorted(rank_options(profile, result), key=lambda o: o.rank)
    usable = [o for o in options if not o.contraindicated] or options
    chosen = usable[0] if rng.random() < 0.7 or len(usable) == 1 else usable[1]
    proposed = _proposal(context, visit, chosen.modality)
    chosen_result = (
        screen(profile, proposed, lab_thresholds=default_lab_thresholds()) if proposed else result
    )
    decided_at = (assessment.signed_at or timezone.now()) + dt.timedelta(minutes=20)
    decision = rng.choices(["accepted", "thinking_it_over", "declined"], [70, 20, 10])[0]
    return TreatmentPlan(
        patient=visit.patient,
        assessment=assessment,
        chosen_modality=chosen.modality,
        medical_options=list(chosen.medical_options[:1]),
        ingredients=list(proposed.ingredients) if proposed else [],
        anaesthetic=(proposed.anaesthetic or "") if proposed else "",
        details=chosen.suggested_protocol or "",
        goals=sorted(rng.sample(["slow_loss", "regrow", "avoid_pills", "lowest_cost"], k=2)),
        options_snapshot=[dataclasses.asdict(option) for option in options],
        screening_snapshot=flags_to_dicts(chosen_result.flags),
        costs_snapshot=comparisons_to_dicts(cost_comparison(options, prices)),
        patient_decision=decision,
        decided_at=decided_at,
        decision_history=[
            {
                "decision": decision,
                "at": decided_at.isoformat(),
                "by": assessment.signed_by.get_username() if assessment.signed_by else "",
            }
        ],
        recorded_by=assessment.signed_by,
    )


def plans_and_overrides(context: DemoContext, signed: list[Visit]) -> tuple[int, int]:
    prices_by_clinic = {
        clinic_id: {item: Price(Decimal(amount), "GBP") for item, amount in prices.items()}
        for clinic_id, prices in _price_lists(context).items()
    }
    plans = [
        _plan(context, visit, prices_by_clinic.get(visit.patient.clinic_id, {}))
        for visit in signed
        if context.rng.random() < 0.6
    ]
    TreatmentPlan.objects.bulk_create(plans, batch_size=200)
    for plan in plans:
        plan.created_at = plan.updated_at = plan.decided_at
    TreatmentPlan.objects.bulk_update(plans, ["created_at", "updated_at"], batch_size=200)
    overrides = _overrides(plans)
    return len(plans), overrides


def _overridable(flags: list[Flag]) -> Flag | None:
    # Only blocks a clinic might reasonably override with a reason; never pregnancy itself.
    return next((f for f in flags if f.severity == "block" and f.code in OVERRIDE_REASONS), None)


def _overrides(plans: list[TreatmentPlan]) -> int:
    rows: list[ScreeningOverride] = []
    for plan in plans:
        if plan.chosen_modality not in (Modality.MESOTHERAPY, Modality.PRP) or len(rows) >= 3:
            continue
        flag = _overridable(flags_from_dicts(plan.screening_snapshot))
        if flag is None or plan.patient_decision != "accepted":
            continue
        proposed = ProposedTreatment(
            plan.chosen_modality, tuple(plan.ingredients), plan.anaesthetic or None
        )
        rows.append(
            ScreeningOverride(
                patient=plan.patient,
                flag_code=flag.code,
                ingredient=flag.ingredient or "",
                flag_message=f"{flag.message} ({proposed_label(proposed)})",
                reason=OVERRIDE_REASONS[flag.code],
                practitioner=plan.recorded_by,
                created_at=plan.decided_at,
                valid_until=plan.decided_at.date() + dt.timedelta(days=90),
                assessment=plan.assessment,
                plan=plan,
            )
        )
    ScreeningOverride.objects.bulk_create(rows)
    return len(rows)
