"""Labels, units, ranges and sources of the lab thresholds a clinic may change
(clinical_rules.md §5), read from the screening's lab_thresholds rule table where it has them."""

import dataclasses
from typing import Any

from mesotrack.rules import load_table, table_names
from mesotrack.screening.labs import LabThresholds, default_lab_thresholds

# Used only for a threshold the rule table does not describe.
FALLBACK_LABELS: dict[str, tuple[str, str]] = {
    "ferritin_low": ("Ferritin low for hair growth", "µg/L"),
    "ferritin_deficient": ("Ferritin: iron deficiency", "µg/L"),
    "vitamin_d_deficient": ("25-OH vitamin D: deficient", "ng/mL"),
    "vitamin_d_insufficient": ("25-OH vitamin D: insufficient", "ng/mL"),
    "zinc_low_female": ("Zinc low (women)", "µg/dL"),
    "zinc_low_male": ("Zinc low (men)", "µg/dL"),
    "b12_deficient": ("Vitamin B12: deficient", "pg/mL"),
    "b12_borderline": ("Vitamin B12: borderline", "pg/mL"),
    "tsh_low": ("TSH: lower limit", "mIU/L"),
    "tsh_high": ("TSH: upper limit", "mIU/L"),
    "haemoglobin_low_female": ("Haemoglobin low (women)", "g/dL"),
    "haemoglobin_low_male": ("Haemoglobin low (men)", "g/dL"),
    "platelets_low": ("Platelets low", "×10⁹/L"),
}
SECTION_SOURCE = "clinical_rules.md §5"


def _rows() -> dict[str, Any]:
    if "lab_thresholds" not in table_names():
        return {}
    return {row.code: row for row in load_table("lab_thresholds")}


def _help(row: Any, default: float, unit: str) -> str:
    parts = [f"Default {default:g} {unit}.".replace(" .", ".")]
    low, high = getattr(row, "allowed_min", None), getattr(row, "allowed_max", None)
    if low is not None and high is not None:
        parts.append(f"Allowed {float(low):g} to {float(high):g}.")
    parts.append(f"Source: {getattr(row, 'source', None) or SECTION_SOURCE}")
    return " ".join(parts)


def threshold_fields() -> dict[str, tuple[str, str]]:
    """Form label and help text (default, allowed range, source) for every threshold."""
    defaults: LabThresholds = default_lab_thresholds()
    rows = _rows()
    fields = {}
    for field in dataclasses.fields(LabThresholds):
        row = rows.get(field.name)
        fallback_label, fallback_unit = FALLBACK_LABELS.get(
            field.name, (field.name.replace("_", " ").capitalize(), "")
        )
        label = getattr(row, "label", None) or fallback_label
        unit = getattr(row, "unit", None) or fallback_unit
        default = getattr(defaults, field.name)
        fields[field.name] = (f"{label} ({unit})" if unit else label, _help(row, default, unit))
    return fields
