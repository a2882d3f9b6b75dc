from typing import Any

from django import forms

from mesotrack.accounts.models import Clinic
from mesotrack.patients.models import Patient
from mesotrack.patients.services import EDITABLE_FIELDS


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
        }


class PatientCreateForm(PatientForm):
    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), empty_label=None)
    confirm_not_duplicate = forms.BooleanField(
        required=False,
        label="I have checked: this is a different person with the same name and birth date.",
    )

    def __init__(self, *args: Any, clinics: list[Clinic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])  # type: ignore[attr-defined]
        if len(clinics) == 1:
            self.fields["clinic"].initial = clinics[0]
            self.fields["clinic"].widget = forms.HiddenInput()
        self.order_fields(["clinic", *EDITABLE_FIELDS])


class PatientDeleteForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit trail, e.g. 'duplicate of LDN-000123'.",
    )
