"""Bad input on the what-if endpoint: a 422 naming the field and the code, and nothing stored."""

import datetime as dt

import pytest

from mesotrack.audit.models import AuditEvent

SCREENINGS = "/api/v1/screenings"
PROFILE = {"sex_at_birth": "female", "age": 34}
REQUIRED = "This field is required."
VOCABULARY = "see GET /api/v1/vocabulary"


def _errors(response):
    return [(e["field"], e["message"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "body,errors",
    [
        pytest.param(
            {},
            [("sex_at_birth", REQUIRED, "missing"), ("age", REQUIRED, "missing")],
            id="missing required fields",
        ),
        pytest.param({"sex_at_birth": "female"}, [("age", REQUIRED, "missing")], id="missing age"),
        pytest.param(
            {**PROFILE, "conditions": ["fever", "flu"]},
            [("conditions.1", f"“flu” is not a condition code ({VOCABULARY}).", "unknown_code")],
            id="unknown condition code",
        ),
        pytest.param(
            {**PROFILE, "proposed": {"modality": "mesotherapy", "ingredients": ["botox"]}},
            [
                (
                    "proposed.ingredients.0",
                    f"“botox” is not an ingredient code ({VOCABULARY}).",
                    "unknown_code",
                )
            ],
            id="unknown ingredient code",
        ),
        pytest.param(
            {**PROFILE, "medications": ["warfarin", "rat_poison"], "allergies": ["nuts"]},
            [
                (
                    "medications.1",
                    f"“rat_poison” is not a medicine code ({VOCABULARY}).",
                    "unknown_code",
                ),
                ("allergies.0", f"“nuts” is not an allergy code ({VOCABULARY}).", "unknown_code"),
            ],
            id="unknown medicine and allergy codes",
        ),
        pytest.param(
            {**PROFILE, "diagnosis": "baldness"},
            [("diagnosis", f"“baldness” is not a diagnosis code ({VOCABULARY}).", "unknown_code")],
            id="unknown diagnosis",
        ),
        pytest.param(
            {**PROFILE, "proposed": {"modality": "prp", "anaesthetic": "ice"}},
            [
                (
                    "proposed.anaesthetic",
                    f"“ice” is not an anaesthetic code ({VOCABULARY}).",
                    "unknown_code",
                )
            ],
            id="unknown anaesthetic",
        ),
        pytest.param(
            {**PROFILE, "age": "forty"},
            [
                (
                    "age",
                    "Input should be a valid integer, unable to parse string as an integer",
                    "int_parsing",
                )
            ],
            id="wrong type: age",
        ),
        pytest.param(
            {**PROFILE, "pregnant": "maybe"},
            [
                (
                    "pregnant",
                    "Input should be a valid boolean, unable to interpret input",
                    "bool_parsing",
                )
            ],
            id="wrong type: boolean",
        ),
        pytest.param(
            {**PROFILE, "conditions": "fever"},
            [("conditions", "Input should be a valid list", "list_type")],
            id="wrong type: list",
        ),
        pytest.param(
            {**PROFILE, "sex_at_birth": "f"},
            [("sex_at_birth", "Input should be 'female' or 'male'", "literal_error")],
            id="bad sex",
        ),
        pytest.param(
            {**PROFILE, "stage": {"scale": "hamilton", "value": "III"}},
            [
                (
                    "stage.scale",
                    "“hamilton” is not a staging scale; use norwood, ludwig, sinclair, olsen, "
                    "salt.",
                    "unknown_scale",
                )
            ],
            id="bad stage scale",
        ),
        pytest.param(
            {**PROFILE, "diagnosis": "fphl", "stage": {"scale": "norwood", "value": "III"}},
            [
                (
                    "stage.scale",
                    "The Norwood–Hamilton scale does not stage female pattern hair loss; "
                    "use ludwig, sinclair or olsen.",
                    "scale_mismatch",
                )
            ],
            id="scale not for the diagnosis",
        ),
        pytest.param(
            {**PROFILE, "diagnosis": "aga_male", "stage": {"scale": "ludwig", "value": "II"}},
            [
                (
                    "stage.scale",
                    "The Ludwig scale does not stage male androgenetic alopecia (male pattern hair "
                    "loss); use norwood.",
                    "scale_mismatch",
                )
            ],
            id="female scale for a man",
        ),
        pytest.param(
            {
                **PROFILE,
                "diagnosis": "telogen_effluvium",
                "stage": {"scale": "olsen", "value": "1"},
            },
            [
                (
                    "stage.scale",
                    "The Olsen scale does not stage telogen effluvium; send stage as null.",
                    "scale_mismatch",
                )
            ],
            id="no scale for the diagnosis",
        ),
        pytest.param(
            {**PROFILE, "stage": {"scale": "ludwig", "value": "IV"}},
            [
                (
                    "stage.value",
                    "“IV” is not a Ludwig stage; use one of: I, II, III.",
                    "unknown_stage",
                )
            ],
            id="bad stage value",
        ),
        pytest.param(
            {**PROFILE, "stage": {"scale": "salt", "value": "120"}},
            [
                (
                    "stage.value",
                    "A SALT (Severity of Alopecia Tool) stage is the total from 0 to 100, "
                    'such as "30".',
                    "unknown_stage",
                )
            ],
            id="bad SALT total",
        ),
        pytest.param(
            {**PROFILE, "stage": {"scale": "salt", "value": 30}},
            [("stage.value", "Input should be a valid string", "string_type")],
            id="wrong type: stage value",
        ),
        pytest.param(
            {**PROFILE, "transplant_date": "2024-02-30"},
            [("transplant_date", "Enter a date as YYYY-MM-DD.", "date_from_datetime_parsing")],
            id="bad date",
        ),
        pytest.param(
            {**PROFILE, "transplant_date": "12/03/2024"},
            [("transplant_date", "Enter a date as YYYY-MM-DD.", "date_from_datetime_parsing")],
            id="bad date format",
        ),
        pytest.param(
            {**PROFILE, "labs": {"cortisol": {"value": 300, "unit": "nmol/L"}}},
            [("labs.cortisol", f"“cortisol” is not a lab code ({VOCABULARY}).", "unknown_code")],
            id="unknown lab code",
        ),
        pytest.param(
            {**PROFILE, "labs": {"ferritin": {"value": 20, "unit": "mmol/L"}}},
            [
                (
                    "labs.ferritin.unit",
                    "“mmol/L” is not a unit for Ferritin; use one of: µg/L, ug/L, mcg/L, ng/mL.",
                    "unknown_unit",
                )
            ],
            id="unknown unit",
        ),
        pytest.param(
            {**PROFILE, "labs": {"ferritin": {"value": 9000, "unit": "ng/mL"}}},
            [
                (
                    "labs.ferritin.value",
                    "Ferritin 9000 ng/mL is outside the plausible range 1–5000 µg/L; "
                    "check the value.",
                    "implausible_value",
                )
            ],
            id="implausible lab value",
        ),
        pytest.param(
            {**PROFILE, "labs": {"ferritin": {"value": "low", "unit": "µg/L"}}},
            [
                (
                    "labs.ferritin.value",
                    "Input should be a valid number, unable to parse string as a number",
                    "float_parsing",
                )
            ],
            id="wrong type: lab value",
        ),
        pytest.param(
            {**PROFILE, "proposed": {"modality": "botox"}},
            [("proposed.modality", "Input should be 'mesotherapy' or 'prp'", "literal_error")],
            id="bad modality",
        ),
        pytest.param(
            {**PROFILE, "proposed": {"modality": "prp", "lidocaine_mg": -5}},
            [
                (
                    "proposed.lidocaine_mg",
                    "Input should be greater than or equal to 0",
                    "greater_than_equal",
                )
            ],
            id="negative lidocaine dose",
        ),
        pytest.param(
            {**PROFILE, "goals": ["be_famous"], "prior_treatments": {"laser_comb": "worse"}},
            [
                ("goals.0", f"“be_famous” is not a goal code ({VOCABULARY}).", "unknown_code"),
                (
                    "prior_treatments.laser_comb",
                    f"“laser_comb” is not a prior-treatment code ({VOCABULARY}).",
                    "unknown_code",
                ),
            ],
            id="unknown goal and prior treatment",
        ),
        pytest.param(
            {**PROFILE, "prior_treatments": {"finasteride": "great"}},
            [
                (
                    "prior_treatments.finasteride",
                    f"“great” is not a treatment response ({VOCABULARY}).",
                    "unknown_code",
                )
            ],
            id="unknown treatment response",
        ),
        pytest.param(
            {**PROFILE, "smoker": True},
            [("smoker", "This field is not accepted here.", "extra_forbidden")],
            id="unknown field",
        ),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_the_code(cast, api_for, body, errors):
    client = api_for(cast.practitioner)
    events = AuditEvent.objects.count()
    response = client.post(SCREENINGS, body)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."
    assert _errors(response) == errors
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_transplant_date_in_the_future(cast, api_for):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = api_for(cast.nurse).post(SCREENINGS, {**PROFILE, "transplant_date": tomorrow})
    assert response.status_code == 422
    assert _errors(response) == [
        ("transplant_date", "Enter a date that is not in the future.", "future_date")
    ]


def test_it_reports_every_unknown_code_at_once(cast, api_for):
    body = {
        **PROFILE,
        "conditions": ["flu"],
        "labs": {"ferritin": {"value": 20, "unit": "pints"}},
        "stage": {"scale": "hamilton", "value": "II"},
    }
    response = api_for(cast.nurse).post(SCREENINGS, body)
    assert [e["field"] for e in response.json()["errors"]] == [
        "conditions.0",
        "labs.ferritin.unit",
        "stage.scale",
    ]


def test_a_body_that_is_not_json_is_refused(cast, api_for):
    response = api_for(cast.nurse).post(SCREENINGS, "{not json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."
