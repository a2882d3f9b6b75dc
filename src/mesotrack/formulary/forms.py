"""Input shapes only; every rule about stock, doses and lots lives in services.py."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesotrack.accounts.models import Clinic
from mesotrack.core.errors import DomainError
from mesotrack.formulary.catalogue import ingredient_choices
from mesotrack.formulary.doses import CompositionLine
from mesotrack.formulary.models import (
    AmountUnit,
    Lot,
    MovementKind,
    Product,
    ProductKind,
    RecipeModality,
    StockUnit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
REASON = forms.Textarea(attrs={"rows": 2})


def add_service_error(form: forms.BaseForm, error: DomainError | ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ClinicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def clinic_field(clinics: list[Clinic]) -> forms.ModelChoiceField:
    field = ClinicChoiceField(
        queryset=Clinic.objects.filter(pk__in=[c.pk for c in clinics]).order_by("name"),
        empty_label=None,
    )
    if len(clinics) == 1:
        field.initial = clinics[0].pk
    return field


class ReceiveForm(forms.Form):
    lot_number = forms.CharField(max_length=60)
    expiry_date = forms.DateField(widget=DATE)
    quantity = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="In the product's unit.",
    )
    supplier = forms.CharField(max_length=200)
    received_on = forms.DateField(widget=DATE)
    storage_notes = forms.CharField(required=False, widget=REASON)

    def __init__(self, *args: Any, clinics: list[Clinic], product: Product, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"clinic": clinic_field(clinics), **self.fields}
        self.fields["quantity"].label = f"Quantity ({product.unit})"
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["storage_notes"].initial = product.storage


class MovementForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[
            (MovementKind.WASTE.value, "Wasted (broken, opened too long, expired)"),
            (MovementKind.ADJUST.value, "Count corrected (stock take)"),
            (MovementKind.RETURN.value, "Returned to the supplier"),
        ],
    )
    quantity = forms.CharField(
        max_length=14,
        help_text="For a count correction, a minus sign takes stock off: −1.5 or +2.",
    )
    reason = forms.CharField(widget=REASON, required=False)


class StatusForm(forms.Form):
    ACTIONS = [
        ("quarantine", "Quarantine: stop using it while it is checked"),
        ("release", "Release from quarantine"),
        ("recall", "Recall: it must never be used again"),
        ("expire", "Mark expired"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(widget=REASON, required=False)


class ProductForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ProductKind.choices)
    unit = forms.ChoiceField(
        choices=StockUnit.choices,
        initial=StockUnit.ML,
        help_text="Stock is counted in this unit; the composition below is per 1 of it.",
    )
    manufacturer = forms.CharField(max_length=200, required=False)
    presentation = forms.CharField(max_length=100, required=False, help_text="e.g. 5 mL vial")
    storage = forms.CharField(max_length=200, required=False, help_text="e.g. Below 25 °C")
    notes = forms.CharField(widget=REASON, required=False)


class CompositionRowForm(forms.Form):
    ingredient = forms.ChoiceField(required=False)
    amount = forms.DecimalField(required=False, max_digits=12, decimal_places=4, min_value=0)
    unit = forms.ChoiceField(choices=AmountUnit.choices, initial=AmountUnit.MG)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ingredient = cast(forms.ChoiceField, self.fields["ingredient"])
        ingredient.choices = [("", "—"), *ingredient_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ingredient") and data.get("amount") is None:
            self.add_error("amount", "Enter how much of it is in 1 mL (or 1 g).")
        if data.get("amount") is not None and not data.get("ingredient"):
            self.add_error("ingredient", "Choose the ingredient.")
        return data


CompositionFormSet = forms.formset_factory(CompositionRowForm, extra=6, max_num=12)


def composition_lines(formset: forms.BaseFormSet) -> list[CompositionLine]:
    return [
        CompositionLine(row["ingredient"], row["amount"], row["unit"])
        for row in formset.cleaned_data
        if row.get("ingredient")
    ]


class RecipeForm(forms.Form):
    name = forms.CharField(max_length=200)
    modality = forms.ChoiceField(choices=RecipeModality.choices)
    notes = forms.CharField(widget=REASON, required=False)


class RecipeVersionForm(forms.Form):
    notes = forms.CharField(
        widget=REASON, required=False, help_text="What changed and why, for whoever reads it later."
    )


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class ComponentRowForm(forms.Form):
    product = ProductChoiceField(queryset=Product.objects.none(), required=False)
    volume_ml = forms.DecimalField(
        label="mL a session", required=False, max_digits=6, decimal_places=2, min_value=0
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every row is read as sent: a prefilled row left as it was is still part of the recipe.
        self.empty_permitted = False
        self.fields["product"].queryset = products  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("product") and data.get("volume_ml") is None:
            self.add_error("volume_ml", "Enter the volume in one session.")
        if data.get("volume_ml") is not None and not data.get("product"):
            self.add_error("product", "Choose the product.")
        return data


ComponentFormSet = forms.formset_factory(ComponentRowForm, extra=5, max_num=10)


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.clinic.name} · lot {obj.lot_number} · expires {obj.expiry_date:%d %b %Y} · "
            f"{obj.on_hand} {obj.product.unit} on hand"
        )


class BatchForm(forms.Form):
    syringes = forms.IntegerField(min_value=1, max_value=100, initial=1)
    use_by = forms.DateTimeField(
        widget=DATETIME, help_text="Until when the prepared syringes may be used."
    )
    notes = forms.CharField(widget=REASON, required=False)

    def __init__(
        self,
        *args: Any,
        clinics: list[Clinic],
        lot_choices: dict[Product, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"clinic": clinic_field(clinics), **self.fields}
        self.lot_fields: list[str] = []
        for product, lots in lot_choices.items():
            name = f"lot_{product.pk}"
            self.fields[name] = LotChoiceField(
                queryset=lots,
                required=False,
                label=f"Lot of {product.name}",
                empty_label="The first to expire (suggested)",
                help_text=_suggestions(lots),
            )
            self.lot_fields.append(name)

    def chosen_lots(self) -> dict[int, Lot]:
        return {
            int(name.removeprefix("lot_")): self.cleaned_data[name]
            for name in self.lot_fields
            if self.cleaned_data.get(name)
        }


def _suggestions(lots: Any) -> str:
    """The first-expiring lot at each clinic (`lots` is in clinic, then expiry order)."""
    first: dict[int, Lot] = {}
    for lot in lots:
        first.setdefault(lot.clinic_id, lot)
    if not first:
        return "No usable lot holds stock."
    return "; ".join(
        f"First to expire at {lot.clinic.name}: lot {lot.lot_number}, {lot.expiry_date:%d %b %Y}"
        for lot in first.values()
    )


class SettingsForm(forms.Form):
    expiry_warning_days = forms.IntegerField(
        label="Warn this many days before a lot expires", min_value=1, max_value=365
    )
