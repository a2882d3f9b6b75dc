"""Intake answers for one demo patient, told from their DemoPatientProfile (demo only)."""

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from mesotrack.core.demo import DemoPatientProfile
from mesotrack.patients.models import Patient

ONGOING_MEDICINES = {
    "topical_minoxidil": ("Minoxidil 5% foam", "minoxidil_topical", "once daily"),
    "oral_minoxidil": ("Minoxidil", "minoxidil_oral", "2.5 mg daily"),
    "finasteride": ("Finasteride", "five_alpha_reductase_inhibitor", "1 mg daily"),
    "dutasteride": ("Dutasteride", "five_alpha_reductase_inhibitor", "0.5 mg daily"),
    "spironolactone": ("Spironolactone", "spironolactone", "100 mg daily"),
    "supplements": ("Biotin and zinc supplement", "other", "one tablet daily"),
}
CONDITION_MEDICINES = {
    "hypertension_controlled": ("Amlodipine", "antihypertensive", "5 mg daily"),
    "hypertension_uncontrolled": ("Ramipril", "antihypertensive", "5 mg daily"),
    "diabetes_controlled": ("Metformin", "other", "500 mg twice daily"),
    "diabetes_uncontrolled": ("Metformin", "other", "1 g twice daily"),
    "arrhythmia": ("Apixaban", "anticoagulant", "5 mg twice daily"),
    "thyroid_underactive": ("Levothyroxine", "thyroid_medicine", "75 micrograms daily"),
    "thyroid_overactive": ("Carbimazole", "thyroid_medicine", "10 mg daily"),
    "autoimmune_lupus": ("Hydroxychloroquine", "immunosuppressant", "200 mg daily"),
}
ALLERGIES = {
    "amide_local_anaesthetic": ("amide_local_anaesthetic", "lidocaine", "hives and lip swelling"),
    "nickel": ("nickel_metal", "nickel", "itchy rash from jewellery"),
    "penicillin": ("other", "penicillin", "widespread rash"),
    "latex": ("latex", "latex gloves", "itching and redness"),
}
HORMONAL_CONTRACEPTION = {"Combined pill", "Progestogen-only pill", "Implant", "Hormonal coil"}
PATTERNS = {
    "male_pattern": ["receding_temples", "crown_vertex", "temples_and_crown"],
    "female_pattern": ["widening_part", "diffuse_top_hairline_kept", "frontal_accentuation"],
    "telogen_effluvium": ["diffuse_all_over"],
    "alopecia_areata": ["patches"],
    "scarring": ["receding_band_with_scarring"],
}


