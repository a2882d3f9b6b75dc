"""Input shapes only; the rules about what may be recorded or changed live in services.py."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.charting.models import ScalpZone
from mesotrack.formulary.models import Lot
from mesotrack.rules.loader import load_table
from mesotrack.safety.models import AdverseEvent, Causality, Outcome, Seriousness
from mesotrack.safety.services import AdverseEventInput
from mesotrack.safety.signals import GROUPINGS
from mesotrack.safety.terms import grade_choices, term_choices

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AdverseEventForm(forms.Form):
    term = forms.ChoiceField(label="Adverse event", choices=())
    other_term = forms.CharField(label="Other: describe", max_length=200, required=False)
    grade = forms.TypedChoiceField(
        label="CTCAE grade", coerce=int, choices=(), help_text="See the criteria below."
    )
    pain_nrs = forms.IntegerField(
        label="Pain (NRS 0–10)", min_value=0, max_value=10, required=False
    )
    onset_at = forms.DateTimeField(label="Onset", widget=DATETIME_WIDGET)
    duration_hours = forms.IntegerField(
        label="Duration (hours)",
        min_value=0,
        max_value=100_000,
        required=False,
        help_text="Leave empty while it lasts.",
    )
    outcome = forms.ChoiceField(choices=Outcome.choices, initial=Outcome.UNKNOWN)
    seriousness = forms.MultipleChoiceField(
        label="Seriousness (ICH)",
        choices=Seriousness.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick any that apply; none means not serious.",
    )
    causality = forms.ChoiceField(choices=[("", "—"), *Causality.choices])
    suspected_lots = forms.ModelMultipleChoiceField(
        queryset=Lot.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    suspected_ingredients = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    zones = forms.MultipleChoiceField(
        choices=ScalpZone.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    practitioner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions_taken = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, clinic_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [("", "—"), *term_choices()]  # type: ignore[attr-defined]
        self.fields["grade"].choices = [("", "—"), *grade_choices()]  # type: ignore[attr-defined]
        ingredients = self.fields["suspected_ingredients"]
        ingredients.choices = load_table("ingredients").choices()  # type: ignore[attr-defined]
        self.fields["suspected_lots"].queryset = Lot.objects.filter(  # type: ignore[attr-defined]
            clinic_id=clinic_id
        ).select_related("product")
        self.fields["practitioner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__clinic_id=clinic_id,
            memberships__role__in=[Role.PRACTITIONER, Role.MANAGER],
            memberships__is_active=True,
        ).order_by("last_name", "first_name")

    def clean_onset_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["onset_at"]
        return value if timezone.is_aware(value) else timezone.make_aware(value)

    def to_input(self) -> AdverseEventInput:
        data = self.cleaned_data
        return AdverseEventInput(
            term=data["term"],
            other_term=data["other_term"],
            grade=data["grade"],
            pain_nrs=data["pain_nrs"],
            onset_at=data["onset_at"],
            duration_hours=data["duration_hours"],
            outcome=data["outcome"],
            seriousness=list(data["seriousness"]),
            causality=data["causality"],
            suspected_lot_ids=[lot.pk for lot in data["suspected_lots"]],
            suspected_ingredients=list(data["suspected_ingredients"]),
            zones=list(data["zones"]),
            practitioner=data["practitioner"],
            description=data["description"],
            actions_taken=data["actions_taken"],
        )

    @staticmethod
    def initial_from(event: AdverseEvent) -> dict[str, Any]:
        return {
            "term": event.term,
            "other_term": event.other_term,
            "grade": event.grade,
            "pain_nrs": event.pain_nrs,
            "onset_at": timezone.localtime(event.onset_at),
            "duration_hours": event.duration_hours,
            "outcome": event.outcome,
            "seriousness": event.seriousness,
            "causality": event.causality,
            "suspected_lots": list(event.suspected_lots.all()),
            "suspected_ingredients": event.suspected_ingredients,
            "zones": event.zones,
            "practitioner": event.practitioner,
            "description": event.description,
            "actions_taken": event.actions_taken,
        }


class ReviewForm(forms.Form):
    review_notes = forms.CharField(
        label="Review notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What you found, what was done, and whether treatment may continue.",
    )


class SignalFilterForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    by = forms.ChoiceField(label="Rates by", choices=list(GROUPINGS.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The period must start before it ends.")
        if start and end and (end - start).days > 3660:
            raise forms.ValidationError("Choose a period of at most ten years.")
        return data
