"""Bad input on every patient endpoint: a 4xx naming the field, and nothing written."""

import pytest

from mesotrack.accounts.models import Membership, Role
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.patients.models import Patient
from tests.api.test_patients import NEW_PATIENT, PATIENTS

REQUIRED = "This field is required."
DATE = "Enter a date as YYYY-MM-DD."
SEX = "Input should be 'female', 'male', 'intersex' or 'unknown'"


def _errors(response):
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def _assert_nothing_written(cast):
    assert set(Patient.objects.all()) == {cast.patient, cast.other_patient}
    cast.clinic.refresh_from_db()
    assert cast.clinic.last_record_number == 0
    assert (
        not AuditEvent.objects.filter(action__in=[Action.CREATE, Action.UPDATE])
        .exclude(object_type="api.ApiToken")
        .exists()
    )


@pytest.mark.parametrize(
    "body,status,errors",
    [
        (
            {},
            422,
            [
                ("given_name", REQUIRED),
                ("family_name", REQUIRED),
                ("date_of_birth", REQUIRED),
                ("sex_at_birth", REQUIRED),
            ],
        ),
        (
            {**NEW_PATIENT, "given_name": 123},
            422,
            [("given_name", "Input should be a valid string")],
        ),
        (
            {**NEW_PATIENT, "given_name": "   "},
            422,
            [("given_name", "This field cannot be blank.")],
        ),
        (
            {**NEW_PATIENT, "family_name": "x" * 101},
            422,
            [("family_name", "String should have at most 100 characters")],
        ),
        ({**NEW_PATIENT, "date_of_birth": "1988-02-30"}, 422, [("date_of_birth", DATE)]),
        ({**NEW_PATIENT, "date_of_birth": "02/04/1988"}, 422, [("date_of_birth", DATE)]),
        ({**NEW_PATIENT, "sex_at_birth": "f"}, 422, [("sex_at_birth", SEX)]),
        (
            {**NEW_PATIENT, "confirm_not_duplicate": "maybe"},
            422,
            [
                (
                    "confirm_not_duplicate",
                    "Input should be a valid boolean, unable to interpret input",
                )
            ],
        ),
        (
            {**NEW_PATIENT, "search_text": "x"},
            422,
            [("search_text", "This field is not accepted here.")],
        ),
        (
            {**NEW_PATIENT, "email": "not-an-email"},
            400,
            [("email", "Enter a valid email address.")],
        ),
        (
            {**NEW_PATIENT, "clinic": "XXX"},
            400,
            [("clinic", "You do not work at a clinic with that code or id.")],
        ),
        (
            {**NEW_PATIENT, "clinic": "YRK"},
            400,
            [("clinic", "You do not work at a clinic with that code or id.")],
        ),
        (
            [NEW_PATIENT],
            422,
            [("body", "Input should be a valid dictionary or object to extract fields from")],
        ),
        ("{not json", 400, [("body", "The request body is not valid JSON.")]),
    ],
    ids=[
        "missing",
        "wrong-type",
        "blank",
        "too-long",
        "impossible-date",
        "date-format",
        "bad-enum",
        "bad-boolean",
        "unknown-field",
        "bad-email",
        "unknown-clinic",
        "other-clinic",
        "not-an-object",
        "not-json",
    ],
)
def test_registration_refuses_bad_input(cast, api_for, body, status, errors):
    response = api_for(cast.nurse).post(PATIENTS, body)
    assert response.status_code == status
    assert _errors(response) == errors
    _assert_nothing_written(cast)


def test_registration_asks_which_clinic_when_the_user_works_at_several(cast, api_for):
    Membership.objects.create(user=cast.nurse, clinic=cast.other_clinic, role=Role.NURSE)
    response = api_for(cast.nurse).post(PATIENTS, NEW_PATIENT)
    assert response.status_code == 400
    message = "You work at several clinics: say which one (LDS, YRK)."
    assert response.json() == {
        "detail": message,
        "errors": [{"field": "clinic", "message": message, "code": "invalid"}],
    }
    _assert_nothing_written(cast)


@pytest.mark.parametrize(
    "params,errors",
    [
        ({"limit": 0}, [("limit", "Input should be greater than or equal to 1")]),
        ({"limit": 101}, [("limit", "Input should be less than or equal to 100")]),
        (
            {"limit": "ten"},
            [("limit", "Input should be a valid integer, unable to parse string as an integer")],
        ),
        ({"offset": -1}, [("offset", "Input should be greater than or equal to 0")]),
        ({"q": "x" * 101}, [("q", "String should have at most 100 characters")]),
    ],
    ids=["limit-zero", "limit-too-big", "limit-not-a-number", "negative-offset", "long-query"],
)
def test_the_list_refuses_bad_parameters(cast, api_for, params, errors):
    response = api_for(cast.nurse).get(PATIENTS, **params)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."
    assert _errors(response) == errors
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_a_patient_address_that_is_not_a_number_is_not_found(cast, api_for):
    response = api_for(cast.nurse).get(f"{PATIENTS}/abc")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "body,status,errors",
    [
        ({"given_name": None}, 422, [("given_name", "This field cannot be null.")]),
        ({"given_name": ""}, 422, [("given_name", "This field cannot be blank.")]),
        ({"date_of_birth": "yesterday"}, 422, [("date_of_birth", DATE)]),
        ({"sex_at_birth": "F"}, 422, [("sex_at_birth", SEX)]),
        ({"phone": ["0770"]}, 422, [("phone", "Input should be a valid string")]),
        ({"record_number": "LDS-1"}, 422, [("record_number", "This field is not accepted here.")]),
        (
            {"phone": "07700 900999", "email": "not-an-email"},
            400,
            [("email", "Enter a valid email address.")],
        ),
        ("{not json", 400, [("body", "The request body is not valid JSON.")]),
    ],
    ids=[
        "null",
        "blank",
        "bad-date",
        "bad-enum",
        "wrong-type",
        "read-only-field",
        "bad-email-with-a-good-phone",
        "not-json",
    ],
)
def test_an_update_refuses_bad_input_and_changes_nothing(cast, api_for, body, status, errors):
    before = {
        name: getattr(cast.patient, name)
        for name in ("given_name", "phone", "email", "date_of_birth", "phone_digits", "updated_at")
    }
    response = api_for(cast.nurse).patch(f"{PATIENTS}/{cast.patient.pk}", body)
    assert response.status_code == status
    assert _errors(response) == errors
    cast.patient.refresh_from_db()
    assert {name: getattr(cast.patient, name) for name in before} == before
    _assert_nothing_written(cast)
