"""From the intake's ClinicalProfile to a ScreeningProfile: intake codes → vocabulary codes."""

import datetime as dt
from decimal import Decimal

import pytest

from mesotrack.intake import services
from mesotrack.intake.profile import AllergyFact, ClinicalProfile, LabValue, MedicationFact
from mesotrack.intake.selectors import patient_clinical_profile
from mesotrack.rules import load_table
from mesotrack.screening import tables
from mesotrack.screening.adapters import (
    TodayAnswers,
    allergies_from_intake,
    conditions_from_intake,
    medication_from_intake,
    screening_profile_from_clinical,
)
from mesotrack.screening.engine import screen
from mesotrack.screening.profile import LabReading, Stage
from tests.intake.conftest import TAKEN_ON, full_answers

ON = dt.date(2025, 6, 1)


def clinical(**facts) -> ClinicalProfile:
    base = {"patient_id": 1, "sex_at_birth": "female", "date_of_birth": dt.date(1990, 6, 2)}
    return ClinicalProfile(**{**base, **facts})


def answered(**facts) -> ClinicalProfile:
    """A woman whose reproductive questions were all answered no."""
    no = dict.fromkeys(
        ("pregnant", "breastfeeding", "could_become_pregnant", "trying_to_conceive"), False
    )
    return clinical(**{**no, **facts})


@pytest.mark.parametrize(
    "intake_codes,expected",
    [
        (["autoimmune_lupus"], {"autoimmune_disease"}),
        (["autoimmune_scleroderma", "autoimmune_other"], {"autoimmune_disease"}),
        (["low_blood_pressure"], {"hypotension"}),
        (["severe_liver_disease"], {"liver_disease_severe"}),
        (["severe_kidney_disease"], {"kidney_disease_severe"}),
        (["hiv"], {"immunosuppression"}),
        (["organ_transplant"], {"immunosuppression"}),
        (["blood_or_bone_cancer"], {"blood_or_bone_cancer", "active_cancer"}),
        (["chemotherapy_current"], {"active_cancer"}),
        (["recent_heart_attack"], {"recent_heart_attack", "cardiovascular_disease"}),
        (["arrhythmia"], {"cardiovascular_disease"}),
        (["hypertension_uncontrolled"], {"hypertension_uncontrolled"}),
        (
            ["thrombocytopenia", "platelet_dysfunction"],
            {"thrombocytopenia", "platelet_dysfunction"},
        ),
        (["diabetes_insulin"], {"diabetes_insulin"}),
        (["hypertension_controlled", "diabetes_controlled", "smoker", "pcos"], set()),
    ],
)
def test_it_maps_intake_conditions_to_screening_conditions(intake_codes, expected):
    assert conditions_from_intake(intake_codes) == expected


def test_patterns_count_only_until_a_diagnosis_is_made():
    assert conditions_from_intake([], ["patches"]) == {"undiagnosed_patchy_loss"}
    assert conditions_from_intake([], ["receding_band_with_scarring"]) == {"scarring_alopecia"}
    assert conditions_from_intake([], ["patches"], diagnosed=True) == set()


@pytest.mark.parametrize(
    "medication_class,name,expected",
    [
        ("anticoagulant", "Warfarin 3 mg", "warfarin"),
        ("anticoagulant", "Eliquis", "doac"),
        ("anticoagulant", "Enoxaparin injections", "heparin"),
        ("anticoagulant", "Something new", "anticoagulant_other"),
        ("antiplatelet", "Aspirin 75", "aspirin"),
        ("antiplatelet", "Ticagrelor", "antiplatelet_other"),
        ("five_alpha_reductase_inhibitor", "Propecia", "finasteride_oral"),
        ("five_alpha_reductase_inhibitor", "Avodart", "dutasteride_oral"),
        ("five_alpha_reductase_inhibitor", "", "five_alpha_reductase_inhibitor_other"),
        ("minoxidil_oral", "Minoxidil 2.5 mg", "minoxidil_oral"),
        ("isotretinoin", "Roaccutane", "isotretinoin"),
        ("immunosuppressant", "Methotrexate", "immunosuppressant"),
        ("thyroid_medicine", "Levothyroxine", None),
        ("other", "Vitamin C", None),
    ],
)
def test_it_maps_intake_medicines_by_class_then_name(medication_class, name, expected):
    assert medication_from_intake(medication_class, name) == expected


