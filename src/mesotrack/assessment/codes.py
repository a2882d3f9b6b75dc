"""The assessment's controlled vocabularies: diagnoses with their ICD-10 codes, trichoscopy
findings, patient goals and the items of a clinic's price list.

Diagnosis codes match the screening vocabulary (`mesotrack.screening.vocabulary`), plus "other"
for hair loss the screening rules do not know about.
"""

from dataclasses import dataclass

from django.db import models

WHO_ICD10 = "https://icd.who.int/browse10/2019/en/GetConcept?ConceptId=L60-L75"


class Diagnosis(models.TextChoices):
    AGA_MALE = "aga_male", "Male androgenetic alopecia"
    FPHL = "fphl", "Female pattern hair loss"
    TELOGEN_EFFLUVIUM = "telogen_effluvium", "Telogen effluvium"
    ALOPECIA_AREATA = "alopecia_areata", "Alopecia areata"
    SCARRING_ALOPECIA = "scarring_alopecia", "Scarring alopecia"
    OTHER = "other", "Other hair loss"


class TelogenCourse(models.TextChoices):
    # Acute under 6 months, chronic over 6 months: clinical_rules.md §4.9 (taylorfrancis; dermnet).
    ACUTE = "acute", "Acute (under 6 months)"
    CHRONIC = "chronic", "Chronic (over 6 months)"


@dataclass(frozen=True)
class Icd10Code:
    code: str
    label: str
    diagnosis: str
    source: str
    verified: bool = True


def _codes(diagnosis: Diagnosis, rows: list[tuple[str, str]], source: str = WHO_ICD10) -> list:
    return [
        Icd10Code(code, label.removesuffix(" [V]"), diagnosis.value, source, "[V]" not in label)
        for code, label in rows
    ]


# WHO ICD-10 (2019), clinical_rules.md §4.9. Codes marked [V] there are offered but flagged as
# unconfirmed, so the clinic can check them before relying on them in reports.
ICD10_CODES: tuple[Icd10Code, ...] = (
    *_codes(
        Diagnosis.AGA_MALE,
        [
            ("L64.9", "Androgenic alopecia, unspecified"),
            ("L64.8", "Other androgenic alopecia"),
            ("L64.0", "Drug-induced androgenic alopecia"),
        ],
    ),
    *_codes(
        Diagnosis.FPHL,
        [
            ("L64.9", "Androgenic alopecia, unspecified (female pattern)"),
            ("L64.8", "Other androgenic alopecia (female pattern)"),
            ("L64.0", "Drug-induced androgenic alopecia"),
        ],
    ),
    *_codes(Diagnosis.TELOGEN_EFFLUVIUM, [("L65.0", "Telogen effluvium")]),
    *_codes(
        Diagnosis.ALOPECIA_AREATA,
        [
            ("L63.9", "Alopecia areata, unspecified"),
            ("L63.0", "Alopecia (capitis) totalis"),
            ("L63.1", "Alopecia universalis"),
            ("L63.2", "Ophiasis"),
            ("L63.8", "Other alopecia areata"),
        ],
    ),
    *_codes(
        Diagnosis.SCARRING_ALOPECIA,
        [
            ("L66.9", "Cicatricial alopecia, unspecified"),
            ("L66.0", "Pseudopelade [V]"),
            ("L66.1", "Lichen planopilaris"),
            ("L66.2", "Folliculitis decalvans"),
            ("L66.3", "Perifolliculitis capitis abscedens"),
            ("L66.4", "Folliculitis ulerythematosa reticulata [V]"),
            ("L66.8", "Other cicatricial alopecia"),
        ],
    ),
    *_codes(
        Diagnosis.OTHER,
        [
            ("L65.9", "Nonscarring hair loss, unspecified"),
            ("L65.1", "Anagen effluvium"),
            ("L65.2", "Alopecia mucinosa"),
            ("L65.8", "Other specified nonscarring hair loss"),
        ],
    ),
)