def _weighted(rng: random.Random, options: Mapping[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _history(
    rng: random.Random, patient: Patient, story: DemoPatientProfile, onset: dt.date
) -> dict[str, Any]:
    kind = story.hair_loss
    sudden = kind in {"telogen_effluvium", "alopecia_areata"}
    triggers = ["none_known"]
    if kind == "telogen_effluvium":
        options = ["illness_fever", "covid19", "crash_diet_weight_loss", "psychological_stress"]
        if patient.sex_at_birth == "female":
            options += ["childbirth", "childbirth", "stopping_hormonal_contraception"]
        triggers = [rng.choice(options)] + (["iron_deficiency"] if story.iron_deficient else [])
    elif kind == "alopecia_areata" and rng.random() < 0.5:
        triggers = ["psychological_stress"]
    family = {"none": 3, "unknown": 2, "both_sides": 2}
    family |= {"father_side": 5} if patient.sex_at_birth == "male" else {"mother_side": 5}
    return {
        "onset_on": onset,
        "onset_speed": "sudden" if sudden else "gradual",
        "patterns": [rng.choice(PATTERNS.get(kind, ["diffuse_all_over"]))],
        "shedding": "heavy" if sudden else rng.choice(["none", "more_than_usual"]),
        "family_history": _weighted(rng, family) if kind in PATTERNS else "unknown",
        "triggers": triggers,
    }


def _treatments(
    rng: random.Random, story: DemoPatientProfile, onset: dt.date, seen_on: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tried, medicines = [], []
    for code in story.prior_treatments:
        if code == "hair_transplant" and story.transplant_years_ago is not None:
            done_on = seen_on - dt.timedelta(days=int(story.transplant_years_ago * 365.25))
            tried.append(
                {
                    "treatment": code,
                    "started_on": done_on,
                    "graft_count": story.grafts,
                    "response": "improved",
                    "details": "FUE",
                }
            )
            continue
        started = _between(rng, onset, seen_on - dt.timedelta(days=60))
        ongoing = code in ONGOING_MEDICINES and rng.random() < 0.5
        row: dict[str, Any] = {"treatment": code, "started_on": started}
        if ongoing:
            row["response"] = _weighted(rng, {"improved": 4, "stable": 4, "unknown": 2})
            name, medication_class, dose = ONGOING_MEDICINES[code]
            medicines.append(
                {"name": name, "medication_class": medication_class, "dose": dose, "since": started}
            )
        else:
            row["stopped_on"] = _between(rng, started + dt.timedelta(days=30), seen_on)
            row["response"] = _weighted(
                rng, {"worse": 3, "stopped_side_effects": 2, "stable": 2, "improved": 1}
            )
        tried.append(row)
    return tried, medicines


def _conditions(rng: random.Random, story: DemoPatientProfile) -> tuple[list[str], list[str]]:
    codes, notes = [], []
    for condition in story.conditions:
        if condition == "hypertension":
            codes.append(
                _weighted(rng, {"hypertension_controlled": 4, "hypertension_uncontrolled": 1})
            )
        elif condition == "diabetes":
            codes.append(_weighted(rng, {"diabetes_controlled": 3, "diabetes_uncontrolled": 1}))
        elif condition == "anticoagulant":
            codes.append("arrhythmia")
            notes.append("Atrial fibrillation, on anticoagulation.")
        elif condition == "autoimmune":
            codes.append(_weighted(rng, {"autoimmune_lupus": 1, "autoimmune_other": 2}))
        elif condition == "thyroid_disease":
            codes.append(
                "thyroid_overactive" if story.thyroid == "hyper" else "thyroid_underactive"
            )
        else:
            codes.append(
                {"keloid": "keloid_tendency", "herpes_labialis": "herpes_cold_sores"}.get(
                    condition, condition
                )
            )
    return codes, notes


def _reproductive(
    rng: random.Random, patient: Patient, story: DemoPatientProfile
) -> dict[str, Any]:
    conceiving = story.trying_to_conceive
    if patient.sex_at_birth != "female":
        return {"trying_to_conceive": conceiving}
    contraception = ""
    if story.could_become_pregnant and not (story.pregnant or conceiving):
        contraception = rng.choice([*sorted(HORMONAL_CONTRACEPTION), "Copper coil", "Condoms"])
    return {
        "pregnant": story.pregnant,
        "breastfeeding": story.breastfeeding,
        "could_become_pregnant": story.could_become_pregnant,
        "trying_to_conceive": conceiving,
        "contraception": contraception,
    }


def demo_labs(
    rng: random.Random, patient: Patient, story: DemoPatientProfile, taken_on: dt.date
) -> list[dict[str, Any]]:
    female = patient.sex_at_birth == "female"
    ferritin = (
        rng.uniform(6, 24) if story.iron_deficient else rng.uniform(35, 220 if female else 300)
    )
    vitamin_d = rng.uniform(7, 19) if story.vitamin_d_low else rng.uniform(22, 55)
    tsh = {"hypo": rng.uniform(5.2, 11), "hyper": rng.uniform(0.01, 0.3)}.get(
        story.thyroid, rng.uniform(0.6, 3.8)
    )
    haemoglobin = (
        rng.uniform(10.4, 11.8)
        if story.iron_deficient and female
        else rng.uniform(12.2 if female else 13.5, 14.8 if female else 16.8)
    )
    labs = [
        ("ferritin", round(ferritin), rng.choice(["µg/L", "ng/mL"])),
        ("tsh", round(tsh, 2), "mIU/L"),
        ("haemoglobin", round(haemoglobin, 1), "g/dL"),
        ("platelets", rng.randint(160, 390), "×10⁹/L"),
    ]
    if rng.random() < 0.3:
        labs.append(("vitamin_d_25oh", round(vitamin_d * 2.496), "nmol/L"))
    else:
        labs.append(("vitamin_d_25oh", round(vitamin_d, 1), "ng/mL"))
    if rng.random() < 0.6:
        labs.append(("zinc", rng.randint(62, 110), "µg/dL"))
        labs.append(("vitamin_b12", rng.randint(230, 750), "pg/mL"))
    if story.thyroid != "normal":
        labs.append(
            (
                "free_t4",
                round(rng.uniform(8, 11) if story.thyroid == "hypo" else rng.uniform(24, 40), 1),
                "pmol/L",
            )
        )
    return [
        {"test": test, "value": value, "unit": unit, "taken_on": taken_on}
        for test, value, unit in labs
    ]


def demo_answers(
    rng: random.Random, patient: Patient, story: DemoPatientProfile, seen_on: dt.date
) -> dict[str, Any]:
    """Answers as a clinician would have entered them at the first visit on `seen_on`."""
    onset = seen_on - dt.timedelta(days=int(story.onset_years_ago * 365.25))
    onset = min(onset, seen_on - dt.timedelta(days=30))
    tried, medicines = _treatments(rng, story, onset, seen_on)
    conditions, notes = _conditions(rng, story)
    medicines += [
        {"name": name, "medication_class": kind, "dose": dose}
        for code, (name, kind, dose) in CONDITION_MEDICINES.items()
        if code in conditions
    ]
    reproductive = _reproductive(rng, patient, story)
    if reproductive.get("contraception") in HORMONAL_CONTRACEPTION:
        medicines.append(
            {"name": reproductive["contraception"], "medication_class": "hormonal_contraception"}
        )
    allergies = [
        {"allergy_class": kind, "substance": substance, "reaction": reaction}
        for kind, substance, reaction in (ALLERGIES[a] for a in story.allergies if a in ALLERGIES)
    ]
    mean_weight = 70.0 if patient.sex_at_birth == "female" else 84.0
    return {
        "hair_loss_history": _history(rng, patient, story, onset),
        "prior_treatments": tried,
        "medical_history": {"conditions": conditions, "notes": " ".join(notes)},
        "medications": medicines,
        "no_known_allergies": not allergies and rng.random() < 0.9,
        "allergies": allergies,
        "reproductive": reproductive,
        "weight_kg": round(min(140.0, max(45.0, rng.gauss(mean_weight, 11))), 1),
        "labs": (
            demo_labs(rng, patient, story, seen_on - dt.timedelta(days=rng.randint(3, 40)))
            if rng.random() < 0.85
            else []
        ),
    }