@pytest.mark.parametrize(
    "allergy_class,substance,expected",
    [
        ("amide_local_anaesthetic", "lidocaine", {"amide_anaesthetics", "lidocaine"}),
        ("amide_local_anaesthetic", "", {"amide_anaesthetics"}),
        (
            "amide_local_anaesthetic",
            "EMLA cream",
            {"amide_anaesthetics", "lidocaine", "prilocaine"},
        ),
        (
            "vitamin",
            "B vitamins",
            {"biotin", "dexpanthenol", "niacinamide", "thiamine", "pyridoxine", "ascorbic_acid"},
        ),
        ("plant_extract", "", {"saw_palmetto", "ginkgo_biloba", "flavonoside"}),
        ("mineral", "", {"zinc", "copper_peptide", "organic_silicon"}),
        ("dutasteride", "", {"dutasteride"}),
        ("propylene_glycol", "", {"propylene_glycol"}),
        ("other", "hyaluronic acid filler", {"hyaluronic_acid"}),
        ("other", "penicillin", set()),
        ("latex", "", set()),
    ],
)
def test_it_maps_intake_allergies_conservatively(allergy_class, substance, expected):
    assert allergies_from_intake([AllergyFact(allergy_class, substance, "rash")]) == expected


def test_it_builds_the_profile_from_the_clinical_picture():
    profile = screening_profile_from_clinical(
        answered(
            could_become_pregnant=True,
            contraception="Copper coil",
            conditions=frozenset({"keloid_tendency", "anaemia"}),
            medications=(MedicationFact("Warfarin", "anticoagulant", "3 mg", None),),
            medication_classes=frozenset({"anticoagulant"}),
            allergies=(AllergyFact("minoxidil", "minoxidil foam", "itch"),),
            weight_kg=Decimal("64.5"),
            labs={
                "vitamin_b12": LabValue(
                    "vitamin_b12", Decimal("180"), "pg/mL", ON, Decimal("180"), "pg/mL"
                ),
                "free_t4": LabValue(
                    "free_t4", Decimal("12"), "pmol/L", ON, Decimal("12"), "pmol/L"
                ),
            },
            prior_treatments=frozenset({"finasteride", "hair_transplant"}),
        ),
        on_date=ON,
        diagnosis="fphl",
        stage=Stage("ludwig", "II"),
        goals=frozenset({"slow_loss"}),
        transplant_date=dt.date(2023, 1, 5),
        transplant_grafts=1800,
        prior_treatment_responses={"finasteride": "worse"},
    )
    assert (profile.age, profile.weight_kg, profile.sex_at_birth) == (34, 64.5, "female")
    assert profile.could_become_pregnant and profile.contraception
    assert not profile.pregnant and not profile.breastfeeding
    assert profile.conditions == {"keloid_tendency", "anaemia"}
    assert profile.medications == {"warfarin"}
    assert profile.allergies == {"minoxidil"}
    assert profile.labs == {"b12": LabReading(180.0, "pg/mL")}
    assert profile.prior_treatments == {"finasteride": "worse", "hair_transplant": "unknown"}
    assert (profile.transplant_date, profile.transplant_grafts) == (dt.date(2023, 1, 5), 1800)
    assert (profile.diagnosis, profile.stage, profile.goals) == (
        "fphl",
        Stage("ludwig", "II"),
        {"slow_loss"},
    )
    assert profile.on_date == ON


