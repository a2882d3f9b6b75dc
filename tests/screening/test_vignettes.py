"""Worked vignettes: one patient story per rule of the screening_rules table.

Each test is named `test_<what happens>__rule_<rule code>__<source>`; the last test checks that
every rule of the table has at least one vignette here.
"""

import re
import sys

from mesotrack.screening import tables
from mesotrack.screening.engine import screen
from mesotrack.screening.labs import default_lab_thresholds
from tests.screening.builders import codes, meso, only, person, prp, screened, woman

# -- Pregnancy, breastfeeding and 5-alpha-reductase inhibitors (clinical_rules.md §2.1–2.2) --


def test_pregnancy_blocks_any_scalp_injection__rule_pregnancy__finasteride_label():
    result = screened(woman(pregnant=True, could_become_pregnant=True))
    flag = only(result, "pregnancy")
    assert flag.severity == "block"
    assert flag.modalities == ("mesotherapy", "prp")
    assert flag.message == (
        "The patient is or may be pregnant: no scalp mesotherapy or PRP until after the pregnancy "
        "and breastfeeding."
    )
    assert result.blocked
    assert "healthfan.biz" in flag.source and flag.evidence == "P"


def test_possible_pregnancy_blocks__rule_pregnancy__healthfan():
    result = screened(woman(conditions={"suspected_pregnancy"}), prp())
    assert only(result, "pregnancy").modalities == ("prp",)
    assert result.blocked


def test_breastfeeding_blocks_mesotherapy_and_prp__rule_breastfeeding__e_lactancia():
    for proposed in (meso("biotin"), prp()):
        result = screened(woman(breastfeeding=True), proposed)
        assert only(result, "breastfeeding").severity == "block"
        assert result.blocked


def test_unrecorded_pregnancy_is_asked__rule_pregnancy_status_unknown__clinical_rules_2():
    result = screened(woman(conditions={"pregnancy_status_unknown"}))
    assert codes(result) == [("pregnancy_status_unknown", "warn")]
    assert not result.blocked


def test_dutasteride_blocks_possible_pregnancy__rule_five_ari_pregnancy_potential__babas():
    result = screened(woman(age=32, could_become_pregnant=True), meso("dutasteride", "biotin"))
    flag = only(result, "five_ari_pregnancy_potential")
    assert (flag.severity, flag.ingredient) == ("block", "dutasteride")
    assert flag.message == (
        "Dutasteride is in the cocktail and the patient could become pregnant: "
        "5-alpha-reductase inhibitors can harm a male fetus. No contraception is recorded. "
        "Only a practitioner's recorded override, with reliable contraception, can release "
        "this block."
    )


def test_contraception_needs_override__rule_five_ari_pregnancy_potential__clinical_rules_8():
    profile = woman(could_become_pregnant=True, contraception=True)
    flag = only(screened(profile, meso("finasteride")), "five_ari_pregnancy_potential")
    assert flag.severity == "block"
    assert "Contraception is recorded." in flag.message
    assert "override" in flag.source


def test_no_pregnancy_potential_no_block__rule_five_ari_pregnancy_potential__thinninghair():
    result = screened(woman(age=58, could_become_pregnant=False), meso("dutasteride"))
    assert "five_ari_pregnancy_potential" not in dict(codes(result))
    assert not result.blocked


def test_finasteride_tablets_warn__rule_five_ari_tablets_pregnancy_potential__themeditary():
    result = screened(woman(could_become_pregnant=True, medications={"finasteride_oral"}))
    flag = only(result, "five_ari_tablets_pregnancy_potential")
    assert flag.severity == "warn"
    assert flag.message.startswith(
        "Takes finasteride tablets and pregnancy is possible (could become pregnant):"
    )


# -- Allergies (clinical_rules.md §1.4, §2.2) --


def test_biotin_allergy_blocks_biotin__rule_ingredient_allergy__ecoskinclinic():
    result = screened(person(allergies={"biotin"}), meso("biotin", "dexpanthenol"))
    flag = only(result, "ingredient_allergy")
    assert (flag.severity, flag.ingredient) == ("block", "biotin")
    assert flag.message == (
        "An allergy to biotin (vitamin B7/B8) is recorded: take biotin (vitamin B7/B8) out of "
        "the cocktail."
    )


def test_two_allergies_two_flags__rule_ingredient_allergy__healthfan():
    result = screened(person(allergies={"zinc", "minoxidil"}), meso("minoxidil", "zinc", "biotin"))
    assert [f.ingredient for f in result.flags if f.code == "ingredient_allergy"] == [
        "minoxidil",
        "zinc",
    ]


