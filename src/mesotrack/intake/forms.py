"""Forms for editing a draft intake: one form per section, formsets for the lists.

Forms only turn text into typed values; every rule (codes, ranges, units, dates) is checked by
intake.answers through the service, whose errors `IntakeForms.add_service_errors` puts back on
the right input.
"""

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from mesotrack.intake.answers import FAMILY_HISTORY, ONSET_SPEEDS, SHEDDING_LEVELS
from mesotrack.rules import load_table

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONDITION_GROUPS = {
    "bleeding": "Bleeding and clotting",
    "blood": "Blood",
    "immune": "Immune system",
    "cancer": "Cancer",
    "metabolic": "Diabetes",
    "cardiovascular": "Heart and blood pressure",
    "organ": "Liver and kidneys",
    "neurological": "Nervous system",
    "endocrine": "Hormones and thyroid",
    "skin": "Skin and scalp",
    "reproductive": "Sexual and reproductive health (men)",
    "lifestyle": "Lifestyle",
}


def _choices(table: str, blank: bool = True) -> list[tuple[str, str]]:
    rows = load_table(table).choices()
    return [("", "—"), *rows] if blank else rows


def _grouped_conditions() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in load_table("medical_history_conditions"):
        groups.setdefault(str(getattr(row, "group", "")), []).append((row.code, row.label))
    return [(CONDITION_GROUPS.get(group, group), rows) for group, rows in groups.items()]


class HairLossHistoryForm(forms.Form):
    onset_on = forms.DateField(
        required=False, widget=DATE, label="When it started", help_text="Approximate is fine."
    )
    onset_speed = forms.ChoiceField(required=False, label="It came on")
    duration_months = forms.IntegerField(
        required=False, label="How long (months)", help_text="If the start date is not known."
    )
    patterns = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Where the patient notices it"
    )
    shedding = forms.ChoiceField(required=False, label="Shedding")
    family_history = forms.ChoiceField(required=False, label="Hair loss in the family")
    family_history_notes = forms.CharField(required=False, label="Who in the family")
    triggers = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="In the months before it started",
    )
    trigger_notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="About those events"
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Other notes"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["onset_speed"].choices = [("", "—"), *ONSET_SPEEDS.items()]
        fields["shedding"].choices = [("", "—"), *SHEDDING_LEVELS.items()]
        fields["family_history"].choices = [("", "—"), *FAMILY_HISTORY.items()]
        fields["patterns"].choices = _choices("hair_loss_patterns", blank=False)
        fields["triggers"].choices = _choices("hair_loss_triggers", blank=False)


class MedicalHistoryForm(forms.Form):
    conditions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Conditions, past or present"
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Other medical history",
        help_text="Anything not on the list: operations, other illnesses.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditions"].choices = _grouped_conditions()  # type: ignore[attr-defined]


class ReproductiveForm(forms.Form):
    pregnant = forms.NullBooleanField(required=False, label="Pregnant, or might be")
    breastfeeding = forms.NullBooleanField(required=False, label="Breastfeeding")
    could_become_pregnant = forms.NullBooleanField(required=False, label="Could become pregnant")
    trying_to_conceive = forms.NullBooleanField(
        required=False,
        label="Trying to conceive",
        help_text="For men too: the patient or their partner.",
    )
    contraception = forms.CharField(required=False, label="Contraception used")


class GeneralForm(forms.Form):
    weight_kg = forms.DecimalField(
        required=False, max_digits=5, decimal_places=1, label="Weight (kg)"
    )
    no_known_allergies = forms.BooleanField(required=False, label="No known allergies")


class PriorTreatmentForm(forms.Form):
    treatment = forms.ChoiceField(label="Treatment")
    started_on = forms.DateField(required=False, widget=DATE, label="Started (or done on)")
    stopped_on = forms.DateField(required=False, widget=DATE, label="Stopped")
    response = forms.ChoiceField(required=False, label="How it went")
    graft_count = forms.IntegerField(required=False, label="Grafts (transplant)")
    details = forms.CharField(required=False, label="Dose, clinic, details")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["treatment"].choices = _choices("prior_treatments")
        fields["response"].choices = _choices("treatment_responses")


class MedicationForm(forms.Form):
    name = forms.CharField(label="Medicine")
    medication_class = forms.ChoiceField(label="Kind")
    dose = forms.CharField(required=False, label="Dose")
    since = forms.DateField(required=False, widget=DATE, label="Taking since")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medication_class"].choices = _choices("medication_classes")  # type: ignore[attr-defined]


