import datetime as dt

import pytest

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.patients.models import Patient
from tests.factories import PatientFactory

PATIENTS = "/api/v1/patients"
NEW_PATIENT = {
    "given_name": "Amira",
    "family_name": "Haddad",
    "date_of_birth": "1988-04-02",
    "sex_at_birth": "female",
    "phone": "+44 7700 900123",
    "emergency_contact_name": "Omar Haddad",
}
PATIENT_KEYS = {
    "id",
    "record_number",
    "clinic",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex_at_birth",
    "gender",
    "email",
    "phone",
    "address",
    "preferred_language",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
    "created_at",
    "updated_at",
}


def test_it_lists_only_the_patients_of_the_users_clinics(cast, api_for):
    response = api_for(cast.nurse).get(PATIENTS)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 25, 0)
    assert [p["record_number"] for p in body["items"]] == [cast.patient.record_number]
    other = api_for(cast.other_practitioner).get(PATIENTS).json()
    assert [p["record_number"] for p in other["items"]] == [cast.other_patient.record_number]


def test_it_shows_the_agreed_fields_and_never_the_search_internals(cast, api_for):
    item = api_for(cast.receptionist).get(PATIENTS).json()["items"][0]
    assert set(item) == PATIENT_KEYS
    assert item["clinic"] == "LDS"
    assert item["date_of_birth"] == cast.patient.date_of_birth.isoformat()


def test_it_searches_like_the_list_page(cast, api_for):
    PatientFactory(clinic=cast.clinic, given_name="Zeynep", family_name="Arslan")
    PatientFactory(clinic=cast.clinic, given_name="Zoe", family_name="Brown")
    client = api_for(cast.receptionist)
    found = client.get(PATIENTS, q="zeynep ars").json()
    assert [p["given_name"] for p in found["items"]] == ["Zeynep"]
    by_birth = client.get(PATIENTS, q=cast.patient.date_of_birth.strftime("%d/%m/%Y")).json()
    assert cast.patient.pk in [p["id"] for p in by_birth["items"]]


def test_it_pages_through_the_list(cast, api_for):
    for number in range(4):
        PatientFactory(clinic=cast.clinic, family_name=f"Page{number}")
    client = api_for(cast.nurse)
    everyone = [p["id"] for p in client.get(PATIENTS).json()["items"]]
    page = client.get(PATIENTS, limit=2, offset=2).json()
    assert page["count"] == 5
    assert [p["id"] for p in page["items"]] == everyone[2:4]


def test_it_audits_the_patients_a_list_showed(cast, api_for):
    api_for(cast.nurse).get(PATIENTS, q="")
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert event.actor == cast.nurse
    assert event.detail == {"list": "patients", "query": "", "patient_ids": [cast.patient.pk]}


def test_an_empty_list_writes_no_audit_event(cast, api_for):
    api_for(cast.nurse).get(PATIENTS, q="nobody-by-this-name")
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_runs_the_same_queries_however_long(
    cast, api_for, django_assert_num_queries, size
):
    for _ in range(size):
        PatientFactory(clinic=cast.clinic)
    client = api_for(cast.nurse)
    # token, last-used stamp, memberships, savepoint pair, page, audit insert, count
    with django_assert_num_queries(8):
        assert len(client.get(PATIENTS, limit=100).json()["items"]) == size + 1


def test_it_registers_a_patient_in_the_users_only_clinic(cast, api_for):
    response = api_for(cast.receptionist).post(PATIENTS, NEW_PATIENT)
    assert response.status_code == 201
    body = response.json()
    patient = Patient.objects.get(pk=body["id"])
    assert (patient.clinic, patient.record_number, patient.created_by) == (
        cast.clinic,
        "LDS-000001",
        cast.receptionist,
    )
    assert (patient.date_of_birth, patient.phone_digits) == (dt.date(1988, 4, 2), "447700900123")
    assert body["record_number"] == "LDS-000001"
    assert body["emergency_contact_name"] == "Omar Haddad"
    assert body["preferred_language"] == "English"
    event = AuditEvent.objects.get(action=Action.CREATE, patient_id=patient.pk)
    assert (event.actor, event.clinic) == (cast.receptionist, cast.clinic)


