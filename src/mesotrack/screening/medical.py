"""Which medicines the decision aid may offer under "medical therapy".

Each medicine of the medical_options table lists who may take it (sex, minimum age) and what
rules it out; the sources are in its row (clinical_rules.md §2.1: finasteride category X,
dutasteride contraindicated in women of childbearing potential, children and severe hepatic
impairment; minoxidil not in pregnancy, breastfeeding, under 18 or with heart disease; §7: the
guideline first line). A yes/no that is not recorded is never read as "no" by the adapter that
builds the profile.
"""

from dataclasses import dataclass

from mesotrack.rules.schemas import MedicalOptionRow
from mesotrack.screening import tables
from mesotrack.screening.flags import in_sentence, joined
from mesotrack.screening.profile import ScreeningProfile

_EXCLUSION_REASONS = {
    "pregnant": "not in pregnancy",
    "breastfeeding": "not while breastfeeding",
    "could_become_pregnant": "not for anyone who could become pregnant",
    "trying_to_conceive": "not while trying to conceive",
}


@dataclass(frozen=True)
class MedicalChoice:
    allowed: tuple[str, ...]  # medical_options codes, in table order
    excluded: tuple[tuple[str, str], ...]  # (label, reason)
    off_label: tuple[str, ...]  # labels of allowed medicines that are off-label for her
    already_taking: tuple[str, ...]  # labels


def pregnancy_answers(profile: ScreeningProfile) -> set[str]:
    """Which of pregnant, breastfeeding, could_become_pregnant, trying_to_conceive hold."""
    answers = {name for name in _EXCLUSION_REASONS if getattr(profile, name) is True}
    if profile.conditions & {"pregnancy", "suspected_pregnancy"}:
        answers.add("pregnant")
    if "breastfeeding" in profile.conditions:
        answers.add("breastfeeding")
    return answers


def _reasons(row: MedicalOptionRow, profile: ScreeningProfile) -> tuple[list[str], bool]:
    """Why `row` is ruled out for `profile` (empty: allowed), and whether it is off-label."""
    answers = pregnancy_answers(profile)
    reasons = [_EXCLUSION_REASONS[name] for name in row.excluded_when if name in answers]
    if profile.age < row.min_age:
        reasons.append(f"not under {row.min_age}")
    off_label = False
    if profile.sex_at_birth not in row.sexes:
        no_pregnancy_potential = not answers & {
            "pregnant",
            "breastfeeding",
            "could_become_pregnant",
        }
        if row.off_label_for_women_without_pregnancy_potential and no_pregnancy_potential:
            off_label = True
        elif profile.sex_at_birth == "female":
            reasons.append("not licensed for women")
        else:
            reasons.append("not licensed for this patient")
    present = [code for code in row.excluded_conditions if code in profile.conditions]
    if present:
        reasons.append("not with " + joined(in_sentence(tables.label_of(c)) for c in present))
    return reasons, off_label


def medical_therapy_choice(profile: ScreeningProfile) -> MedicalChoice:
    allowed, excluded, off_label, taking = [], [], [], []
    for code, row in tables.medical_options().items():
        reasons, is_off_label = _reasons(row, profile)
        if reasons:
            excluded.append((row.label, joined(reasons)))
            continue
        allowed.append(code)
        if is_off_label:
            off_label.append(row.label)
        if profile.medications & set(row.medication_codes):
            taking.append(in_sentence(row.label))
    return MedicalChoice(tuple(allowed), tuple(excluded), tuple(off_label), tuple(taking))
