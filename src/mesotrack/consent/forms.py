"""Input shapes only; every rule about what may be signed or changed lives in services.py."""

from typing import Any

from django import forms
from django.utils import timezone

from mesotrack.consent.models import ConsentTemplate
from mesotrack.consent.signatures import signature_from_data_url
from mesotrack.core.errors import DomainError


class ConsentSignForm(forms.Form):
    template_id = forms.IntegerField(widget=forms.HiddenInput())
    shown_text_sha256 = forms.CharField(widget=forms.HiddenInput(), required=False, max_length=64)
    typed_name = forms.CharField(
        label="Full name of the person signing",
        max_length=200,
        required=False,
        help_text="The patient's full name, typed by the patient.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    signer_relationship = forms.CharField(
        label="Signing for the patient as",
        max_length=60,
        required=False,
        help_text="Leave empty when the patient signs. Otherwise, e.g. 'Parent' or "
        "'Legal guardian'; then type that person's name above.",
    )
    signature = forms.CharField(
        widget=forms.HiddenInput(attrs={"data-signature-input": ""}), required=False
    )
    witness_confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, witness_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness_confirmed"].label = witness_label

    def clean_signature(self) -> bytes:
        try:
            return signature_from_data_url(self.cleaned_data["signature"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the patient's words if you can, e.g. 'Does not want further injections'.",
    )


class ConsentTemplateForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Plain language. A blank line starts a new paragraph; start a line with '## ' "
        "for a heading and '- ' for a list item.",
    )
    valid_for_months = forms.IntegerField(
        label="Valid for (months)",
        required=False,
        help_text="How long a signature counts. Leave empty for 'until withdrawn'.",
        widget=forms.NumberInput(attrs={"min": 1, "max": 120}),
    )
    effective_from = forms.DateField(
        label="In effect from", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()

    @classmethod
    def initial_from(cls, template: ConsentTemplate) -> dict[str, Any]:
        return {
            "title": template.title,
            "body": template.body,
            "valid_for_months": template.valid_for_months,
            "effective_from": template.effective_from,
        }