def test_amide_allergy_blocks_emla__rule_amide_anaesthetic_allergy__emla_smpc():
    result = screened(
        person(allergies={"amide_anaesthetics"}), meso(anaesthetic="lidocaine_prilocaine_cream")
    )
    assert only(result, "amide_anaesthetic_allergy").message == (
        "An allergy to amide local anaesthetics (lidocaine, prilocaine, mepivacaine, "
        "bupivacaine) is recorded: do not use lidocaine–prilocaine cream (EMLA); choose an "
        "anaesthetic of another class, or none."
    )


def test_lidocaine_allergy_blocks_lidocaine__rule_amide_anaesthetic_allergy__emla_csp():
    result = screened(person(allergies={"lidocaine"}), prp(anaesthetic="lidocaine"))
    assert only(result, "amide_anaesthetic_allergy").severity == "block"


def test_prilocaine_allergy_allows_lidocaine__rule_amide_anaesthetic_allergy__emla_smpc():
    result = screened(person(allergies={"prilocaine"}), meso(anaesthetic="lidocaine"))
    assert codes(result) == []


# -- Postpone: infection, wound, sunburn, fever (clinical_rules.md §2.2, §8) --


def test_scalp_infection_postpones__rule_active_scalp_infection__drecesurgun():
    result = screened(person(conditions={"active_scalp_infection"}), meso("biotin"))
    assert codes(result) == [("active_scalp_infection", "postpone")]
    assert result.blocked


def test_a_scalp_wound_postpones__rule_scalp_wound__ecoskinclinic():
    result = screened(person(conditions={"scalp_wound"}), prp())
    assert codes(result) == [("scalp_wound", "postpone")]


def test_a_sunburnt_scalp_postpones__rule_scalp_sunburn__drecesurgun():
    assert codes(screened(person(conditions={"scalp_sunburn"}))) == [("scalp_sunburn", "postpone")]


def test_fever_postpones_the_session__rule_fever__yesprp():
    flag = only(screened(person(conditions={"fever"}), prp()), "fever")
    assert flag.message == "Fever today: postpone the session until the patient is well."


def test_a_systemic_infection_postpones__rule_fever__drecesurgun():
    flag = only(screened(person(conditions={"systemic_infection", "fever"})), "fever")
    assert flag.message.startswith("Fever and systemic infection today")


# -- Bleeding (clinical_rules.md §2.2, §8) --


def test_a_bleeding_disorder_blocks__rule_bleeding_disorder__yesprp():
    flag = only(screened(person(conditions={"bleeding_disorder"}), meso()), "bleeding_disorder")
    assert flag.message == (
        "Bleeding disorder recorded: do not inject without the haematologist's agreement."
    )


def test_known_thrombocytopenia_blocks__rule_bleeding_disorder__healthfan():
    result = screened(person(conditions={"thrombocytopenia"}), prp())
    assert codes(result) == [("bleeding_disorder", "block")]


def test_platelets_below_100_block__rule_low_platelets__yesprp():
    result = screened(person(labs={"platelets": (80, "×10⁹/L")}), prp())
    assert only(result, "low_platelets").message == (
        "The platelet count is 80 ×10⁹/L, below 100 ×10⁹/L: do not inject until a doctor has "
        "reviewed it."
    )


def test_platelets_of_100_do_not_block__rule_low_platelets__yesprp():
    assert codes(screened(person(labs={"platelets": (100, "K/uL")}), prp())) == []


def test_the_platelet_threshold_is_a_clinic_setting__rule_low_platelets__yesprp():
    profile = person(labs={"platelets": (110, "x10^9/L")})
    stricter = default_lab_thresholds().with_overrides({"platelets_low": 120})
    assert codes(screen(profile, prp(), lab_thresholds=stricter)) == [("low_platelets", "block")]


# -- Blood thinners: warn, never stop (clinical_rules.md §1.6, §2.2) --


def test_warfarin_warns_never_stop__rule_anticoagulant__northmetroderm():
    flag = only(screened(person(medications={"warfarin"}), meso()), "anticoagulant")
    assert flag.severity == "warn"
    assert flag.message == (
        "Takes an anticoagulant (warfarin): expect more bleeding and bruising. Do not stop it — "
        "only the prescriber may change it."
    )


