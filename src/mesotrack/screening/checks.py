"""The checks named in the screening_rules table's `check` column.

Each check reads a rule row (severity, triggers, params, message) and the screening context and
returns that rule's flags. Where each rule comes from is in its row's `source`; the clinical
reasoning behind the special checks:

- facts: any of the rule's conditions, medicine classes, diagnoses or yes/no answers is present
  (and, for proposal rules, one of its ingredients or anaesthetics is proposed) — §2.2 and §8.
- facts_with_medicine: as facts, and also one of the rule's medicine classes is taken (5-ARI
  tablets in anyone who could become pregnant — §2.1).
- five_ari_pregnancy_potential: a 5-alpha-reductase inhibitor in the cocktail of anyone who is
  or could become pregnant — finasteride and dutasteride labels (§2.1). Kept a block even with
  contraception recorded: the practitioner's audited override records that judgement.
- ingredient_allergy / anaesthetic_allergy: a recorded allergy to a proposed ingredient, or to
  an agent of the proposed anaesthetic (amide allergy covers lidocaine and prilocaine) — §1.4.
- low_platelets: a platelet count below `LabThresholds.platelets_low` — §2.2, §8.
- dutasteride_male_conception: a man given (or taking) dutasteride who is trying to conceive or
  has an abnormal semen analysis or erectile/ejaculatory dysfunction — Sobhy 2013 (§2.2).
- minor / minor_ingredients: age under the rule's age_limit (minoxidil, 5-ARIs) — §2.1, §2.2.
- lidocaine_per_kg / lidocaine_cap / lidocaine_weight_unknown: plain lidocaine at most 4.5 mg/kg
  and 300 mg whatever the weight (droracle 537887, §1.4); a dose with no weight cannot be checked.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard

from mesotrack.rules.schemas import ScreeningRuleRow
from mesotrack.screening import tables
from mesotrack.screening.flags import Flag, flag_from_rule, in_sentence, joined, number
from mesotrack.screening.labs import LabNotInterpreted, LabThresholds, canonical_reading
from mesotrack.screening.profile import ProposedTreatment, ScreeningProfile


@dataclass(frozen=True)
class Context:
    profile: ScreeningProfile
    proposed: ProposedTreatment | None
    thresholds: LabThresholds
    medication_classes: dict[str, tuple[str, ...]]  # class -> the patient's medicines in it
    ingredients: tuple[str, ...]  # proposed, de-duplicated, in order

    @classmethod
    def build(
        cls,
        profile: ScreeningProfile,
        proposed: ProposedTreatment | None,
        thresholds: LabThresholds,
    ) -> "Context":
        classes: dict[str, list[str]] = {}
        for code in sorted(profile.medications, key=str):
            row = tables.medications().get(code)
            if row is not None:
                classes.setdefault(row.medication_class, []).append(code)
        ingredients = tuple(dict.fromkeys(proposed.ingredients)) if proposed else ()
        return cls(
            profile=profile,
            proposed=proposed,
            thresholds=thresholds,
            medication_classes={key: tuple(value) for key, value in classes.items()},
            ingredients=ingredients,
        )

    @property
    def modalities(self) -> tuple[str, ...]:
        return (self.proposed.modality,) if self.proposed else ()

    @property
    def anaesthetic(self) -> str | None:
        return self.proposed.anaesthetic if self.proposed else None

    @property
    def lidocaine_mg(self) -> float | None:
        dose = self.proposed.lidocaine_mg if self.proposed else None
        return float(dose) if _is_number(dose) else None

    @property
    def weight_kg(self) -> float | None:
        weight = self.profile.weight_kg
        return float(weight) if _is_number(weight) and weight > 0 else None

    def flag(
        self, rule: ScreeningRuleRow, ingredient_code: str | None = None, **values: str
    ) -> Flag:
        modalities = self.modalities or rule.modalities
        return flag_from_rule(
            rule, modalities=modalities, ingredient_code=ingredient_code, **values
        )


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _label(code: str) -> str:
    return in_sentence(tables.label_of(code))


def _ingredient_label(code: str) -> str:
    row = tables.ingredients().get(code)
    return in_sentence(row.label) if row else code


def _anaesthetic_label(code: str | None) -> str:
    row = tables.anaesthetics().get(code or "")
    return in_sentence(row.label) if row else str(code)


def matched_facts(rule: ScreeningRuleRow, ctx: Context) -> list[str]:
    """Labels of the rule's trigger facts present in the profile (empty: none present)."""
    triggers, profile = rule.triggers, ctx.profile
    found = [_label(code) for code in triggers.conditions if code in profile.conditions]
    for medication_class in triggers.medication_classes:
        found += [_label(code) for code in ctx.medication_classes.get(medication_class, ())]
    if profile.diagnosis in triggers.diagnoses:
        found.append(_label(profile.diagnosis or ""))
    found += [name.replace("_", " ") for name in triggers.attributes if getattr(profile, name)]
    return list(dict.fromkeys(found))


def _proposal_matches(rule: ScreeningRuleRow, ctx: Context) -> list[str | None]:
    """The proposed ingredients the rule is about ([None] when it names no ingredients)."""
    triggers = rule.triggers
    if triggers.anaesthetics and ctx.anaesthetic not in triggers.anaesthetics:
        return []
    if not triggers.ingredients:
        return [None]
    return [code for code in ctx.ingredients if code in triggers.ingredients]


