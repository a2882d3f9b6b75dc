"""Dose arithmetic for one session of a cocktail: how much of each ingredient it holds and at
what concentration, checked against the catalogue's caps and published concentrations and
against the combinations in the `ingredient_interactions` rule table.

Plain functions over plain data: a saved recipe version, a form being filled in and the API all
describe a cocktail as components (so many mL of a product whose composition per mL is known).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from mesotrack.formulary.catalogue import CatalogueIngredient, convert, ingredient_catalogue, plain
from mesotrack.rules import load_table
from mesotrack.rules.catalogue_schemas import IngredientInteractionRow
from mesotrack.screening.profile import ProposedTreatment

Severity = Literal["block", "warn", "info"]
SHOWN_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class CompositionLine:
    ingredient_code: str
    amount: Decimal  # in 1 mL (or 1 g) of the product
    unit: str  # g, mg or µg


@dataclass(frozen=True)
class CocktailComponent:
    product_name: str
    volume_ml: Decimal
    composition: tuple[CompositionLine, ...]


@dataclass(frozen=True)
class IngredientDose:
    ingredient: CatalogueIngredient
    amount: Decimal  # in one session, in the ingredient's unit
    concentration: Decimal  # per mL of the cocktail, in the ingredient's unit
    products: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.ingredient.code

    @property
    def label(self) -> str:
        return self.ingredient.label

    @property
    def unit(self) -> str:
        return self.ingredient.unit

    @property
    def amount_text(self) -> str:
        return f"{amount_text(self.amount)} {self.unit}"

    @property
    def concentration_text(self) -> str:
        return f"{amount_text(self.concentration)} {self.unit}/mL"


@dataclass(frozen=True)
class DoseCheck:
    severity: Severity
    code: str
    message: str
    source: str
    ingredient: str | None = None


@dataclass(frozen=True)
class DoseReport:
    total_volume_ml: Decimal
    doses: tuple[IngredientDose, ...]
    checks: tuple[DoseCheck, ...]

    @property
    def blocks(self) -> list[DoseCheck]:
        return [check for check in self.checks if check.severity == "block"]

    @property
    def blocked(self) -> bool:
        return bool(self.blocks)

    def dose_of(self, code: str) -> IngredientDose | None:
        return next((dose for dose in self.doses if dose.code == code), None)


def amount_text(amount: Decimal) -> str:
    """`amount` to four decimal places at most, without trailing zeros."""
    return plain(amount.quantize(SHOWN_PLACES)) if amount else "0"


def joined(labels: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def cocktail_doses(
    components: Sequence[CocktailComponent], *, weight_kg: Decimal | None = None
) -> DoseReport:
    """The dose and concentration of every ingredient in one session, and what to check.

    `weight_kg`, when known, turns a per-kg cap (lidocaine 4.5 mg/kg) into a check; without it the
    report reminds the prescriber to make that check for the patient.
    """
    total = sum((component.volume_ml for component in components), Decimal(0))
    doses = _doses(components, total)
    checks = [
        *(check for dose in doses for check in _cap_checks(dose, weight_kg)),
        *(check for dose in doses for check in _concentration_checks(dose)),
        *_interaction_checks(doses),
    ]
    return DoseReport(total_volume_ml=total, doses=tuple(doses), checks=tuple(checks))


def _doses(components: Sequence[CocktailComponent], total: Decimal) -> list[IngredientDose]:
    catalogue = ingredient_catalogue()
    amounts: dict[str, Decimal] = {}
    products: dict[str, list[str]] = {}
    for component in components:
        for line in component.composition:
            ingredient = catalogue[line.ingredient_code]
            per_ml = convert(line.amount, line.unit, ingredient.unit)
            amounts[ingredient.code] = amounts.get(ingredient.code, Decimal(0)) + (
                per_ml * component.volume_ml
            )
            products.setdefault(ingredient.code, []).append(component.product_name)
    return [
        IngredientDose(
            ingredient=catalogue[code],
            amount=amount,
            concentration=amount / total if total else Decimal(0),
            products=tuple(dict.fromkeys(products[code])),
        )
        for code, amount in amounts.items()
    ]


def _cap_checks(dose: IngredientDose, weight_kg: Decimal | None) -> list[DoseCheck]:
    ingredient, checks = dose.ingredient, []
    cap, per_kg = ingredient.max_per_session, ingredient.max_per_kg
    if cap is not None and dose.amount > cap:
        checks.append(
            _check(
                "block",
                "dose_cap",
                f"{dose.label}: {dose.amount_text} a session is above the cap of "
                f"{plain(cap)} {dose.unit} a session. {ingredient.cap_note}",
                dose,
            )
        )
    if per_kg is not None and weight_kg is None:
        checks.append(
            _check(
                "info",
                "dose_per_kg_unchecked",
                f"{dose.label}: {dose.amount_text} a session. Check it against "
                f"{plain(per_kg)} {dose.unit}/kg of the patient's weight.",
                dose,
            )
        )
    elif per_kg is not None and weight_kg is not None and dose.amount > per_kg * weight_kg:
        checks.append(
            _check(
                "block",
                "dose_per_kg",
                f"{dose.label}: {dose.amount_text} is above {plain(per_kg)} {dose.unit}/kg for "
                f"{plain(weight_kg)} kg ({amount_text(per_kg * weight_kg)} {dose.unit}).",
                dose,
            )
        )
    return checks


def _concentration_checks(dose: IngredientDose) -> list[DoseCheck]:
    low, high = dose.ingredient.usual_low, dose.ingredient.usual_high
    # An anaesthetic's published strength is the product's (lidocaine 1%), not a target for the
    # mixed cocktail; its dose is what the caps check.
    if low is None or high is None or dose.ingredient.ingredient_class == "anaesthetic":
        return []
    published = f"{plain(low)}–{plain(high)} {dose.unit}/mL"
    if dose.concentration > high:
        message = f"{dose.label} at {dose.concentration_text} is above the concentrations "
        return [
            _check("warn", "above_usual_concentration", message + f"published ({published}).", dose)
        ]
    if dose.concentration < low:
        message = f"{dose.label} at {dose.concentration_text} is below the concentrations "
        return [
            _check("info", "below_usual_concentration", message + f"published ({published}).", dose)
        ]
    return []


def _check(severity: Severity, code: str, message: str, dose: IngredientDose) -> DoseCheck:
    return DoseCheck(severity, code, message, dose.ingredient.source, dose.code)


@cache
def interaction_rules() -> tuple[IngredientInteractionRow, ...]:
    """The rows of the `ingredient_interactions` rule table."""
    rows = load_table("ingredient_interactions").rows
    return tuple(row for row in rows if isinstance(row, IngredientInteractionRow))


def _interaction_checks(doses: Iterable[IngredientDose]) -> list[DoseCheck]:
    present = {dose.code: dose.ingredient for dose in doses}
    checks = []
    for rule in interaction_rules():
        involved = _involved(rule, present)
        if involved:
            labels = [present[code].label for code in involved]
            message = rule.message.replace("{ingredients}", joined(labels))
            checks.append(DoseCheck(rule.severity, rule.code, message, rule.source))
    return checks


def _involved(rule: IngredientInteractionRow, present: dict[str, CatalogueIngredient]) -> list[str]:
    """The ingredients that make `rule` apply, or [] when it does not."""
    if rule.when_group is not None:
        grouped = [code for code, entry in present.items() if entry.group == rule.when_group.group]
        return grouped if len(grouped) >= rule.when_group.at_least else []
    if not all(code in present for code in rule.when_all):
        return []
    any_of = [code for code in rule.when_any if code in present]
    if rule.when_any and not any_of:
        return []
    return [*rule.when_all, *any_of]


def screening_proposal(report: DoseReport, modality: str) -> ProposedTreatment:
    """The cocktail as the screening engine reads a proposal: its ingredient codes, and lidocaine
    (with its dose) as the anaesthetic when the cocktail holds it."""
    ingredients = tuple(d.code for d in report.doses if d.ingredient.in_screening_vocabulary)
    lidocaine = report.dose_of("lidocaine")
    return ProposedTreatment(
        modality=modality,
        ingredients=ingredients,
        anaesthetic="lidocaine" if lidocaine else None,
        lidocaine_mg=float(lidocaine.amount) if lidocaine else None,
    )
