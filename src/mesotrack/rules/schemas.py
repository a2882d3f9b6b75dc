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


# Screening (issue 3): the tables mesotrack.screening reads. Cross-table codes (a rule naming a
# condition, an ingredient naming an intake allergy class) are checked by tests/screening.

InjectableModality = Literal["mesotherapy", "prp"]
OptionModality = Literal[
    "mesotherapy",
    "prp",
    "medical_therapy",
    "transplant_consultation",
    "referral",
    "correct_deficiency",
]
CodeList = tuple[str, ...]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RuleTriggers(_Part):
    """The facts a rule looks for; a rule with ingredients or anaesthetics also needs one of them
    in the proposed treatment."""

    conditions: CodeList = ()
    medication_classes: CodeList = ()
    diagnoses: CodeList = ()
    # Yes/no answers of the profile that count as the fact (pregnant, breastfeeding, ...).
    attributes: tuple[
        Literal["pregnant", "breastfeeding", "could_become_pregnant", "trying_to_conceive"], ...
    ] = ()
    ingredients: CodeList = ()
    anaesthetics: CodeList = ()

    @property
    def has_facts(self) -> bool:
        return bool(self.conditions or self.medication_classes or self.diagnoses or self.attributes)


class ScreeningRuleRow(_CheckedRow):
    severity: Literal["block", "postpone", "warn", "info"]
    # patient: about the person (a block rules the modality out); proposal: about the proposed
    # cocktail, anaesthetic or dose (change the proposal); lab: a lab result flag.
    scope: Literal["patient", "proposal", "lab"]
    modalities: tuple[InjectableModality, ...] = ("mesotherapy", "prp")
    check: str = Field(pattern=CODE_PATTERN)
    triggers: RuleTriggers = RuleTriggers()
    params: dict[str, Decimal] = {}
    message: str = Field(min_length=1)
    # Lab rules: what "correct a deficiency first" would treat (iron, vitamin_d, ...).
    deficiency_of: str | None = None


class ScreeningConditionRow(_CheckedRow):
    group: Literal[
        "reproductive",
        "scalp",
        "infection",
        "bleeding",
        "immune",
        "cancer",
        "metabolic",
        "cardiovascular",
        "organ",
        "hair",
        "blood",
    ]
    description: str = ""
    intake_codes: CodeList = ()  # medical_history_conditions codes that mean this condition
    intake_patterns: CodeList = ()  # hair_loss_patterns codes that mean it while undiagnosed


class ScreeningMedicationRow(_CheckedRow):
    medication_class: str = Field(pattern=CODE_PATTERN)
    intake_classes: CodeList = ()  # medication_classes codes that may mean this medicine
    # Lower-case words in an intake medicine's name that pick this code within its class.
    name_keywords: tuple[str, ...] = ()


class ScreeningAllergyRow(_CheckedRow):
    agents: CodeList = ()  # anaesthetic agents this allergy covers
    intake_classes: CodeList = ()
    name_keywords: tuple[str, ...] = ()


class ScreeningLabRow(_CheckedRow):
    lab_test: str = Field(pattern=CODE_PATTERN)  # the lab_tests row holding its units


class IngredientRow(_CheckedRow):
    group: Literal[
        "five_alpha_reductase_inhibitor",
        "vasodilator",
        "vitamin",
        "mineral",
        "peptide",
        "glycosaminoglycan",
        "amino_acid",
        "plant_extract",
    ]
    intake_allergy_classes: CodeList = ()


class AnaestheticRow(_CheckedRow):
    agents: CodeList
    amide: bool
    route: Literal["infiltration", "topical_cream"]


class DiagnosisRow(_CheckedRow):
    icd10: str | None = Field(default=None, pattern=r"^[A-Z][0-9]{2}(\.[0-9x]{1,2})?$")
    description: str = ""


class LabThresholdRow(_CheckedRow):
    lab: str = Field(pattern=CODE_PATTERN)  # screening vocabulary lab code
    value: Decimal
    unit: str = Field(min_length=1)
    comparison: Literal["below", "at_or_below", "above"]
    sex: Literal["female", "male"] | None = None
    flag: str = Field(pattern=CODE_PATTERN)  # the screening_rules code it raises
    # The range a clinic may set it to (clinical_rules.md gives ranges for several).
    allowed_min: Decimal
    allowed_max: Decimal

    @model_validator(mode="after")
    def _in_range(self) -> "LabThresholdRow":
        if not self.allowed_min <= self.value <= self.allowed_max:
            raise ValueError("value must lie within allowed_min and allowed_max")
        return self


class TreatmentGoalRow(_CheckedRow):
    description: str = ""


class ScaleStageRow(_Part):
    value: str = Field(min_length=1, max_length=20)
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


class StagingScaleRow(_CheckedRow):
    kind: Literal["stages", "percent"]
    diagnoses: CodeList
    stages: tuple[ScaleStageRow, ...] = Field(min_length=1)
    advanced_from: str | None = None  # first stage counted as advanced (decision aid)
    early_up_to: str | None = None  # last stage counted as early (decision aid)


class ParameterRow(_CheckedRow):
    params: dict[str, Decimal] = {}


class ProtocolStep(_Part):
    interval_days: int = Field(ge=1, le=365)
    sessions: int = Field(ge=1, le=52)


class TreatmentProtocolRow(_CheckedRow):
    modality: InjectableModality
    schedule: str = Field(min_length=1)
    steps: tuple[ProtocolStep, ...] = Field(min_length=1)
    maintenance_days: tuple[int, int] | None = None
    when_ingredients: CodeList = ()  # chosen when the proposal holds one of these
    when_diagnoses: CodeList = ()


class DecisionRuleRow(_CheckedRow):
    points: dict[OptionModality, int] = {}
    rationale: str = Field(min_length=1)
    params: dict[str, Decimal] = {}


class MedicalOptionRow(_CheckedRow):
    sexes: tuple[Literal["female", "male"], ...]
    # Allowed to a woman who cannot become pregnant even when not licensed for women (off-label).
    off_label_for_women_without_pregnancy_potential: bool = False
    min_age: int = Field(ge=0, le=120)
    excluded_when: tuple[
        Literal["pregnant", "breastfeeding", "could_become_pregnant", "trying_to_conceive"], ...
    ] = ()
    excluded_conditions: CodeList = ()
    medication_codes: CodeList = ()  # screening medication codes meaning "already taking it"
    oral: bool


ROW_MODELS.update(
    {
        "screening_rules": ScreeningRuleRow,
        "screening_conditions": ScreeningConditionRow,
        "screening_medications": ScreeningMedicationRow,
        "screening_allergies": ScreeningAllergyRow,
        "screening_labs": ScreeningLabRow,
        "ingredients": IngredientRow,
        "anaesthetics": AnaestheticRow,
        "diagnoses": DiagnosisRow,
        "lab_thresholds": LabThresholdRow,
        "treatment_goals": TreatmentGoalRow,
        "staging_scales": StagingScaleRow,
        "examination_rules": ParameterRow,
        "treatment_protocols": TreatmentProtocolRow,
        "decision_rules": DecisionRuleRow,
        "medical_options": MedicalOptionRow,
    }
)
