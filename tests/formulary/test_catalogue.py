"""The ingredient catalogue: every row sourced, caps only where a source gives one, and codes
that agree with the screening tables."""

from decimal import Decimal

from mesotrack.formulary.catalogue import convert, ingredient_catalogue
from mesotrack.rules import load_table
from mesotrack.screening import tables

SCREENING_CODES = {
    "dutasteride", "finasteride", "minoxidil", "biotin", "dexpanthenol", "niacinamide", "zinc",
    "copper_peptide", "hyaluronic_acid", "amino_acids", "saw_palmetto", "ginkgo_biloba",
}  # fmt: skip
SECTION_1_5 = {
    "thiamine", "niacinamide", "dexpanthenol", "pyridoxine", "biotin", "ascorbic_acid",
    "procaine", "flavonoside", "organic_silicon", "cysteine", "methionine", "arginine",
    "hyaluronic_acid", "acetyl_tetrapeptide_3", "mesoglycan", "zinc", "copper_peptide",
}  # fmt: skip


def test_it_keeps_every_screening_ingredient_and_adds_the_section_1_5_components():
    catalogue = ingredient_catalogue()
    assert set(tables.ingredients()) >= SCREENING_CODES
    assert SECTION_1_5 | SCREENING_CODES | {"lidocaine", "prilocaine"} <= set(catalogue)


def test_every_row_has_a_class_a_unit_a_source_and_says_whether_a_cap_exists():
    classes = {"vitamin", "mineral", "amino_acid", "enzyme", "plant_extract", "drug",
               "anaesthetic", "other"}  # fmt: skip
    for entry in ingredient_catalogue().values():
        assert entry.ingredient_class in classes, entry.code
        assert entry.unit in {"mg", "µg"} and entry.source.startswith("clinical_rules.md §")
        assert entry.concentration_note and entry.cap_note
        if entry.max_per_session is None and entry.max_per_kg is None:
            assert "No per-session maximum" in entry.cap_note, entry.code


def test_only_dutasteride_and_lidocaine_carry_a_cap_from_the_sources():
    capped = {
        code: (entry.max_per_session, entry.max_per_kg)
        for code, entry in ingredient_catalogue().items()
        if entry.max_per_session or entry.max_per_kg
    }
    assert capped == {
        "dutasteride": (Decimal("0.5"), None),
        "lidocaine": (Decimal(300), Decimal("4.5")),
    }


def test_contraindication_tags_are_the_screening_rules_that_name_the_ingredient():
    rules = tables.screening_rules()
    catalogue = ingredient_catalogue()
    for code, entry in catalogue.items():
        assert set(entry.contraindications) <= set(rules), code
    for rule_code, rule in rules.items():
        for ingredient in rule.triggers.ingredients:
            assert rule_code in catalogue[ingredient].contraindications, (rule_code, ingredient)
    anaesthetic_rules = {c for c, r in rules.items() if "lidocaine" in r.triggers.anaesthetics}
    assert anaesthetic_rules <= set(catalogue["lidocaine"].contraindications)


def test_anaesthetic_agents_are_the_agents_screening_knows_and_stay_out_of_its_vocabulary():
    agents = {agent for row in tables.anaesthetics().values() for agent in row.agents}
    catalogue = ingredient_catalogue()
    anaesthetics = {c for c, e in catalogue.items() if not e.in_screening_vocabulary}
    assert anaesthetics == agents == {"lidocaine", "prilocaine"}
    assert not anaesthetics & set(tables.ingredients())
    assert catalogue["procaine"].in_screening_vocabulary
    assert catalogue["procaine"].intake_allergy_classes == ("ester_local_anaesthetic",)


def test_allergy_classes_and_interaction_codes_exist():
    allergy_classes = load_table("allergy_classes").codes
    catalogue = ingredient_catalogue()
    for entry in catalogue.values():
        assert set(entry.intake_allergy_classes) <= allergy_classes, entry.code
    groups = {entry.group for entry in catalogue.values()}
    for rule in load_table("ingredient_interactions").rows:
        assert set(rule.when_all) | set(rule.when_any) <= set(catalogue), rule.code
        assert rule.when_group is None or rule.when_group.group in groups


def test_units_convert_between_g_mg_and_micrograms():
    assert convert(Decimal(500), "µg", "mg") == Decimal("0.5")
    assert convert(Decimal("0.025"), "g", "mg") == Decimal(25)
    assert convert(Decimal(2), "mg", "µg") == Decimal(2000)
