import datetime as dt
from decimal import Decimal

from mesotrack.intake import selectors, services
from mesotrack.intake.answers import read_stored_answers
from mesotrack.intake.profile import AllergyFact, LabValue
from tests.intake.conftest import TAKEN_ON, full_answers


def test_a_patient_without_intake_has_an_empty_profile(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        profile = selectors.patient_clinical_profile(cast.patient)
    assert not profile.has_intake
    assert profile.conditions == frozenset()
    assert profile.pregnant is None
    assert profile.sex_at_birth == cast.patient.sex_at_birth


def test_the_profile_reads_the_signed_intake(cast, signed, django_assert_num_queries):
    with django_assert_num_queries(1):
        profile = selectors.patient_clinical_profile(cast.patient)
    assert (profile.intake_version, profile.intake_signed) == (1, True)
    assert profile.conditions == {"thyroid_underactive", "pcos"}
    assert profile.medication_classes == {"thyroid_medicine"}
    assert profile.allergy_classes == {"amide_local_anaesthetic"}
    assert profile.allergies == (AllergyFact("amide_local_anaesthetic", "lidocaine", "hives"),)
    assert (profile.pregnant, profile.breastfeeding) == (False, False)
    assert (profile.could_become_pregnant, profile.trying_to_conceive) == (True, False)
    assert profile.weight_kg == Decimal("64.5")
    assert profile.prior_treatments == {"topical_minoxidil", "hair_transplant"}
    assert profile.labs["vitamin_d_25oh"] == LabValue(
        test="vitamin_d_25oh",
        value=Decimal("16.0"),
        unit="ng/mL",
        taken_on=TAKEN_ON,
        entered_value=Decimal("40"),
        entered_unit="nmol/L",
    )


def test_the_latest_result_of_each_test_wins(cast, draft):
    labs = [
        {"test": "ferritin", "value": "12", "unit": "µg/L", "taken_on": dt.date(2025, 6, 1)},
        {"test": "ferritin", "value": "45", "unit": "µg/L", "taken_on": dt.date(2025, 9, 1)},
        {"test": "ferritin", "value": "30", "unit": "µg/L", "taken_on": dt.date(2025, 7, 1)},
    ]
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers(labs=labs))
    profile = selectors.patient_clinical_profile(cast.patient)
    assert profile.labs["ferritin"].value == Decimal("45.0")
    assert profile.labs["ferritin"].taken_on == dt.date(2025, 9, 1)


def test_a_newer_draft_counts_before_it_is_signed(cast, signed):
    second = services.intake_start(actor=cast.nurse, patient=cast.patient)
    answers = full_answers(allergies=[], no_known_allergies=True)
    answers["reproductive"] = {**answers["reproductive"], "pregnant": True}
    services.intake_update(actor=cast.nurse, intake=second, answers=answers)
    profile = selectors.patient_clinical_profile(cast.patient)
    assert (profile.intake_version, profile.intake_signed) == (2, False)
    assert profile.pregnant is True
    assert profile.allergy_classes == frozenset()
    assert profile.no_known_allergies


def test_versions_are_listed_newest_first(cast, signed):
    services.intake_start(actor=cast.nurse, patient=cast.patient)
    versions = selectors.intake_versions_for_patient(patient=cast.patient)
    assert [v.version for v in versions] == [2, 1]
    assert selectors.intake_latest_for_patient(patient=cast.patient) == versions[0]


def test_stored_answers_stay_readable_after_a_code_leaves_the_tables(cast, signed):
    stored = dict(signed.answers, medical_history={"conditions": ["retired_code"], "notes": ""})
    answers = read_stored_answers(stored)
    assert answers.medical_history.conditions == ["retired_code"]
