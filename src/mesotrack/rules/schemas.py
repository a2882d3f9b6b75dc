"""Row models: every row has a code, a label and a source; some tables add checked columns."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"


class RuleRow(BaseModel):
    """The columns every row of every table has. Unknown columns are kept, unchecked."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    code: str = Field(pattern=CODE_PATTERN, max_length=60)
    label: str = Field(min_length=1, max_length=200)
    # Where the row comes from: citations (URLs) as listed in clinical_rules.md.
    source: str = Field(min_length=1)
    # Evidence grade as in clinical_rules.md: P paper/label, S summary, C clinic page, V unverified.
    evidence: Literal["P", "S", "C", "V"] | None = None


class _CheckedRow(RuleRow):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ConditionRow(_CheckedRow):
    group: Literal[
        "bleeding",
        "immune",
        "cancer",
        "metabolic",
        "cardiovascular",
        "organ",
        "neurological",
        "endocrine",
        "skin",
        "reproductive",
        "blood",
        "lifestyle",
    ]


class MedicationClassRow(_CheckedRow):
    examples: tuple[str, ...] = ()


class AllergyClassRow(_CheckedRow):
    group: Literal["local_anaesthetic", "formulary_ingredient", "procedure_material", "other"]
    examples: tuple[str, ...] = ()


class PriorTreatmentRow(_CheckedRow):
    records_grafts: bool = False


class LabUnit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    unit: str = Field(min_length=1)
    # How many of this unit make one canonical unit, e.g. 2.496 nmol/L per ng/mL of vitamin D.
    per_canonical: Decimal = Field(gt=0)
    aliases: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        return (self.unit, *self.aliases)


class LabTestRow(_CheckedRow):
    """A lab test; `canonical_unit` None means a free-form test ("other") with no conversion."""

    canonical_unit: str | None
    units: tuple[LabUnit, ...] = ()
    # Input plausibility only (to catch typing slips), in the canonical unit; not clinical limits.
    plausible_min: Decimal | None = None
    plausible_max: Decimal | None = None
    decimals: int = Field(default=2, ge=0, le=4)

    @model_validator(mode="after")
    def _consistent(self) -> "LabTestRow":
        if self.canonical_unit is None:
            if self.units or self.plausible_min is not None or self.plausible_max is not None:
                raise ValueError("a free-form test takes no units and no plausible range")
            return self
        canonical = [u for u in self.units if u.unit == self.canonical_unit]
        if not canonical or canonical[0].per_canonical != 1:
            raise ValueError("units must list the canonical unit with per_canonical 1")
        if self.plausible_min is None or self.plausible_max is None:
            raise ValueError("a test with a canonical unit needs plausible_min and plausible_max")
        if self.plausible_min >= self.plausible_max:
            raise ValueError("plausible_min must be below plausible_max")
        spellings = [s.casefold() for u in self.units for s in u.spellings()]
        if len(spellings) != len(set(spellings)):
            raise ValueError("a unit spelling appears twice")
        return self

    @property
    def is_free_form(self) -> bool:
        return self.canonical_unit is None

    def unit_named(self, text: str) -> LabUnit | None:
        """The accepted unit spelled `text` (ignoring case and spaces), if any."""
        wanted = "".join(text.split()).casefold()
        for unit in self.units:
            if wanted in {"".join(s.split()).casefold() for s in unit.spellings()}:
                return unit
        return None

    def to_canonical(self, value: Decimal, unit: LabUnit) -> Decimal:
        converted = value / unit.per_canonical
        return converted.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)


ROW_MODELS: dict[str, type[RuleRow]] = {
    "medical_history_conditions": ConditionRow,
    "medication_classes": MedicationClassRow,
    "allergy_classes": AllergyClassRow,
    "prior_treatments": PriorTreatmentRow,
    "lab_tests": LabTestRow,
}