def check_facts(rule: ScreeningRuleRow, ctx: Context, **extra: str) -> list[Flag]:
    facts = matched_facts(rule, ctx)
    if rule.triggers.has_facts and not facts:
        return []
    values = {"facts": joined(facts), "anaesthetic": _anaesthetic_label(ctx.anaesthetic), **extra}
    return [
        ctx.flag(rule, ingredient, ingredient=_ingredient_label(ingredient or ""), **values)
        for ingredient in _proposal_matches(rule, ctx)
    ]


def check_facts_with_medicine(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    """Like facts, but one of the rule's medicine classes must be taken as well."""
    medicines = [
        _label(code)
        for medication_class in rule.triggers.medication_classes
        for code in ctx.medication_classes.get(medication_class, ())
    ]
    without_medicines = rule.triggers.model_copy(update={"medication_classes": ()})
    facts = matched_facts(rule.model_copy(update={"triggers": without_medicines}), ctx)
    if not medicines or not facts:
        return []
    return [ctx.flag(rule, medicines=joined(medicines), facts=joined(facts))]


def check_five_ari_pregnancy_potential(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    note = (
        " Contraception is recorded."
        if ctx.profile.contraception
        else (" No contraception is recorded.")
    )
    return check_facts(rule, ctx, contraception_note=note)


def check_ingredient_allergy(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    allergic = [code for code in ctx.ingredients if code in ctx.profile.allergies]
    return [
        ctx.flag(rule, code, ingredient=_ingredient_label(code), allergy=_label(code))
        for code in allergic
    ]


def check_anaesthetic_allergy(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    anaesthetic = tables.anaesthetics().get(ctx.anaesthetic or "")
    if anaesthetic is None:
        return []
    agents = set(anaesthetic.agents)
    allergies = [
        in_sentence(row.label)
        for code, row in tables.allergies().items()
        if code in ctx.profile.allergies and agents & set(row.agents)
    ]
    if not allergies:
        return []
    return [ctx.flag(rule, allergy=joined(allergies), anaesthetic=in_sentence(anaesthetic.label))]


def check_low_platelets(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    reading = ctx.profile.labs.get("platelets")
    if reading is None:
        return []
    try:
        platelets = canonical_reading("platelets", reading)
    except LabNotInterpreted:
        return []  # reported by lab_flags as not interpreted
    threshold = ctx.thresholds.platelets_low
    if platelets.value >= threshold:
        return []
    return [
        ctx.flag(
            rule,
            value=number(platelets.value),
            unit=platelets.unit,
            threshold=number(threshold),
        )
    ]


_CONCEPTION_REASONS = {
    "abnormal_semen_analysis": "has an abnormal semen analysis",
    "erectile_or_ejaculatory_dysfunction": "has erectile or ejaculatory dysfunction",
}


def check_dutasteride_male_conception(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    profile = ctx.profile
    if profile.sex_at_birth != "male":
        return []
    reasons = ["is trying to conceive"] if profile.trying_to_conceive else []
    reasons += [text for code, text in _CONCEPTION_REASONS.items() if code in profile.conditions]
    if not reasons:
        return []
    if "dutasteride" in ctx.ingredients:
        subject, ingredient = "Dutasteride in the cocktail", "dutasteride"
    elif "dutasteride_oral" in profile.medications:
        subject, ingredient = "Dutasteride capsules", None
    else:
        return []
    return [ctx.flag(rule, ingredient, subject=subject, reasons=joined(reasons))]


def _age(ctx: Context) -> int | None:
    age = ctx.profile.age
    return int(age) if _is_number(age) else None


def check_minor(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    age = _age(ctx)
    if age is None or age >= rule.params["age_limit"]:
        return []
    return [ctx.flag(rule, age=str(age))]


def check_minor_ingredients(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    age = _age(ctx)
    if age is None or age >= rule.params["age_limit"]:
        return []
    return check_facts(rule, ctx, age=str(age))


def check_lidocaine_per_kg(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    dose, weight = ctx.lidocaine_mg, ctx.weight_kg
    if dose is None or weight is None:
        return []
    per_kg = float(rule.params["max_mg_per_kg"])
    limit = per_kg * weight
    if dose <= limit + 1e-9:
        return []
    return [
        ctx.flag(
            rule,
            lidocaine_mg=number(dose),
            weight_kg=number(weight),
            limit_mg=number(round(limit, 1)),
        )
    ]


def check_lidocaine_cap(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    dose = ctx.lidocaine_mg
    if dose is None or dose <= float(rule.params["max_mg"]):
        return []
    return [ctx.flag(rule, lidocaine_mg=number(dose))]


def check_lidocaine_weight_unknown(rule: ScreeningRuleRow, ctx: Context) -> list[Flag]:
    dose = ctx.lidocaine_mg
    if dose is None or dose <= 0 or ctx.weight_kg is not None:
        return []
    return [ctx.flag(rule, lidocaine_mg=number(dose))]


Check = Callable[[ScreeningRuleRow, Context], list[Flag]]

CHECKS: dict[str, Check] = {
    "facts": check_facts,
    "facts_with_medicine": check_facts_with_medicine,
    "five_ari_pregnancy_potential": check_five_ari_pregnancy_potential,
    "ingredient_allergy": check_ingredient_allergy,
    "anaesthetic_allergy": check_anaesthetic_allergy,
    "low_platelets": check_low_platelets,
    "dutasteride_male_conception": check_dutasteride_male_conception,
    "minor": check_minor,
    "minor_ingredients": check_minor_ingredients,
    "lidocaine_per_kg": check_lidocaine_per_kg,
    "lidocaine_cap": check_lidocaine_cap,
    "lidocaine_weight_unknown": check_lidocaine_weight_unknown,
}