def test_two_anticoagulants_are_named_in_one_warning__rule_anticoagulant__healthfan():
    flag = only(screened(person(medications={"doac", "heparin"})), "anticoagulant")
    assert "(direct oral anticoagulant" in flag.message and "heparin" in flag.message


def test_aspirin_warns__rule_antiplatelet__northmetroderm():
    flag = only(screened(person(medications={"aspirin"}), prp()), "antiplatelet")
    assert flag.message.startswith("Takes an antiplatelet medicine (aspirin)")


def test_ibuprofen_warns_for_prp_only__rule_nsaid_or_steroid_before_prp__yesprp():
    profile = person(medications={"nsaid"})
    assert codes(screened(profile, prp())) == [("nsaid_or_steroid_before_prp", "warn")]
    assert codes(screened(profile, meso())) == []


# -- Relative contraindications (clinical_rules.md §2.2, §8) --


def test_a_keloid_tendency_warns__rule_keloid_tendency__ecoskinclinic():
    assert codes(screened(person(conditions={"keloid_tendency"}))) == [("keloid_tendency", "warn")]


def test_lupus_warns__rule_autoimmune_disease__ecoskinclinic():
    result = screened(woman(conditions={"autoimmune_disease"}), meso())
    assert codes(result) == [("autoimmune_disease", "warn")]


def test_immunosuppressant_warns__rule_immunosuppression__drecesurgun():
    flag = only(screened(person(medications={"immunosuppressant"})), "immunosuppression")
    assert flag.message.startswith("Immunosuppressed (immunosuppressant):")


def test_chemotherapy_warns__rule_active_cancer__prpinjectionmd():
    result = screened(person(medications={"chemotherapy"}, conditions={"active_cancer"}))
    assert only(result, "active_cancer").message.startswith(
        "Active cancer or chemotherapy (active cancer and chemotherapy):"
    )


def test_blood_cancer_blocks_prp__rule_blood_or_bone_cancer_prp__prpinjectionmd():
    profile = person(conditions={"blood_or_bone_cancer", "active_cancer"})
    assert ("blood_or_bone_cancer_prp", "block") in codes(screened(profile, prp()))
    assert codes(screened(profile, meso())) == [("active_cancer", "warn")]


def test_uncontrolled_diabetes_warns__rule_diabetes_uncontrolled__ecoskinclinic():
    flag = only(screened(person(conditions={"diabetes_uncontrolled"})), "diabetes_uncontrolled")
    assert flag.message.startswith("Uncontrolled diabetes: slower healing")


def test_heart_failure_warns__rule_cardiovascular_disease__healthfan():
    result = screened(person(conditions={"heart_failure"}), prp())
    assert codes(result) == [("cardiovascular_disease", "warn")]


def test_minoxidil_with_hypotension_warns__rule_minoxidil_blood_pressure__medx():
    result = screened(woman(conditions={"hypotension"}), meso("minoxidil"))
    flag = only(result, "minoxidil_blood_pressure")
    assert flag.ingredient == "minoxidil"
    assert flag.message.startswith(
        "Minoxidil is in the cocktail and the patient has a heart or blood-pressure problem "
        "(low blood pressure):"
    )


def test_hypotension_alone_is_quiet__rule_minoxidil_blood_pressure__medx():
    assert codes(screened(woman(conditions={"hypotension"}), meso("biotin"))) == []


def test_severe_liver_disease_warns__rule_liver_disease_severe__dutasteride_label():
    flag = only(screened(person(conditions={"liver_disease_severe"})), "liver_disease_severe")
    assert "avoid dutasteride" in flag.message


def test_severe_kidney_disease_warns__rule_kidney_disease_severe__drecesurgun():
    result = screened(person(conditions={"kidney_disease_severe"}), prp())
    assert codes(result) == [("kidney_disease_severe", "warn")]


def test_scarring_alopecia_warns__rule_scarring_or_patchy_loss__jaad_2009():
    flag = only(screened(woman(diagnosis="scarring_alopecia")), "scarring_or_patchy_loss")
    assert flag.message == (
        "Scarring alopecia: confirm the diagnosis before any injections — "
        "mesotherapy has itself caused scarring and patchy hair loss."
    )


def test_unexplained_patches_warn__rule_scarring_or_patchy_loss__jocd_2017():
    result = screened(person(conditions={"undiagnosed_patchy_loss"}), meso())
    assert codes(result) == [("scarring_or_patchy_loss", "warn")]


