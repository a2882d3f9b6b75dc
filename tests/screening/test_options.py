"""The decision aid: ranked options with their reasons (clinical_rules.md §7, the seed's rules)."""

import datetime as dt
import re

import pytest

from mesotrack.screening import tables
from mesotrack.screening.engine import screen
from mesotrack.screening.options import MODALITIES, TreatmentOption, rank_options
from mesotrack.screening.profile import ProposedTreatment, ScreeningProfile, Stage
from tests.screening.builders import meso, person, woman

TODAY = dt.date(2025, 6, 15)


def ranked(profile: ScreeningProfile, proposed: ProposedTreatment | None = None):
    return rank_options(profile, screen(profile, proposed))


def option(options: list[TreatmentOption], modality: str) -> TreatmentOption:
    return next(o for o in options if o.modality == modality)


def order(options: list[TreatmentOption]) -> list[str]:
    return [o.modality for o in options]


def aga(**facts) -> ScreeningProfile:
    return person(diagnosis="aga_male", stage=Stage("norwood", "IV"), on_date=TODAY, **facts)


def test_a_transplant_four_months_ago_puts_prp_first():
    options = ranked(aga(transplant_date=dt.date(2025, 2, 10), transplant_grafts=2200))
    assert order(options)[0] == "prp"
    assert order(options).index("prp") < order(options).index("mesotherapy")
    assert option(options, "prp").rationale[1] == (
        "A transplant 4 months ago: PRP now speeds healing and helps the grafts take; "
        "mesotherapy can maintain the result later."
    )
    assert option(options, "prp").suggested_protocol == "Monthly ×3 (up to 5), then every 6 months"


def test_a_transplant_three_years_ago_puts_mesotherapy_first_to_maintain_it():
    options = ranked(aga(transplant_date=dt.date(2022, 5, 1)))
    assert order(options)[0] == "mesotherapy"
    assert (
        "A transplant 37 months ago: mesotherapy helps keep its result and protects the hair "
        "that was not transplanted." in option(options, "mesotherapy").rationale
    )


def test_scarring_alopecia_puts_a_referral_first_and_rules_out_a_transplant():
    options = ranked(woman(age=45, diagnosis="scarring_alopecia", on_date=TODAY))
    assert options[0].modality == "referral"
    assert options[0].rank == 1
    assert options[0].rationale[0].startswith("Scarring alopecia needs a dermatologist first")
    assert options[-1].modality == "transplant_consultation"
    assert options[-1].contraindicated
    assert options[-1].rationale == (
        "A transplant is not a treatment for scarring (cicatricial) alopecia.",
    )


def test_low_ferritin_puts_correcting_it_first():
    options = ranked(woman(age=35, diagnosis="fphl", labs={"ferritin": (12, "µg/L")}))
    first = options[0]
    assert first.modality == "correct_deficiency"
    assert first.rationale[0].startswith("Correct first: iron deficiency (ferritin).")
    assert first.rationale[1].startswith("Ferritin 12 µg/L is at or below 15 µg/L")
    assert "https://www.droracle.ai/articles/857376/" in " ".join(first.sources)


def test_a_thyroid_result_also_puts_correcting_it_first_after_a_referral():
    options = ranked(person(diagnosis="alopecia_areata", labs={"tsh": (7, "mIU/L")}))
    assert order(options)[:2] == ["referral", "correct_deficiency"]


def test_pregnancy_rules_out_injections_and_every_5_ari():
    profile = woman(age=31, diagnosis="fphl", pregnant=True, could_become_pregnant=True)
    options = ranked(profile, meso("dutasteride"))
    mesotherapy = option(options, "mesotherapy")
    assert mesotherapy.contraindicated
    assert (
        "Contraindicated: the patient is or may be pregnant: no scalp mesotherapy or PRP until "
        "after the pregnancy and breastfeeding." in mesotherapy.rationale
    )
    medical = option(options, "medical_therapy")
    assert medical.contraindicated
    assert not {"finasteride", "dutasteride"} & set(medical.medical_options)
    assert (
        "Finasteride 1 mg left out: not in pregnancy, not for anyone who could become pregnant "
        "and not licensed for women." in medical.rationale
    )
    assert option(options, "prp").contraindicated
    ruled_out = [o for o in options if o.contraindicated]
    assert options[-len(ruled_out) :] == ruled_out