def test_unrecorded_pregnancy_answers_are_asked_and_never_read_as_no():
    profile = screening_profile_from_clinical(clinical(), on_date=ON)
    assert "pregnancy_status_unknown" in profile.conditions
    assert profile.could_become_pregnant  # not recorded: counted as yes
    assert not profile.pregnant
    codes = [f.code for f in screen(profile).flags]
    assert codes == ["pregnancy_status_unknown"]


def test_a_woman_who_cannot_become_pregnant_is_not_asked():
    profile = screening_profile_from_clinical(clinical(could_become_pregnant=False), on_date=ON)
    assert "pregnancy_status_unknown" not in profile.conditions
    assert not profile.could_become_pregnant


def test_a_man_is_never_asked_about_pregnancy():
    profile = screening_profile_from_clinical(clinical(sex_at_birth="male"), on_date=ON)
    assert profile.conditions == set()
    assert not profile.could_become_pregnant


def test_todays_answers_override_and_add_to_the_intake():
    profile = screening_profile_from_clinical(
        answered(pregnant=False),
        on_date=ON,
        today=TodayAnswers(
            pregnant=True,
            new_medications=frozenset({"aspirin", "nsaid", "anticoagulant"}),
            active_scalp_infection=True,
            fever=True,
        ),
    )
    assert profile.pregnant
    assert profile.medications == {"aspirin", "nsaid", "anticoagulant_other"}
    assert {"active_scalp_infection", "fever"} <= profile.conditions
    assert screen(profile).blocked


def test_hormonal_contraception_counts_as_contraception():
    profile = screening_profile_from_clinical(
        answered(medications=(MedicationFact("Pill", "hormonal_contraception", "", None),)),
        on_date=ON,
    )
    assert profile.contraception
    assert not screening_profile_from_clinical(
        answered(contraception="none"), on_date=ON
    ).contraception


def test_every_intake_code_the_mapping_names_exists_in_the_intake_tables():
    intake = {
        "conditions": load_table("medical_history_conditions").codes,
        "patterns": load_table("hair_loss_patterns").codes,
        "medicines": load_table("medication_classes").codes,
        "allergies": load_table("allergy_classes").codes,
        "labs": load_table("lab_tests").codes,
    }
    for row in tables.conditions().values():
        assert set(row.intake_codes) <= intake["conditions"], row.code
        assert set(row.intake_patterns) <= intake["patterns"], row.code
    for row in tables.medications().values():
        assert set(row.intake_classes) <= intake["medicines"], row.code
    for row in tables.allergies().values():
        assert set(row.intake_classes) <= intake["allergies"], row.code
    for row in tables.ingredients().values():
        assert set(row.intake_allergy_classes) <= intake["allergies"], row.code
    assert {row.lab_test for row in tables.labs().values()} <= intake["labs"]


def test_it_reads_a_real_signed_intake(cast):
    intake = services.intake_start(actor=cast.nurse, patient=cast.patient)
    services.intake_update(actor=cast.nurse, intake=intake, answers=full_answers())
    services.intake_sign(actor=cast.practitioner, intake=intake)
    on_date = TAKEN_ON + dt.timedelta(days=30)
    profile = screening_profile_from_clinical(
        patient_clinical_profile(cast.patient), on_date=on_date
    )
    assert profile.allergies == {"amide_anaesthetics", "lidocaine"}
    assert profile.labs == {
        "ferritin": LabReading(18.0, "µg/L"),
        "vitamin_d_25oh": LabReading(16.0, "ng/mL"),
    }
    assert profile.could_become_pregnant and profile.contraception
    assert profile.weight_kg == 64.5
    assert profile.prior_treatments == {
        "hair_transplant": "unknown",
        "topical_minoxidil": "unknown",
    }
    flags = {f.code for f in screen(profile).flags}
    assert flags == {"ferritin_low", "vitamin_d_deficient"}
