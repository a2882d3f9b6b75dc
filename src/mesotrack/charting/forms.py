"""Input forms of session charting; the rules themselves live in the services."""

from django import forms

from mesotrack.charting.models import NumbingAgent, SessionModality


class CheckInForm(forms.Form):
    modality = forms.ChoiceField(choices=SessionModality.choices)
    practitioner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="Injecting practitioner"
    )
    assisting_nurse: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(
        self, *args: object, staff: object = None, nurses: object = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["practitioner"].queryset = staff  # type: ignore[attr-defined]
        self.fields["assisting_nurse"].queryset = nurses  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    identity_confirmed = forms.BooleanField(
        required=False, label="Name and date of birth confirmed with the patient"
    )
    pregnant = forms.TypedChoiceField(
        choices=[("", "Not asked today"), ("no", "No"), ("yes", "Yes")],
        required=False,
        label="Pregnant or could be pregnant today",
    )
    new_medications = forms.CharField(
        required=False,
        label="New medicines since the last visit (screening codes, comma-separated)",
    )
    active_scalp_infection = forms.BooleanField(required=False, label="Scalp infection today")
    fever = forms.BooleanField(required=False, label="Fever today")
    numbing_agent = forms.ChoiceField(choices=NumbingAgent.choices, required=False)
    numbing_amount_g = forms.DecimalField(required=False, label="Cream (g)", min_value=0)
    numbing_lidocaine_mg = forms.DecimalField(required=False, label="Lidocaine (mg)", min_value=0)
    numbing_area = forms.CharField(required=False, max_length=200, label="Area numbed")
    numbing_applied_at = forms.DateTimeField(
        required=False,
        label="Applied at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class StartForm(forms.Form):
    early_start_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LotUseForm(forms.Form):
    source = forms.ChoiceField(label="Lot or prepared batch")
    volume_ml = forms.DecimalField(label="Volume drawn (mL)", decimal_places=2, min_value=0)
    syringes = forms.IntegerField(required=False, min_value=1, initial=1)

    def __init__(
        self, *args: object, sources: list[tuple[str, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["source"].choices = [("", "Choose…"), *(sources or [])]  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    pain_nrs = forms.IntegerField(label="Pain (NRS 0–10)", min_value=0, max_value=10)
    immediate_reactions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assisting_nurse: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args: object, nurses: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assisting_nurse"].queryset = nurses  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 3}))


class CosignForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CallForm(forms.Form):
    reached = forms.TypedChoiceField(
        choices=[("yes", "Reached the patient"), ("no", "No answer")],
        coerce=lambda value: value == "yes",
        label="Call",
    )
    outcome_notes = forms.CharField(
        label="What the patient said", widget=forms.Textarea(attrs={"rows": 3})
    )