def test_a_woman_who_could_become_pregnant_is_offered_only_minoxidil():
    options = ranked(woman(age=29, diagnosis="fphl", could_become_pregnant=True))
    medical = option(options, "medical_therapy")
    assert medical.medical_options == ("topical_minoxidil", "oral_minoxidil")
    assert not medical.contraindicated


def test_a_man_trying_to_conceive_is_not_offered_dutasteride():
    medical = option(ranked(aga(trying_to_conceive=True)), "medical_therapy")
    assert medical.medical_options == ("topical_minoxidil", "oral_minoxidil", "finasteride")


def test_heart_disease_leaves_out_minoxidil():
    medical = option(ranked(aga(conditions={"heart_failure"})), "medical_therapy")
    assert medical.medical_options == ("finasteride", "dutasteride")
    assert "Low-dose oral minoxidil left out: not with heart failure." in medical.rationale


def test_the_suggested_protocol_follows_the_cocktail_and_the_diagnosis():
    moftah = ranked(woman(age=56, diagnosis="fphl"), meso("dutasteride", "biotin"))
    assert option(moftah, "mesotherapy").suggested_protocol.startswith("Weekly ×8")
    quarterly = ranked(aga(), meso("dutasteride"))
    assert option(quarterly, "mesotherapy").suggested_protocol == (
        "Dutasteride 0.01%, 1–2 mL every 3 months"
    )
    uzel = ranked(aga(), meso("minoxidil", "biotin"))
    assert option(uzel, "mesotherapy").suggested_protocol.startswith("Minoxidil 0.5% weekly ×10")


def test_a_prp_block_is_found_even_when_mesotherapy_was_screened():
    profile = aga(conditions={"blood_or_bone_cancer"})
    options = rank_options(profile, screen(profile, meso("biotin")))
    assert option(options, "prp").contraindicated
    assert not option(options, "mesotherapy").contraindicated


def test_a_blocked_cocktail_asks_for_another_cocktail_but_keeps_mesotherapy():
    profile = aga(allergies={"biotin"})
    mesotherapy = option(ranked(profile, meso("biotin")), "mesotherapy")
    assert not mesotherapy.contraindicated
    assert mesotherapy.rationale[-2].startswith(
        "As proposed it is blocked — change the proposal: an allergy to biotin"
    )


def test_ranks_run_from_1_with_every_treatment_listed_once():
    for profile in (aga(), woman(diagnosis="telogen_effluvium"), person(), woman(pregnant=True)):
        options = ranked(profile)
        assert [o.rank for o in options] == list(range(1, len(options) + 1))
        assert set(order(options)) <= set(MODALITIES)
        assert {"medical_therapy", "mesotherapy", "prp", "transplant_consultation"} <= set(
            order(options)
        )
        assert all(o.sources for o in options)


