import pytest

from mesotrack.safety.grading import PainCutPoints, default_pain_cut_points, needs_review, pain_band
from mesotrack.safety.terms import adverse_event_grades, adverse_event_terms

SEED_EIGHT = {
    "sensitivity",
    "pain",
    "itching",
    "swelling",
    "bruising",
    "nausea",
    "injection_site_bumps",
    "rash",
}
ADDED = {
    "headache",
    "frontal_oedema",
    "infection_abscess",
    "injection_site_hair_loss",
    "allergic_reaction",
    "hypotension",
    "necrosis",
    "other",
}


def test_the_terms_are_the_seeds_eight_plus_the_reported_ones() -> None:
    terms = adverse_event_terms()
    assert set(terms) == SEED_EIGHT | ADDED
    assert {code for code, term in terms.items() if term.seed_list} == SEED_EIGHT
    assert all(term.source for term in terms.values())


def test_unverified_meddra_terms_are_marked() -> None:
    terms = adverse_event_terms()
    assert terms["pain"].meddra_label == "Injection site pain [V]"
    assert terms["other"].meddra_label == "—"


def test_the_ctcae_injection_site_grades_carry_the_published_criteria() -> None:
    grades = adverse_event_grades()
    assert grades[3].injection_site_criterion == (
        "Ulceration or necrosis; severe tissue damage; operative intervention indicated"
    )
    assert grades[5].injection_site_criterion == "Death"


@pytest.mark.parametrize(
    "score,band",
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_default_pain_bands(score: int, band: str) -> None:
    assert pain_band(score) == band


def test_pain_cut_points_are_configurable() -> None:
    palos = PainCutPoints(mild_max=4, moderate_max=6)
    assert pain_band(4, palos) == "mild"
    boonstra = PainCutPoints(mild_max=5, moderate_max=7)
    assert pain_band(7, boonstra) == "moderate"
    assert default_pain_cut_points() == PainCutPoints(3, 6)


def test_inconsistent_cut_points_are_refused() -> None:
    with pytest.raises(ValueError, match="Cut-points must satisfy"):
        PainCutPoints(mild_max=6, moderate_max=4)
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        pain_band(11)


@pytest.mark.parametrize(
    "grade,serious,expected",
    [(2, False, False), (3, False, True), (1, True, True), (5, False, True)],
)
def test_serious_or_grade_three_needs_review(grade: int, serious: bool, expected: bool) -> None:
    assert needs_review(grade=grade, serious=serious) is expected