def test_it_registers_in_the_named_clinic_by_code_or_id(cast, api_for):
    from mesotrack.accounts.models import Membership, Role

    Membership.objects.create(user=cast.nurse, clinic=cast.other_clinic, role=Role.NURSE)
    client = api_for(cast.nurse)
    by_code = client.post(PATIENTS, {**NEW_PATIENT, "clinic": "yrk"})
    by_id = client.post(PATIENTS, {**NEW_PATIENT, "given_name": "Sara", "clinic": cast.clinic.pk})
    assert (by_code.status_code, by_code.json()["clinic"]) == (201, "YRK")
    assert (by_id.status_code, by_id.json()["clinic"]) == (201, "LDS")


def test_it_refuses_a_probable_duplicate_until_confirmed(cast, api_for):
    client = api_for(cast.receptionist)
    first = client.post(PATIENTS, NEW_PATIENT).json()
    refused = client.post(PATIENTS, {**NEW_PATIENT, "given_name": "AMIRA"})
    assert refused.status_code == 409
    message = (
        "A patient with the same name and date of birth already exists (LDS-000001). "
        "Open that record, or confirm this is a different person."
    )
    assert refused.json() == {
        "detail": message,
        "errors": [
            {"field": "confirm_not_duplicate", "message": message, "code": "probable_duplicate"}
        ],
        "duplicates": [{"id": first["id"], "record_number": "LDS-000001"}],
    }
    assert Patient.objects.filter(family_name="Haddad").count() == 1
    confirmed = client.post(
        PATIENTS, {**NEW_PATIENT, "given_name": "AMIRA", "confirm_not_duplicate": True}
    )
    assert (confirmed.status_code, confirmed.json()["record_number"]) == (201, "LDS-000002")


def test_it_reads_a_patient_and_audits_it(cast, api_for):
    response = api_for(cast.practitioner).get(f"{PATIENTS}/{cast.patient.pk}")
    assert response.status_code == 200
    assert response.json()["record_number"] == cast.patient.record_number
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.actor, event.patient_id, event.role) == (
        cast.practitioner,
        cast.patient.pk,
        "practitioner",
    )


def test_a_patient_of_another_clinic_is_not_found_and_not_audited_as_seen(cast, api_for):
    client = api_for(cast.practitioner)
    for response in (
        client.get(f"{PATIENTS}/{cast.other_patient.pk}"),
        client.patch(f"{PATIENTS}/{cast.other_patient.pk}", {"given_name": "Changed"}),
        client.get(f"{PATIENTS}/999999"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    cast.other_patient.refresh_from_db()
    assert cast.other_patient.given_name != "Changed"
    assert not AuditEvent.objects.filter(patient_id=cast.other_patient.pk).exists()


def test_a_deleted_patient_is_not_found(cast, api_for):
    from mesotrack.patients.services import patient_soft_delete

    patient_soft_delete(actor=cast.manager, patient=cast.patient, reason="Duplicate")
    assert api_for(cast.manager).get(f"{PATIENTS}/{cast.patient.pk}").status_code == 404


def test_it_changes_only_the_fields_sent(cast, api_for):
    family_name = cast.patient.family_name
    response = api_for(cast.nurse).patch(
        f"{PATIENTS}/{cast.patient.pk}", {"phone": "07700 900999", "gender": "Woman"}
    )
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["gender"]) == ("07700 900999", "Woman")
    cast.patient.refresh_from_db()
    assert (cast.patient.phone, cast.patient.family_name) == ("07700 900999", family_name)
    assert cast.patient.phone_digits == "07700900999"
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert (event.actor, event.patient_id, event.detail) == (
        cast.nurse,
        cast.patient.pk,
        {"fields": ["gender", "phone"]},
    )
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_an_update_that_changes_nothing_is_audited_as_a_read(cast, api_for):
    response = api_for(cast.nurse).patch(
        f"{PATIENTS}/{cast.patient.pk}", {"given_name": cast.patient.given_name}
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()
    assert AuditEvent.objects.get(action=Action.VIEW).patient_id == cast.patient.pk


def test_an_optional_field_can_be_cleared(cast, api_for):
    cast.patient.email = "old@example.org"
    cast.patient.save()
    response = api_for(cast.nurse).patch(f"{PATIENTS}/{cast.patient.pk}", {"email": ""})
    assert response.json()["email"] == ""
    cast.patient.refresh_from_db()
    assert cast.patient.email == ""
