"""The vocabulary: at least every code the issue lists, each with a label and a source."""

from mesotrack.screening.vocabulary import vocabulary

ISSUE_CODES = {
    "conditions": {
        "pregnancy", "breastfeeding", "bleeding_disorder", "thrombocytopenia",
        "active_scalp_infection", "scalp_wound", "fever", "keloid_tendency", "autoimmune_disease",
        "immunosuppression", "active_cancer", "diabetes_uncontrolled", "cardiovascular_disease",
        "hypertension_uncontrolled", "hypotension", "liver_disease_severe",
        "kidney_disease_severe", "scarring_alopecia",
    },
    "medications": {
        "warfarin", "doac", "heparin", "aspirin", "clopidogrel", "isotretinoin",
        "finasteride_oral", "dutasteride_oral", "minoxidil_oral", "immunosuppressant",
    },
    "ingredients": {
        "dutasteride", "finasteride", "minoxidil", "biotin", "dexpanthenol", "niacinamide",
        "zinc", "copper_peptide", "hyaluronic_acid", "amino_acids", "saw_palmetto",
        "ginkgo_biloba",
    },
    "anaesthetics": {"lidocaine", "lidocaine_prilocaine_cream"},
    "diagnoses": {"aga_male", "fphl", "telogen_effluvium", "alopecia_areata", "scarring_alopecia"},
    "modalities": {
        "mesotherapy", "prp", "medical_therapy", "transplant_consultation", "referral",
        "correct_deficiency",
    },
    "goals": {
        "slow_loss", "regrow", "maintain_transplant", "avoid_pills", "avoid_needles",
        "lowest_cost",
    },
    "scales": {"norwood", "ludwig", "sinclair", "olsen", "salt"},
    "prior_treatments": {"topical_minoxidil", "finasteride", "hair_transplant", "prp"},
    "treatment_responses": {"improved", "stable", "worse", "stopped_side_effects", "unknown"},
}  # fmt: skip
LAB_UNITS = {
    "ferritin": "µg/L",
    "vitamin_d_25oh": "ng/mL",
    "zinc": "µg/dL",
    "tsh": "mIU/L",
    "b12": "pg/mL",
    "haemoglobin": "g/dL",
}


def test_it_holds_every_code_the_issue_lists():
    served = vocabulary()
    for section, codes in ISSUE_CODES.items():
        assert codes <= {entry["code"] for entry in served[section]}, section
    allergies = {entry["code"] for entry in served["allergies"]}
    assert {"lidocaine", "amide_anaesthetics"} | ISSUE_CODES["ingredients"] <= allergies


def test_labs_carry_the_issues_units_and_their_alternatives():
    labs = {entry["code"]: entry for entry in vocabulary()["labs"]}
    assert {code: labs[code]["unit"] for code in LAB_UNITS} == LAB_UNITS
    assert "nmol/L" in labs["vitamin_d_25oh"]["accepted_units"]


def test_every_entry_has_a_code_a_label_and_a_source():
    for section, entries in vocabulary().items():
        codes = [entry["code"] for entry in entries]
        assert len(codes) == len(set(codes)), section
        for entry in entries:
            assert entry["label"] and entry["source"], (section, entry["code"])


def test_medicines_name_their_class_and_diagnoses_their_icd10_code():
    served = vocabulary()
    medicines = {entry["code"]: entry["class"] for entry in served["medications"]}
    assert medicines["doac"] == "anticoagulant" and medicines["clopidogrel"] == "antiplatelet"
    icd = {entry["code"]: entry["icd10"] for entry in served["diagnoses"]}
    assert icd["telogen_effluvium"] == "L65.0"
    assert icd["alopecia_areata"].startswith("L63")
    assert icd["scarring_alopecia"].startswith("L66")
    assert icd["aga_male"].startswith("L64")
