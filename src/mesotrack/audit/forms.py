from django import forms

from mesotrack.audit.models import Action


class AuditFilterForm(forms.Form):
    patient = forms.CharField(required=False, label="Record number")
    user = forms.CharField(required=False, label="Username")
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *Action.choices])
    date_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
