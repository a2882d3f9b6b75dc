"""Properties of the screening engine over generated profiles (hypothesis).

- no input crashes the engine or the decision aid;
- adding a contraindicating fact never removes a block;
- removing every fact leaves no block.
"""

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesotrack.screening import tables
from mesotrack.screening.engine import ScreeningResult, screen
from mesotrack.screening.options import MODALITIES, rank_options
from mesotrack.screening.profile import LabReading, ProposedTreatment, ScreeningProfile, Stage

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk = st.text(max_size=12)
conditions = st.sampled_from(sorted(tables.conditions()))
medicines = st.sampled_from(sorted(tables.medications()))
allergies = st.sampled_from(sorted(tables.allergy_codes()))
ingredients = st.sampled_from(sorted(tables.ingredients()))
anaesthetics = st.sampled_from(sorted(tables.anaesthetics()))
lab_codes = st.sampled_from(sorted(tables.labs()))
units = st.sampled_from(
    sorted(
        {s for code in tables.labs() for u in tables.lab_test(code).units for s in u.spellings()}
    )
)
any_float = st.floats(allow_nan=True, allow_infinity=True)
reasonable_float = st.floats(min_value=0, max_value=5000, allow_nan=False)


def codes_or_junk(codes: st.SearchStrategy[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.one_of(codes, junk), max_size=6)


stages = st.builds(
    Stage,
    scale=st.one_of(st.sampled_from(["norwood", "ludwig", "sinclair", "olsen", "salt"]), junk),
    value=st.one_of(st.sampled_from(["I", "IIIa", "III vertex", "VII", "3", "30", "S2"]), junk),
)
labs = st.dictionaries(
    st.one_of(lab_codes, junk),
    st.builds(
        LabReading, value=st.one_of(reasonable_float, any_float), unit=st.one_of(units, junk)
    ),
    max_size=5,
)
profiles = st.builds(
    ScreeningProfile,
    sex_at_birth=st.sampled_from(["female", "male", "intersex", "unknown", ""]),
    age=st.integers(min_value=-5, max_value=130),
    weight_kg=st.one_of(st.none(), any_float, st.floats(min_value=20, max_value=200)),
    pregnant=st.booleans(),
    breastfeeding=st.booleans(),
    could_become_pregnant=st.booleans(),
    trying_to_conceive=st.booleans(),
    conditions=codes_or_junk(conditions),
    medications=codes_or_junk(medicines),
    allergies=codes_or_junk(allergies),
    diagnosis=st.one_of(st.none(), st.sampled_from(sorted(tables.diagnoses())), junk),
    stage=st.one_of(st.none(), stages),
    transplant_date=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
    labs=labs,
    prior_treatments=st.dictionaries(
        st.one_of(st.sampled_from(sorted(tables.prior_treatments())), junk),
        st.sampled_from(["improved", "stable", "worse", "stopped_side_effects", "unknown", "?"]),
        max_size=4,
    ),
    goals=codes_or_junk(st.sampled_from(sorted(tables.goals()))),
    contraception=st.booleans(),
    on_date=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
)
proposals = st.one_of(
    st.none(),
    st.builds(
        ProposedTreatment,
        modality=st.one_of(st.sampled_from(["mesotherapy", "prp"]), junk),
        ingredients=st.lists(st.one_of(ingredients, junk), max_size=6).map(tuple),
        anaesthetic=st.one_of(st.none(), anaesthetics, junk),
        lidocaine_mg=st.one_of(st.none(), any_float, reasonable_float),
    ),
)


def blocks(result: ScreeningResult) -> set[tuple[str, str | None]]:
    return {(flag.code, flag.ingredient) for flag in result.blocks}


@SETTINGS
@given(profile=profiles, proposed=proposals)
def test_no_input_crashes_the_engine_or_the_decision_aid(profile, proposed):
    result = screen(profile, proposed)
    assert result.blocked == any(f.severity in {"block", "postpone"} for f in result.flags)
    assert all(f.message and f.source for f in result.flags)
    options = rank_options(profile, result)
    assert [o.rank for o in options] == list(range(1, len(options) + 1))
    assert {o.modality for o in options} <= set(MODALITIES)


def _add(profile, proposed, kind, code):
    if kind == "condition":
        return dataclasses.replace(profile, conditions=profile.conditions | {code}), proposed
    if kind == "medication":
        return dataclasses.replace(profile, medications=profile.medications | {code}), proposed
    if kind == "allergy":
        return dataclasses.replace(profile, allergies=profile.allergies | {code}), proposed
    if kind == "answer":
        return dataclasses.replace(profile, **{code: True}), proposed
    if kind == "younger":
        return dataclasses.replace(profile, age=profile.age - 10), proposed
    if kind == "ingredient" and proposed is not None:
        more = (*proposed.ingredients, code)
        return profile, dataclasses.replace(proposed, ingredients=more)
    if kind == "more_lidocaine" and proposed is not None:
        dose = (proposed.lidocaine_mg or 0) if proposed.lidocaine_mg == proposed.lidocaine_mg else 0
        return profile, dataclasses.replace(proposed, lidocaine_mg=dose + 100)
    return profile, proposed


facts = st.one_of(
    st.tuples(st.just("condition"), conditions),
    st.tuples(st.just("medication"), medicines),
    st.tuples(st.just("allergy"), allergies),
    st.tuples(
        st.just("answer"),
        st.sampled_from(
            ["pregnant", "breastfeeding", "could_become_pregnant", "trying_to_conceive"]
        ),
    ),
    st.tuples(st.just("younger"), st.just("")),
    st.tuples(st.just("ingredient"), ingredients),
    st.tuples(st.just("more_lidocaine"), st.just("")),
)


@SETTINGS
@given(profile=profiles, proposed=proposals, fact=facts)
def test_adding_a_contraindicating_fact_never_removes_a_block(profile, proposed, fact):
    before = blocks(screen(profile, proposed))
    after = blocks(screen(*_add(profile, proposed, *fact)))
    assert before <= after


@SETTINGS
@given(
    sex=st.sampled_from(["female", "male", "intersex"]),
    age=st.integers(min_value=18, max_value=100),
    weight=st.floats(min_value=20, max_value=250),
    diagnosis=st.one_of(st.none(), st.sampled_from(sorted(tables.diagnoses()))),
    modality=st.sampled_from(["mesotherapy", "prp"]),
    cocktail=st.lists(ingredients, max_size=6).map(tuple),
    anaesthetic=st.one_of(st.none(), anaesthetics),
    goals=st.frozensets(st.sampled_from(sorted(tables.goals()))),
)
def test_removing_every_fact_leaves_no_block(
    sex, age, weight, diagnosis, modality, cocktail, anaesthetic, goals
):
    bare = ScreeningProfile(
        sex_at_birth=sex, age=age, weight_kg=weight, diagnosis=diagnosis, goals=goals
    )
    safe_dose = min(4.5 * weight, 300)
    for proposed in (
        None,
        ProposedTreatment(modality, cocktail, anaesthetic, None),
        ProposedTreatment(modality, cocktail, anaesthetic, safe_dose),
    ):
        result = screen(bare, proposed)
        assert not result.blocked, [f.code for f in result.blocks]
