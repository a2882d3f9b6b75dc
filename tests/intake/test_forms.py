from mesotrack.intake.forms import IntakeForms
from tests.intake.conftest import TAKEN_ON, full_answers
from tests.intake.forms_data import post_data


def test_service_errors_land_on_the_row_the_user_sees_after_removed_rows():
    data = post_data(full_answers())
    data["labs-0-DELETE"] = "on"
    forms = IntakeForms(data, answers={})
    assert forms.is_valid()
    answers = forms.answers()
    assert [lab["test"] for lab in answers["labs"]] == ["vitamin_d_25oh"]
    forms.add_service_errors({"labs.0.unit": ["Wrong unit."], "weight_kg": ["Too heavy."]})
    assert forms.labs.forms[1].errors == {"unit": ["Wrong unit."]}
    assert forms.labs.forms[0].errors == {}
    assert forms.general.errors == {"weight_kg": ["Too heavy."]}


def test_errors_without_a_matching_input_are_shown_at_the_top():
    forms = IntakeForms(post_data(full_answers()), answers={})
    assert forms.is_valid()
    forms.answers()
    forms.add_service_errors({"labs": ["Too many entries (at most 100)."]})
    assert forms.errors == ["Too many entries (at most 100)."]


def test_blank_extra_rows_are_ignored():
    forms = IntakeForms(post_data(full_answers(medications=[])), answers={})
    assert forms.is_valid()
    assert forms.answers()["medications"] == []
    assert forms.answers()["labs"][0]["taken_on"] == TAKEN_ON
