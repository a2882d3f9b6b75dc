"""The ingredient catalogue, read from the rule tables `ingredients` (the cocktail ingredients
screening knows) and `anaesthetic_agents` (lidocaine, prilocaine), and unit arithmetic."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.exceptions import ImproperlyConfigured

from mesotrack.rules import load_table
from mesotrack.rules.catalogue_schemas import AnaestheticAgentRow, CatalogueIngredientRow

CLASS_LABELS = {
    "vitamin": "Vitamin",
    "mineral": "Mineral",
    "amino_acid": "Amino acid",
    "enzyme": "Enzyme",
    "plant_extract": "Plant extract",
    "drug": "Drug",
    "anaesthetic": "Anaesthetic",
    "other": "Other",
}
# How many milligrams one of each amount unit is.
MILLIGRAMS = {"g": Decimal(1000), "mg": Decimal(1), "µg": Decimal("0.001")}


@dataclass(frozen=True)
class CatalogueIngredient:
    code: str
    label: str
    ingredient_class: str
    group: str
    unit: str
    usual_low: Decimal | None
    usual_high: Decimal | None
    concentration_note: str
    max_per_session: Decimal | None
    max_per_kg: Decimal | None
    cap_note: str
    contraindications: tuple[str, ...]
    intake_allergy_classes: tuple[str, ...]
    source: str
    evidence: str
    # True for the cocktail ingredients screening proposals name; False for anaesthetic agents,
    # which screening reads through the anaesthetic and its dose.
    in_screening_vocabulary: bool

    @property
    def class_label(self) -> str:
        return CLASS_LABELS[self.ingredient_class]


def _entry(
    row: CatalogueIngredientRow | AnaestheticAgentRow, screened: bool
) -> CatalogueIngredient:
    usual = row.usual_concentration
    return CatalogueIngredient(
        code=row.code,
        label=row.label,
        ingredient_class=row.ingredient_class,
        group=row.group,
        unit=row.unit,
        usual_low=usual.low if usual else None,
        usual_high=usual.high if usual else None,
        concentration_note=row.concentration_note,
        max_per_session=row.max_per_session,
        max_per_kg=row.max_per_kg,
        cap_note=row.cap_note,
        contraindications=row.contraindications,
        intake_allergy_classes=row.intake_allergy_classes,
        source=row.source,
        evidence=row.evidence or "",
        in_screening_vocabulary=screened,
    )


@cache
def ingredient_catalogue() -> dict[str, CatalogueIngredient]:
    """Every catalogue ingredient by code: the cocktail ingredients, then the anaesthetic agents."""
    catalogue: dict[str, CatalogueIngredient] = {}
    for row in (*load_table("ingredients").rows, *load_table("anaesthetic_agents").rows):
        if not isinstance(row, CatalogueIngredientRow | AnaestheticAgentRow):
            raise ImproperlyConfigured(f"Catalogue row {row.code!r} is not a catalogue row.")
        catalogue[row.code] = _entry(row, isinstance(row, CatalogueIngredientRow))
    return catalogue


def ingredient_choices() -> list[tuple[str, str]]:
    """(code, label) of every catalogue ingredient, by label."""
    return sorted(
        ((code, entry.label) for code, entry in ingredient_catalogue().items()),
        key=lambda choice: choice[1].casefold(),
    )


def convert(amount: Decimal, unit: str, to_unit: str) -> Decimal:
    """`amount` in `unit` (g, mg or µg) expressed in `to_unit`."""
    return amount * MILLIGRAMS[unit] / MILLIGRAMS[to_unit]


def plain(amount: Decimal) -> str:
    """A decimal without trailing zeros: 0.50 → "0.5", 300.00 → "300"."""
    return format(amount.normalize(), "f")