class AllergyForm(forms.Form):
    allergy_class = forms.ChoiceField(label="Allergic to")
    substance = forms.CharField(required=False, label="Substance")
    reaction = forms.CharField(required=False, label="Reaction")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allergy_class"].choices = _choices("allergy_classes")  # type: ignore[attr-defined]


class LabResultForm(forms.Form):
    test = forms.ChoiceField(label="Test")
    name = forms.CharField(required=False, label="Name on report (other tests)")
    value = forms.DecimalField(max_digits=12, decimal_places=4, label="Result")
    unit = forms.CharField(label="Unit", widget=forms.TextInput(attrs={"list": "lab-units"}))
    taken_on = forms.DateField(widget=DATE, label="Taken on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["test"].choices = _choices("lab_tests")  # type: ignore[attr-defined]


def _row_formset(form: type[forms.Form]) -> type[BaseFormSet]:
    return formset_factory(form, extra=1, can_delete=True, max_num=50, validate_max=True)


ROW_FORMSETS: dict[str, type[BaseFormSet]] = {
    "prior_treatments": _row_formset(PriorTreatmentForm),
    "medications": _row_formset(MedicationForm),
    "allergies": _row_formset(AllergyForm),
    "labs": formset_factory(
        LabResultForm, extra=1, can_delete=True, max_num=100, validate_max=True
    ),
}
SECTION_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "hair_loss_history": ("history", HairLossHistoryForm),
    "medical_history": ("medical", MedicalHistoryForm),
    "reproductive": ("reproductive", ReproductiveForm),
}
GENERAL_FIELDS = ("weight_kg", "no_known_allergies")


class IntakeForms:
    """Every form of the intake page, read from and written back to the answers dict."""

    def __init__(self, data: Any, answers: dict[str, Any]) -> None:
        self.sections: dict[str, forms.Form] = {
            name: form_class(data, prefix=prefix, initial=answers.get(name) or {})
            for name, (prefix, form_class) in SECTION_FORMS.items()
        }
        self.general = GeneralForm(
            data, prefix="general", initial={k: answers.get(k) for k in GENERAL_FIELDS}
        )
        self.formsets: dict[str, BaseFormSet] = {
            name: formset_class(data, prefix=name, initial=answers.get(name) or [])
            for name, formset_class in ROW_FORMSETS.items()
        }
        self.errors: list[str] = []
        self._kept_rows: dict[str, list[forms.Form]] = {}

    def __getattr__(self, name: str) -> Any:
        # Lets templates say `forms.hair_loss_history` and `forms.labs`.
        sections = self.__dict__.get("sections", {})
        formsets = self.__dict__.get("formsets", {})
        if name in sections:
            return sections[name]
        if name in formsets:
            return formsets[name]
        raise AttributeError(name)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.sections.values()]
        results.append(self.general.is_valid())
        results.extend(formset.is_valid() for formset in self.formsets.values())
        return all(results)

    def answers(self) -> dict[str, Any]:
        """The submitted answers, shaped for intake.answers (call after is_valid())."""
        answers: dict[str, Any] = {
            name: dict(form.cleaned_data) for name, form in self.sections.items()
        }
        answers.update({k: self.general.cleaned_data[k] for k in GENERAL_FIELDS})
        for name, formset in self.formsets.items():
            kept = [form for form in formset.forms if _is_kept(formset, form)]
            self._kept_rows[name] = kept
            answers[name] = [
                {k: v for k, v in form.cleaned_data.items() if k != "DELETE"} for form in kept
            ]
        return answers

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach the service's errors (dotted paths such as `labs.0.unit`) to the inputs."""
        for path, messages in errors.items():
            form, field = self._locate(path.split("."))
            for message in messages:
                if form is None:
                    self.errors.append(message)
                else:
                    form.add_error(field if field in form.fields else None, message)

    def _locate(self, parts: list[str]) -> tuple[forms.Form | None, str | None]:
        head, rest = parts[0], parts[1:]
        if head in self.sections:
            return self.sections[head], rest[0] if rest else None
        if head in GENERAL_FIELDS:
            return self.general, head
        rows = self._kept_rows.get(head, [])
        if rest and rest[0].isdigit() and int(rest[0]) < len(rows):
            return rows[int(rest[0])], rest[1] if len(rest) > 1 else None
        return None, None


def _is_kept(formset: BaseFormSet, form: forms.Form) -> bool:
    if formset.can_delete and form.cleaned_data.get("DELETE"):
        return False
    is_extra = formset.forms.index(form) >= formset.initial_form_count()
    return not (is_extra and not form.has_changed())
