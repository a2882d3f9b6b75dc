"""Forms of the assessment pages. They check the shape of the input; the rules (stage fits the
diagnosis, SALT and ASFS totals, who may sign) are the services'."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from mesotrack.assessment.codes import (
    ICD10_CODES,
    Diagnosis,
    Goal,
    PatientDecision,
    TelogenCourse,
    TrichoscopyFinding,
)
from mesotrack.assessment.measures import ASFS_OCTANTS
from mesotrack.assessment.models import Assessment
from mesotrack.assessment.stages import (
    SALT_REGION_LABELS,
    split_stage_key,
    stage_choices,
    stage_key,
)
from mesotrack.core.errors import DomainError

BLANK = [("", "—")]
ASFS_FIELDS = [f"asfs_{number}" for number in range(1, ASFS_OCTANTS + 1)]
SALT_FIELDS = {f"salt_{region}": region for region in SALT_REGION_LABELS}
# Where a service's refusal is shown when it names a value the form asks for in parts.
ERROR_FIELDS = {
    "stage_scale": "stage",
    "stage_value": "stage",
    "asfs_octants": "asfs_1",
    "flag": "flag",
}


def icd10_grouped_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = list(BLANK)
    for diagnosis in Diagnosis:
        codes = [
            (c.code, f"{c.code} {c.label}" + ("" if c.verified else " (code unconfirmed)"))
            for c in ICD10_CODES
            if c.diagnosis == diagnosis.value
        ]
        groups.append((diagnosis.label, codes))
    return groups


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def count_field(label: str, maximum: int = 10_000) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum)


def percent_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=100, decimal_places=1, max_digits=4
    )


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    diagnosis = forms.ChoiceField(
        label="Diagnosis", choices=BLANK + Diagnosis.choices, required=False
    )
    icd10_code = forms.ChoiceField(
        label="ICD-10 code", choices=icd10_grouped_choices, required=False
    )
    telogen_course = forms.ChoiceField(
        label="Telogen effluvium: acute or chronic",
        choices=BLANK + TelogenCourse.choices,
        required=False,
    )
    diagnosis_notes = forms.CharField(
        label="Diagnosis notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    stage = forms.ChoiceField(
        label="Stage", choices=stage_choices, required=False, widget=forms.RadioSelect
    )
    salt_vertex = percent_field("Top (vertex): % of hair lost")
    salt_posterior = percent_field("Back (posterior): % of hair lost")
    salt_right = percent_field("Right side: % of hair lost")
    salt_left = percent_field("Left side: % of hair lost")
    pull_test_hairs_held = count_field("Pull test: hairs held", 200)
    pull_test_hairs_out = count_field("Pull test: hairs that came out", 200)
    hair_count_60s = count_field("60-second hair count", 1000)
    wash_test_total = count_field("Wash test: hairs collected", 5000)
    wash_test_short_percent = percent_field("Wash test: % short hairs (3 cm or less)")
    scalp_inflammation = forms.BooleanField(label="Inflammation", required=False)
    scalp_infection = forms.BooleanField(label="Infection", required=False)
    scalp_wound = forms.BooleanField(label="Wound", required=False)
    seborrhoeic_dermatitis = forms.BooleanField(
        label="Seborrhoeic dermatitis or dandruff", required=False
    )
    asfs_1 = count_field("Octant 1", 10)
    asfs_2 = count_field("Octant 2", 10)
    asfs_3 = count_field("Octant 3", 10)
    asfs_4 = count_field("Octant 4", 10)
    asfs_5 = count_field("Octant 5", 10)
    asfs_6 = count_field("Octant 6", 10)
    asfs_7 = count_field("Octant 7", 10)
    asfs_8 = count_field("Octant 8", 10)
    scalp_notes = forms.CharField(
        label="Scalp notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trichoscopy_findings = forms.MultipleChoiceField(
        label="Trichoscopy findings",
        choices=TrichoscopyFinding.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trichoscopy_notes = forms.CharField(
        label="Other trichoscopy findings", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label="Other notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(assessment, name)
            for name in cls.base_fields
            if hasattr(assessment, name) and name != "stage"
        }
        initial["stage"] = stage_key(assessment.stage_scale, assessment.stage_value)
        for field, region in SALT_FIELDS.items():
            initial[field] = (assessment.salt_loss or {}).get(region)
        for field, score in zip(ASFS_FIELDS, assessment.asfs_octants or [], strict=False):
            initial[field] = score
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scores = [cleaned.get(name) for name in ASFS_FIELDS]
        if any(score is not None for score in scores) and any(score is None for score in scores):
            raise ValidationError("Score all 8 octants for the ASFS, or leave them all empty.")
        return cleaned

    def entries(self) -> dict[str, Any]:
        """The cleaned input in the shape the services take."""
        data = dict(self.cleaned_data)
        data["stage_scale"], data["stage_value"] = split_stage_key(data.pop("stage", ""))
        salt = {region: data.pop(field) for field, region in SALT_FIELDS.items()}
        data["salt_loss"] = {r: float(v) for r, v in salt.items() if v is not None}
        scores = [data.pop(name) for name in ASFS_FIELDS]
        data["asfs_octants"] = [] if scores[0] is None else scores
        return data

    def add_service_error(self, error: DomainError) -> None:
        add_service_error(self, error)


def add_service_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = ERROR_FIELDS.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have examined the patient and checked this assessment. Once signed it cannot be "
        "changed; corrections go into an addendum.",
        error_messages={"required": "Tick the box to confirm you have checked the assessment."},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the addendum."},
    )


class OverrideForm(forms.Form):
    flag = forms.ChoiceField(
        label="Block to override",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the block to override."},
    )
    reason = forms.CharField(
        label="Why it is safe to go ahead",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for going ahead despite this block."},
    )

    def __init__(self, *args: Any, blocks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "flag").choices = blocks


class GoalsForm(forms.Form):
    goals = forms.MultipleChoiceField(
        label="What matters to the patient",
        choices=Goal.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PlanForm(forms.Form):
    chosen_modality = forms.ChoiceField(
        label="Chosen treatment",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the treatment the patient is deciding on."},
    )
    medical_options = forms.MultipleChoiceField(
        label="Medicines (medical therapy)", required=False, widget=forms.CheckboxSelectMultiple
    )
    ingredients = forms.MultipleChoiceField(
        label="Ingredients (mesotherapy)", required=False, widget=forms.CheckboxSelectMultiple
    )
    anaesthetic = forms.ChoiceField(label="Anaesthetic", required=False)
    details = forms.CharField(
        label="Protocol and details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    patient_decision = forms.ChoiceField(
        label="The patient's decision",
        choices=PatientDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Record what the patient decided."},
    )
    goals = forms.MultipleChoiceField(
        choices=Goal.choices, required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(
        self,
        *args: Any,
        modalities: list[tuple[str, str]],
        ingredients: list[tuple[str, str]],
        anaesthetics: list[tuple[str, str]],
        medicines: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "chosen_modality").choices = modalities
        choice_field(self, "medical_options").choices = medicines
        choice_field(self, "ingredients").choices = ingredients
        choice_field(self, "anaesthetic").choices = [("", "None"), *anaesthetics]


class DecisionForm(forms.Form):
    patient_decision = forms.ChoiceField(
        label="The patient's decision now",
        choices=PatientDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Record what the patient decided."},
    )


class PriceListForm(forms.Form):
    currency = forms.CharField(label="Currency", max_length=3, min_length=3, initial="GBP")

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in items:
            self.fields[code] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=10, decimal_places=2
            )
        self.items = [code for code, _ in items]

    def prices(self) -> dict[str, Decimal | None]:
        return {item: self.cleaned_data.get(item) for item in self.items}


class ScreeningSettingsForm(forms.Form):
    override_valid_days = forms.IntegerField(
        label="Days an override lasts after the day it is recorded",
        min_value=0,
        max_value=365,
        help_text="0 means the day it is recorded only.",
    )

    def __init__(
        self, *args: Any, thresholds: Mapping[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in thresholds.items():
            self.fields[name] = forms.FloatField(
                label=label,
                min_value=0,
                help_text=help_text,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        self.threshold_names = list(thresholds)

    def thresholds(self) -> dict[str, float]:
        return {name: self.cleaned_data[name] for name in self.threshold_names}
