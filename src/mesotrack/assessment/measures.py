"""Checks and derived values of an assessment's entries: the ICD-10 code and stage fit the
diagnosis, SALT and ASFS totals, the pull-test result. Pure functions over the submitted data;
each refusal is a DomainError naming the field at fault.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from mesotrack.assessment.codes import Diagnosis, TelogenCourse, TrichoscopyFinding, icd10_choices
from mesotrack.core.errors import DomainError
from mesotrack.screening.scales import (
    SALT_REGIONS,
    SCALES,
    asfs_total,
    pull_test_positive,
    salt_score,
    scales_for_diagnosis,
)

ASFS_OCTANTS = 8
EDITABLE_FIELDS = (
    "assessed_on",
    "diagnosis",
    "icd10_code",
    "telogen_course",
    "diagnosis_notes",
    "stage_scale",
    "stage_value",
    "salt_loss",
    "pull_test_hairs_held",
    "pull_test_hairs_out",
    "hair_count_60s",
    "wash_test_total",
    "wash_test_short_percent",
    "scalp_inflammation",
    "scalp_infection",
    "scalp_wound",
    "seborrhoeic_dermatitis",
    "asfs_octants",
    "scalp_notes",
    "trichoscopy_findings",
    "trichoscopy_notes",
    "notes",
)


def scale_name(code: str) -> str:
    scale = SCALES.get(code)
    return scale.name if scale else code


def _check_diagnosis(data: Mapping[str, Any]) -> None:
    diagnosis = data.get("diagnosis") or ""
    if diagnosis and diagnosis not in Diagnosis.values:
        raise DomainError("Choose a diagnosis from the list.", field="diagnosis")
    code = data.get("icd10_code") or ""
    if code and code not in {value for value, _ in icd10_choices(diagnosis)}:
        raise DomainError(
            f"{code} is not an ICD-10 code for {Diagnosis(diagnosis).label.lower()}."
            if diagnosis
            else "Choose the diagnosis before its ICD-10 code.",
            field="icd10_code",
        )
    course = data.get("telogen_course") or ""
    if course and course not in TelogenCourse.values:
        raise DomainError("Choose acute or chronic.", field="telogen_course")
    if course and diagnosis != Diagnosis.TELOGEN_EFFLUVIUM:
        raise DomainError(
            "Acute or chronic applies to telogen effluvium only.", field="telogen_course"
        )


def _check_stage(data: Mapping[str, Any]) -> None:
    scale_code = data.get("stage_scale") or ""
    if not scale_code:
        if data.get("stage_value"):
            raise DomainError("Choose the scale the stage belongs to.", field="stage_scale")
        return
    diagnosis = data.get("diagnosis") or ""
    fitting = [scale.code for scale in scales_for_diagnosis(diagnosis)] if diagnosis else []
    if scale_code not in fitting:
        names = ", ".join(scale_name(code) for code in fitting) or "no scale"
        raise DomainError(
            f"The {scale_name(scale_code)} scale does not fit this diagnosis (use {names}).",
            field="stage_scale",
        )
    if scale_code == "salt":
        return
    value = data.get("stage_value") or ""
    if value not in {stage.value for stage in SCALES[scale_code].stages}:
        raise DomainError(
            f"Pick a stage on the {scale_name(scale_code)} scale.", field="stage_value"
        )


def _salt(data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("stage_scale") != "salt":
        return {"salt_loss": {}, "salt_total": None, "salt_class": ""}
    loss = data.get("salt_loss") or {}
    for region in SALT_REGIONS:
        value = loss.get(region)
        if value is None or not 0 <= float(value) <= 100:
            raise DomainError(
                "Give the percentage of hair lost (0–100) in every SALT region.",
                field=f"salt_{region}",
            )
    total, salt_class = salt_score({region: float(loss[region]) for region in SALT_REGIONS})
    total_decimal = Decimal(str(round(total, 1)))
    return {
        "salt_loss": {region: float(loss[region]) for region in SALT_REGIONS},
        "salt_total": total_decimal,
        "salt_class": salt_class,
        "stage_value": f"{total_decimal.normalize():f}",
    }


def _pull_test(data: Mapping[str, Any]) -> dict[str, Any]:
    held, out = data.get("pull_test_hairs_held"), data.get("pull_test_hairs_out")
    if held is None and out is None:
        return {"pull_test_positive": None}
    if held is None or out is None:
        field = "pull_test_hairs_out" if out is None else "pull_test_hairs_held"
        raise DomainError("Give both the hairs held and the hairs that came out.", field=field)
    if held < 1:
        raise DomainError("Hold at least one hair for a pull test.", field="pull_test_hairs_held")
    if out > held:
        raise DomainError(
            "More hairs came out than were held: check the counts.", field="pull_test_hairs_out"
        )
    return {"pull_test_positive": pull_test_positive(held, out)}


def _asfs(octants: Sequence[int] | None) -> dict[str, Any]:
    if not octants:
        return {"asfs_octants": [], "asfs_total": None}
    if len(octants) != ASFS_OCTANTS or any(not 0 <= score <= 10 for score in octants):
        raise DomainError(
            "Score each of the 8 octants from 0 (no flaking) to 10 (very heavy).",
            field="asfs_octants",
        )
    return {"asfs_octants": list(octants), "asfs_total": asfs_total(octants)}


def _check_others(data: Mapping[str, Any]) -> None:
    assessed_on = data.get("assessed_on")
    if isinstance(assessed_on, dt.date) and assessed_on > data.get("today", assessed_on):
        raise DomainError("The assessment date is in the future.", field="assessed_on")
    percent = data.get("wash_test_short_percent")
    if percent is not None and not 0 <= percent <= 100:
        raise DomainError(
            "Short hairs are a percentage: 0 to 100.", field="wash_test_short_percent"
        )
    unknown = set(data.get("trichoscopy_findings") or []) - set(TrichoscopyFinding.values)
    if unknown:
        raise DomainError(
            "Choose trichoscopy findings from the list.", field="trichoscopy_findings"
        )


def checked_entries(data: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The editable fields of `data`, checked, with SALT, ASFS and pull-test results derived."""
    entries = {name: data.get(name) for name in EDITABLE_FIELDS if name in data}
    _check_diagnosis(entries)
    _check_stage(entries)
    _check_others({**entries, "today": today})
    entries.update(_salt(entries))
    entries.update(_pull_test(entries))
    entries.update(_asfs(entries.get("asfs_octants")))
    entries["trichoscopy_findings"] = sorted(set(entries.get("trichoscopy_findings") or []))
    for text in ("diagnosis_notes", "scalp_notes", "trichoscopy_notes", "notes"):
        entries[text] = (entries.get(text) or "").strip()
    return entries


def missing_for_signature(values: Mapping[str, Any]) -> DomainError | None:
    """What must be filled in before a practitioner can sign, as the first refusal found."""
    diagnosis = values.get("diagnosis") or ""
    if not diagnosis:
        return DomainError("Choose a diagnosis before signing.", field="diagnosis")
    if not values.get("icd10_code"):
        return DomainError("Choose the ICD-10 code before signing.", field="icd10_code")
    if diagnosis == Diagnosis.TELOGEN_EFFLUVIUM and not values.get("telogen_course"):
        return DomainError(
            "Say whether the telogen effluvium is acute or chronic before signing.",
            field="telogen_course",
        )
    scales = scales_for_diagnosis(diagnosis)
    if scales and not (values.get("stage_scale") and values.get("stage_value")):
        names = " or ".join(scale.name for scale in scales)
        return DomainError(
            f"Stage the hair loss on the {names} scale before signing.", field="stage"
        )
    return None
