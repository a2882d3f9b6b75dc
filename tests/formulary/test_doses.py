"""Worked cases from clinical_rules.md §1.1, §1.4, §1.5 and §3.1; properties of the arithmetic."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mesotrack.formulary.doses import (
    CocktailComponent,
    CompositionLine,
    cocktail_doses,
    screening_proposal,
)

SALINE = ("Sodium chloride 0.9%", ())


def component(name: str, ml: str, *lines: tuple[str, str, str]) -> CocktailComponent:
    return CocktailComponent(
        name, Decimal(ml), tuple(CompositionLine(c, Decimal(a), u) for c, a, u in lines)
    )


def dutasteride(ml: str, mg_per_ml: str = "0.1") -> CocktailComponent:
    return component("Dutasteride", ml, ("dutasteride", mg_per_ml, "mg"))


def lidocaine(ml: str) -> CocktailComponent:
    return component("Lidocaine 1%", ml, ("lidocaine", "10", "mg"))


def test_villarreal_one_ml_of_dutasteride_001_with_one_ml_of_saline():
    report = cocktail_doses([dutasteride("1"), component("Saline", "1")])
    dose = report.dose_of("dutasteride")
    assert (report.total_volume_ml, dose.amount, dose.concentration) == (
        Decimal(2),
        Decimal("0.1"),
        Decimal("0.05"),
    )
    assert (dose.amount_text, dose.concentration_text) == ("0.1 mg", "0.05 mg/mL")
    assert report.checks == ()


def test_moftah_half_a_milligram_is_at_the_cap_and_allowed():
    report = cocktail_doses([dutasteride("2", "0.25")])
    assert report.dose_of("dutasteride").amount == Decimal("0.5")
    assert not report.blocked


def test_two_ml_of_dutasteride_005_is_over_the_cap_and_blocked():
    report = cocktail_doses([dutasteride("2", "0.5")])
    assert [(c.severity, c.code, c.ingredient) for c in report.checks] == [
        ("block", "dose_cap", "dutasteride")
    ]
    assert report.checks[0].message.startswith(
        "Dutasteride: 1 mg a session is above the cap of 0.5 mg a session. At most 0.5 mg a "
        "session: the highest published dose (Moftah 2013"
    )


def test_lidocaine_is_capped_at_300_mg_and_at_45_mg_per_kg_when_the_weight_is_known():
    over_cap = cocktail_doses([lidocaine("31")])
    assert [c.code for c in over_cap.checks] == ["dose_cap", "dose_per_kg_unchecked"]
    within = cocktail_doses([lidocaine("2")])
    assert [(c.severity, c.message) for c in within.checks] == [
        ("info", "Lidocaine: 20 mg a session. Check it against 4.5 mg/kg of the patient's weight.")
    ]
    light = cocktail_doses([lidocaine("28")], weight_kg=Decimal(60))
    assert [(c.severity, c.message) for c in light.checks] == [
        ("block", "Lidocaine: 280 mg is above 4.5 mg/kg for 60 kg (270 mg).")
    ]
    assert not cocktail_doses([lidocaine("27")], weight_kg=Decimal(60)).blocked


def test_two_five_alpha_reductase_inhibitors_are_a_duplicate_therapy_warning():
    report = cocktail_doses(
        [dutasteride("1"), component("Finasteride", "1", ("finasteride", "0.5", "mg"))]
    )
    warning = next(c for c in report.checks if c.code == "two_five_alpha_reductase_inhibitors")
    assert warning.severity == "warn"
    assert warning.message == (
        "Dutasteride and Finasteride are both 5-alpha-reductase inhibitors: one cocktail holding "
        "both is a duplicate therapy. Keep one unless the prescriber means both."
    )


def test_mesoglycan_warns_of_patchy_scarring_hair_loss():
    report = cocktail_doses([component("Mesoglycan", "1", ("mesoglycan", "15", "mg"))])
    assert [(c.severity, c.code) for c in report.checks] == [("warn", "mesoglycan_patchy_alopecia")]
    assert "JAAD 2009" in report.checks[0].message and "kiphub" in report.checks[0].source


def test_lidocaine_with_minoxidil_mentions_frontal_oedema():
    report = cocktail_doses(
        [component("Minoxidil 0.5%", "2", ("minoxidil", "5", "mg")), lidocaine("0.2")]
    )
    oedema = next(c for c in report.checks if c.code == "lidocaine_frontal_oedema")
    assert oedema.severity == "info" and "(Lidocaine and Minoxidil)" in oedema.message


def test_concentrations_outside_the_published_range_are_reported():
    strong = cocktail_doses([component("Minoxidil 3%", "1", ("minoxidil", "30", "mg"))])
    assert [(c.severity, c.message) for c in strong.checks] == [
        ("warn", "Minoxidil at 30 mg/mL is above the concentrations published (5–20 mg/mL).")
    ]
    weak = cocktail_doses([dutasteride("1"), component("Saline", "2")])
    assert [(c.severity, c.code) for c in weak.checks] == [("info", "below_usual_concentration")]


def test_amounts_in_micrograms_add_up_in_the_ingredients_unit():
    report = cocktail_doses(
        [
            component("Biotin vial", "2", ("biotin", "500", "µg")),
            component("Biotin 5 mg/mL", "0.2", ("biotin", "5", "mg")),
        ]
    )
    dose = report.dose_of("biotin")
    assert dose.amount == Decimal("2.0") and dose.products == ("Biotin vial", "Biotin 5 mg/mL")


def test_the_screening_proposal_names_the_cocktail_and_its_lidocaine():
    report = cocktail_doses([dutasteride("1"), lidocaine("0.5")])
    proposal = screening_proposal(report, "mesotherapy")
    assert proposal.ingredients == ("dutasteride",)
    assert (proposal.anaesthetic, proposal.lidocaine_mg) == ("lidocaine", 5.0)


volumes = st.decimals(min_value="0.01", max_value="10", places=2)
strengths = st.decimals(min_value="0.0001", max_value="1", places=4)


@given(st.lists(st.tuples(volumes, strengths), min_size=1, max_size=5))
def test_the_dose_is_the_sum_of_volume_times_strength_and_blocks_exactly_over_the_cap(parts):
    components = [dutasteride(str(ml), str(mg)) for ml, mg in parts]
    report = cocktail_doses(components)
    dose = report.dose_of("dutasteride")
    assert dose.amount == sum(ml * mg for ml, mg in parts)
    assert dose.concentration * report.total_volume_ml == dose.amount or abs(
        dose.concentration * report.total_volume_ml - dose.amount
    ) < Decimal("1e-20")
    assert report.blocked == (dose.amount > Decimal("0.5"))
