"""The screening rule tables hold together: every code a rule names exists, every rule cites a
source, every message can be filled, and facts marked [V] stay configurable."""

import string

import pytest

from mesotrack.screening import tables
from mesotrack.screening.checks import CHECKS
from mesotrack.screening.labs import LAB_CHECKS

# The values each check fills into its rule's message (params are always available).
CHECK_VALUES = {
    "facts": {"facts", "anaesthetic", "ingredient"},
    "facts_with_medicine": {"facts", "medicines"},
    "five_ari_pregnancy_potential": {"facts", "anaesthetic", "ingredient", "contraception_note"},
    "ingredient_allergy": {"ingredient", "allergy"},
    "anaesthetic_allergy": {"allergy", "anaesthetic"},
    "low_platelets": {"value", "unit", "threshold"},
    "dutasteride_male_conception": {"subject", "reasons"},
    "minor": {"age"},
    "minor_ingredients": {"age", "facts", "anaesthetic", "ingredient"},
    "lidocaine_per_kg": {"lidocaine_mg", "weight_kg", "limit_mg"},
    "lidocaine_cap": {"lidocaine_mg"},
    "lidocaine_weight_unknown": {"lidocaine_mg"},
    "lab": {"value", "unit", "entered", "threshold"},
    "lab_not_interpreted": {"lab", "reason"},
}

RULES = list(tables.screening_rules().values())


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_check_a_rule_names_exists():
    assert {rule.check for rule in RULES} <= set(CHECKS) | LAB_CHECKS
    assert set(CHECK_VALUES) == set(CHECKS) | LAB_CHECKS


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_cites_a_source_and_can_fill_its_message(rule):
    assert rule.source.strip() and rule.evidence
    assert placeholders(rule.message) <= CHECK_VALUES[rule.check] | set(rule.params)
    assert rule.message.rstrip().endswith(".")


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_code_a_rule_names_is_in_the_vocabulary(rule):
    triggers = rule.triggers
    assert set(triggers.conditions) <= set(tables.conditions())
    classes = {row.medication_class for row in tables.medications().values()}
    assert set(triggers.medication_classes) <= classes
    assert set(triggers.diagnoses) <= set(tables.diagnoses())
    assert set(triggers.ingredients) <= set(tables.ingredients())
    assert set(triggers.anaesthetics) <= set(tables.anaesthetics())


def test_rules_built_on_unverified_facts_say_they_are_configurable():
    for rule in RULES:
        if rule.evidence == "V" or "[V]" in rule.source:
            assert rule.params, rule.code
            assert "configurable" in rule.source, rule.code


def test_every_lab_threshold_raises_a_lab_rule_of_a_vocabulary_lab():
    for row in tables.lab_thresholds().values():
        assert row.lab in tables.labs()
        assert row.flag in tables.screening_rules()
        test = tables.lab_test(row.lab)
        assert test is not None and row.unit == test.canonical_unit
    lab_rules = {rule.code for rule in RULES if rule.check == "lab"}
    assert lab_rules == {row.flag for row in tables.lab_thresholds().values()} - {"low_platelets"}


def test_every_decision_rule_and_protocol_names_known_codes():
    for rule in tables.decision_rules().values():
        assert rule.source.strip()
    for protocol in tables.protocols().values():
        assert set(protocol.when_ingredients) <= set(tables.ingredients())
        assert set(protocol.when_diagnoses) <= set(tables.diagnoses())
    medicines = set(tables.medications())
    for option in tables.medical_options().values():
        assert set(option.medication_codes) <= medicines
        assert set(option.excluded_conditions) <= set(tables.conditions())
    for scale in tables.staging_scales().values():
        assert set(scale.diagnoses) <= set(tables.diagnoses())
        values = [stage.value for stage in scale.stages]
        assert {scale.advanced_from, scale.early_up_to} - {None} <= set(values)