# Every decision rule, applied in a case that names it: (rule, profile, proposal, option).
MED, MESO, PRP, TX = "medical_therapy", "mesotherapy", "prp", "transplant_consultation"
LONG_AGO, RECENT = dt.date(2023, 3, 1), dt.date(2025, 3, 1)
CASES = [
    ("referral_scarring_alopecia", woman(diagnosis="scarring_alopecia"), None, "referral"),
    ("referral_alopecia_areata", person(diagnosis="alopecia_areata"), None, "referral"),
    (
        "referral_unexplained_patchy_loss",
        person(conditions={"undiagnosed_patchy_loss"}),
        None,
        "referral",
    ),
    (
        "correct_deficiency_first",
        person(conditions={"iron_deficiency"}),
        None,
        "correct_deficiency",
    ),
    ("pattern_loss_medical_first_line", aga(), None, MED),
    ("pattern_loss_mesotherapy", aga(), None, MESO),
    ("pattern_loss_prp", aga(), None, PRP),
    ("telogen_effluvium", woman(diagnosis="telogen_effluvium"), None, MESO),
    ("specialist_first", person(diagnosis="alopecia_areata"), None, PRP),
    ("no_diagnosis", person(), None, MED),
    ("recent_transplant_prp", aga(transplant_date=RECENT), None, PRP),
    ("transplant_maintenance", aga(transplant_date=LONG_AGO), None, MESO),
    ("goal_slow_loss", aga(goals={"slow_loss"}), None, MESO),
    ("goal_maintain_transplant", aga(goals={"maintain_transplant"}), None, MESO),
    ("goal_regrow", aga(goals={"regrow"}), None, PRP),
    ("goal_avoid_pills", aga(goals={"avoid_pills"}), None, MED),
    ("goal_avoid_needles", aga(goals={"avoid_needles"}), None, PRP),
    ("goal_lowest_cost", aga(goals={"lowest_cost"}), None, TX),
    ("medical_not_working", aga(prior_treatments={"finasteride": "worse"}), None, MESO),
    (
        "medical_side_effects",
        aga(prior_treatments={"oral_minoxidil": "stopped_side_effects"}),
        None,
        MED,
    ),
    ("medical_working", aga(prior_treatments={"finasteride": "improved"}), None, MED),
    ("prior_mesotherapy_failed", aga(prior_treatments={"mesotherapy": "worse"}), None, MESO),
    ("prior_prp_failed", aga(prior_treatments={"prp": "worse"}), None, PRP),
    ("advanced_stage", person(diagnosis="aga_male", stage=Stage("norwood", "VI")), None, TX),
    ("early_stage", person(diagnosis="aga_male", stage=Stage("norwood", "II")), None, TX),
    ("transplant_candidate", aga(), None, TX),
    ("transplant_too_young", aga(age=22), None, TX),
    ("transplant_not_indicated", woman(diagnosis="telogen_effluvium"), None, TX),
    ("transplant_women_diffuse", woman(age=50, diagnosis="fphl"), None, TX),
    ("transplant_try_medicines_first", aga(), None, TX),
    ("transplant_recent_wait", aga(transplant_date=RECENT), None, TX),
    ("pregnancy_elective_wait", woman(diagnosis="fphl", pregnant=True), None, TX),
    ("screening_contraindication", aga(conditions={"bleeding_disorder"}), None, MESO),
    ("screening_postpone", aga(conditions={"fever"}), None, PRP),
    ("proposal_blocked", aga(allergies={"zinc"}), meso("zinc"), MESO),
    ("screening_cautions", aga(medications={"warfarin"}), None, PRP),
    ("medical_option_excluded", woman(diagnosis="fphl", could_become_pregnant=True), None, MED),
    ("medical_off_label", woman(age=61, diagnosis="fphl"), None, MED),
    ("medical_none_suitable", woman(pregnant=True), None, MED),
    ("medical_already_taking", aga(medications={"finasteride_oral"}), None, MED),
    ("suggested_protocol", aga(), meso("dutasteride"), MESO),
]


@pytest.mark.parametrize("code,profile,proposed,modality", CASES, ids=[case[0] for case in CASES])
def test_each_decision_rule_gives_its_reason_and_source(code, profile, proposed, modality):
    rule = tables.decision_rules()[code]
    chosen = option(ranked(profile, proposed), modality)
    opening = re.split(r"\{", rule.rationale)[0].strip().casefold()
    assert any(line.casefold().startswith(opening) for line in chosen.rationale), chosen.rationale
    assert rule.source in chosen.sources


def test_every_decision_rule_has_a_case():
    assert {case[0] for case in CASES} == set(tables.decision_rules())