def test_isotretinoin_warns__rule_isotretinoin__ecoskinclinic():
    flag = only(screened(person(medications={"isotretinoin"})), "isotretinoin")
    assert "waiting 6–12 months after the last dose" in flag.message


# -- Dutasteride and men (Sobhy 2013; dutasteride label) --


def test_dutasteride_conception_warns__rule_dutasteride_male_conception__sobhy_2013():
    flag = only(
        screened(person(trying_to_conceive=True), meso("dutasteride")),
        "dutasteride_male_conception",
    )
    assert flag.message.startswith(
        "Dutasteride in the cocktail for a man who is trying to conceive: not recommended"
    )


def test_dutasteride_semen_warns__rule_dutasteride_male_conception__sobhy_2013():
    profile = person(conditions={"abnormal_semen_analysis", "erectile_or_ejaculatory_dysfunction"})
    flag = only(screened(profile, meso("dutasteride")), "dutasteride_male_conception")
    assert "has an abnormal semen analysis and has erectile or ejaculatory dysfunction" in (
        flag.message
    )


def test_dutasteride_capsules_warn__rule_dutasteride_male_conception__foundhealth():
    result = screened(person(trying_to_conceive=True, medications={"dutasteride_oral"}))
    assert only(result, "dutasteride_male_conception").message.startswith("Dutasteride capsules")


def test_blood_donation_reminder__rule_dutasteride_blood_donation__rxlist_label():
    flag = only(screened(person(), meso("dutasteride")), "dutasteride_blood_donation")
    assert (flag.severity, flag.message) == (
        "info",
        "Dutasteride given: tell the patient not to donate blood until 6 months after the last "
        "dose.",
    )


# -- Age (clinical_rules.md §2.1, §2.2) --


def test_a_17_year_old_needs_a_guardian__rule_minor__yesprp():
    flag = only(screened(person(age=17), prp()), "minor")
    assert flag.message.startswith("The patient is 17, under 18: a parent or guardian must consent")


def test_an_18_year_old_is_an_adult__rule_minor__medx():
    assert codes(screened(person(age=18), meso("minoxidil", "dutasteride"))) == [
        ("dutasteride_blood_donation", "info")
    ]


def test_dutasteride_at_16_blocks__rule_minor_five_ari__medicart():
    flag = only(screened(person(age=16), meso("dutasteride")), "minor_five_ari")
    assert flag.message == (
        "Dutasteride at age 16: 5-alpha-reductase inhibitors are not for children or "
        "adolescents under 18."
    )


def test_minoxidil_at_17_warns__rule_minor_minoxidil__medx():
    result = screened(woman(age=17), meso("minoxidil"))
    assert only(result, "minor_minoxidil").severity == "warn"
    assert not result.blocked


# -- Anaesthesia (clinical_rules.md §1.4) --


def test_lidocaine_above_4_5_mg_per_kg_blocks__rule_lidocaine_dose__droracle_537887():
    result = screened(woman(weight_kg=50.0), meso(anaesthetic="lidocaine", lidocaine_mg=230))
    assert only(result, "lidocaine_dose").message == (
        "Lidocaine 230 mg is more than 4.5 mg/kg for 50 kg (at most 225 mg): reduce the dose."
    )
    assert result.blocked


def test_lidocaine_at_4_5_mg_per_kg_passes__rule_lidocaine_dose__droracle_537887():
    assert codes(screened(woman(weight_kg=50.0), meso(lidocaine_mg=225))) == []


def test_lidocaine_above_300_mg_blocks__rule_lidocaine_cap__droracle_537887():
    result = screened(person(weight_kg=100.0), prp(anaesthetic="lidocaine", lidocaine_mg=310))
    assert codes(result) == [("lidocaine_cap", "block")]
    assert only(result, "lidocaine_cap").message == (
        "Lidocaine 310 mg is above the 300 mg ceiling for plain lidocaine, whatever the weight: "
        "reduce the dose."
    )


def test_lidocaine_without_weight__rule_lidocaine_weight_unknown__droracle_537887():
    result = screened(person(weight_kg=None), meso(anaesthetic="lidocaine", lidocaine_mg=100))
    assert codes(result) == [("lidocaine_weight_unknown", "warn")]


def test_emla_with_g6pd_warns__rule_prilocaine_methaemoglobinaemia__emla_csp():
    profile = person(conditions={"g6pd_deficiency"})
    result = screened(profile, meso(anaesthetic="lidocaine_prilocaine_cream"))
    assert codes(result) == [("prilocaine_methaemoglobinaemia", "warn")]
    assert codes(screened(profile, meso(anaesthetic="lidocaine"))) == []


