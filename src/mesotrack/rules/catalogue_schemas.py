"""Row models of the formulary's ingredient catalogue. The screening ingredient rows gain the
catalogue's columns; anaesthetic agents (which screening reads as anaesthetics, not as cocktail
ingredients) have their own table with the same columns. Cross-table codes (contraindications
naming screening rules) are checked by tests/formulary."""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mesotrack.rules.schemas import (
    CODE_PATTERN,
    ROW_MODELS,
    CodeList,
    IngredientRow,
    _CheckedRow,
    _Part,
)

IngredientClass = Literal[
    "vitamin", "mineral", "amino_acid", "enzyme", "plant_extract", "drug", "anaesthetic", "other"
]


class ConcentrationRange(_Part):
    """Concentrations published for the ingredient, per mL of what is injected."""

    low: Decimal = Field(ge=0)
    high: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> "ConcentrationRange":
        if self.low > self.high:
            raise ValueError("low must not be above high")
        return self


class _CatalogueColumns(BaseModel):
    ingredient_class: IngredientClass
    # Doses, caps and concentrations (per mL) are in this unit.
    unit: Literal["mg", "µg"] = "mg"
    usual_concentration: ConcentrationRange | None = None
    # Says where the range comes from, or that no source gives one.
    concentration_note: str = Field(min_length=1)
    max_per_session: Decimal | None = Field(default=None, gt=0)
    max_per_kg: Decimal | None = Field(default=None, gt=0)
    # Says where the cap comes from, or that no source establishes one.
    cap_note: str = Field(min_length=1)
    # Screening rule codes (screening_rules) that concern this ingredient.
    contraindications: CodeList = ()


class CatalogueIngredientRow(IngredientRow, _CatalogueColumns):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    group: Literal[  # type: ignore[assignment]
        "five_alpha_reductase_inhibitor",
        "vasodilator",
        "vitamin",
        "mineral",
        "peptide",
        "glycosaminoglycan",
        "amino_acid",
        "plant_extract",
        "local_anaesthetic",
    ]


class AnaestheticAgentRow(_CheckedRow, _CatalogueColumns):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    group: Literal["local_anaesthetic"]
    intake_allergy_classes: CodeList = ()


class IngredientGroupCount(_Part):
    group: str = Field(pattern=CODE_PATTERN)
    at_least: int = Field(ge=2)


class IngredientInteractionRow(_CheckedRow):
    """A combination (or a single ingredient) in one cocktail that the recipe check reports."""

    severity: Literal["block", "warn", "info"]
    when_all: CodeList = ()  # every one of these is in the cocktail
    when_any: CodeList = ()  # and at least one of these
    when_group: IngredientGroupCount | None = None  # or so many ingredients of one group
    message: str = Field(min_length=1)

    @model_validator(mode="after")
    def _has_condition(self) -> "IngredientInteractionRow":
        if not (self.when_all or self.when_any or self.when_group):
            raise ValueError("say when the rule applies: when_all, when_any or when_group")
        return self


ROW_MODELS.update(
    {
        "ingredients": CatalogueIngredientRow,
        "anaesthetic_agents": AnaestheticAgentRow,
        "ingredient_interactions": IngredientInteractionRow,
    }
)