def icd10_choices(diagnosis: str) -> list[tuple[str, str]]:
    return [
        (c.code, f"{c.code} {c.label}" + ("" if c.verified else " (code unconfirmed)"))
        for c in ICD10_CODES
        if c.diagnosis == diagnosis
    ]


def icd10_label(code: str) -> str:
    return next((c.label for c in ICD10_CODES if c.code == code), code)


ALL_ICD10_CHOICES = sorted({(c.code, f"{c.code} {c.label}") for c in ICD10_CODES})


class TrichoscopyFinding(models.TextChoices):
    # Rakowska 2009 criteria for androgenetic alopecia, and the signs that point elsewhere
    # (clinical_rules.md §4.7, §4.9).
    YELLOW_DOTS = "yellow_dots", "Yellow dots"
    DIAMETER_DIVERSITY = "diameter_diversity", "Hair-diameter diversity over 20 %"
    VELLUS_HAIRS = "vellus_hairs", "Vellus hairs"
    PERIFOLLICULAR_DISCOLORATION = "perifollicular_discoloration", "Perifollicular discoloration"
    EXCLAMATION_MARK_HAIRS = "exclamation_mark_hairs", "Exclamation-mark hairs"
    BLACK_DOTS = "black_dots", "Black dots"
    BROKEN_HAIRS = "broken_hairs", "Broken hairs"
    LOSS_OF_FOLLICULAR_OPENINGS = "loss_of_follicular_openings", "Loss of follicular openings"
    PERIFOLLICULAR_SCALING = "perifollicular_scaling", "Perifollicular scaling or erythema"


class Goal(models.TextChoices):
    SLOW_LOSS = "slow_loss", "Slow or stop the loss"
    REGROW = "regrow", "Regrow hair"
    MAINTAIN_TRANSPLANT = "maintain_transplant", "Keep a transplant looking its best"
    AVOID_PILLS = "avoid_pills", "Avoid tablets"
    AVOID_NEEDLES = "avoid_needles", "Avoid needles"
    LOWEST_COST = "lowest_cost", "Lowest cost"


class Modality(models.TextChoices):
    MESOTHERAPY = "mesotherapy", "Mesotherapy"
    PRP = "prp", "PRP (platelet-rich plasma)"
    MEDICAL_THERAPY = "medical_therapy", "Medical therapy"
    TRANSPLANT_CONSULTATION = "transplant_consultation", "Hair transplant consultation"
    REFERRAL = "referral", "Referral to a specialist"
    CORRECT_DEFICIENCY = "correct_deficiency", "Correct a deficiency first"


class PatientDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    THINKING_IT_OVER = "thinking_it_over", "Thinking it over"


class PriceItem(models.TextChoices):
    MESOTHERAPY_SESSION = "mesotherapy_session", "Mesotherapy session"
    PRP_SESSION = "prp_session", "PRP session"
    TOPICAL_MINOXIDIL_MONTH = "topical_minoxidil_month", "Minoxidil solution or foam, one month"
    ORAL_MINOXIDIL_MONTH = "oral_minoxidil_month", "Minoxidil tablets, one month"
    FINASTERIDE_MONTH = "finasteride_month", "Finasteride, one month"
    DUTASTERIDE_MONTH = "dutasteride_month", "Dutasteride, one month"
    TRANSPLANT_CONSULTATION = "transplant_consultation", "Hair transplant consultation"
    TRANSPLANT_PER_GRAFT = "transplant_per_graft", "Hair transplant, per graft"
    SPECIALIST_REFERRAL = "specialist_referral", "Specialist referral letter"
    SUPPLEMENTS_MONTH = "supplements_month", "Supplements (iron, vitamin D), one month"
    BLOOD_TESTS = "blood_tests", "Repeat blood tests"


def vocabulary_choices(section: str) -> list[tuple[str, str]]:
    """(code, label) pairs of one section of the screening vocabulary."""
    from mesotrack.screening.vocabulary import vocabulary

    return [(entry["code"], entry["label"]) for entry in vocabulary().get(section, [])]


def vocabulary_label(section: str, code: str) -> str:
    return dict(vocabulary_choices(section)).get(code, code.replace("_", " "))