def test_amiodarone_lidocaine__rule_antiarrhythmic_with_lidocaine__emla_csp():
    result = screened(
        person(medications={"class_iii_antiarrhythmic"}), meso(anaesthetic="lidocaine")
    )
    assert only(result, "antiarrhythmic_with_lidocaine").message.startswith(
        "Lidocaine injection (plain) with a class III antiarrhythmic"
    )


# -- Labs (clinical_rules.md §5) --


def test_ferritin_of_12_is_iron_deficiency__rule_ferritin_deficient__cdc_droracle_857376():
    result = screened(woman(labs={"ferritin": (12, "ng/mL")}))
    assert codes(result) == [("ferritin_deficient", "warn")]
    assert only(result, "ferritin_deficient").message.startswith(
        "Ferritin 12 µg/L (entered as 12 ng/mL) is at or below 15 µg/L: iron deficiency"
    )


def test_ferritin_of_25_is_low_for_hair__rule_ferritin_low__karger_cut_offs():
    assert codes(screened(woman(labs={"ferritin": (25, "µg/L")}))) == [("ferritin_low", "warn")]


def test_vitamin_d_45_nmol_deficient__rule_vitamin_d_deficient__endocrine_society():
    flag = only(screened(person(labs={"vitamin_d_25oh": (45, "nmol/L")})), "vitamin_d_deficient")
    assert flag.message == (
        "Vitamin D 18 ng/mL (entered as 45 nmol/L) is below 20 ng/mL: deficient — treat it and "
        "recheck."
    )


def test_vitamin_d_25_insufficient__rule_vitamin_d_insufficient__endocrine_society():
    result = screened(person(labs={"vitamin_d_25oh": (25, "ng/mL")}))
    assert codes(result) == [("vitamin_d_insufficient", "info")]


def test_zinc_of_72_is_low_for_a_man_not_a_woman__rule_zinc_low__hotz_2003():
    assert codes(screened(person(labs={"zinc": (72, "µg/dL")}))) == [("zinc_low", "warn")]
    assert codes(screened(woman(labs={"zinc": (72, "µg/dL")}))) == []


def test_b12_of_150_is_deficient__rule_b12_deficient__scienceinsights():
    assert codes(screened(person(labs={"b12": (150, "pg/mL")}))) == [("b12_deficient", "warn")]


def test_b12_of_250_is_borderline__rule_b12_borderline__medicalalgorithms():
    assert codes(screened(person(labs={"b12": (250, "ng/L")}))) == [("b12_borderline", "info")]


def test_tsh_of_6_is_high__rule_tsh_high__fidorehealth():
    flag = only(screened(woman(labs={"tsh": (6, "mIU/L")})), "tsh_high")
    assert "check free T4 and anti-TPO" in flag.message


def test_tsh_of_0_1_is_low__rule_tsh_low__droracle_675160():
    assert codes(screened(woman(labs={"tsh": (0.1, "mU/L")}))) == [("tsh_low", "warn")]


def test_haemoglobin_of_11_is_anaemia_in_a_woman__rule_haemoglobin_low__fidorehealth():
    result = screened(woman(labs={"haemoglobin": (110, "g/L")}))
    assert only(result, "haemoglobin_low").message.startswith(
        "Haemoglobin 11 g/dL (entered as 110 g/L) is below 12 g/dL: anaemia"
    )


def test_unknown_unit_is_reported__rule_lab_not_interpreted__lab_tests_table():
    flag = only(screened(person(labs={"zinc": (11, "mmol/L")})), "lab_not_interpreted")
    assert flag.message == (
        "The zinc (serum) result was not interpreted: the unit “mmol/L” is not one of µg/dL, "
        "µmol/L."
    )


# -- Every rule has a vignette --

VIGNETTE = re.compile(r"^test_.+__rule_(?P<rule>[a-z0-9_]+?)__[a-z0-9_]+$")


def test_every_rule_in_the_table_has_a_vignette_naming_it_and_its_source():
    module = sys.modules[__name__]
    named = {
        match.group("rule")
        for name in dir(module)
        if (match := VIGNETTE.match(name)) and callable(getattr(module, name))
    }
    assert set(tables.screening_rules()) - named == set()
    assert named - set(tables.screening_rules()) == set()
    vignettes = [name for name in dir(module) if VIGNETTE.match(name)]
    assert len(vignettes) >= 40
