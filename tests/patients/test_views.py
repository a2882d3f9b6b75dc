import datetime as dt

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.patients.models import Patient
from tests.factories import PatientFactory

FORM = {
    "clinic": "",
    "given_name": "Amira",
    "family_name": "Haddad",
    "date_of_birth": "1988-04-02",
    "sex_at_birth": "female",
    "preferred_language": "English",
    "phone": "07700 900123",
}


def test_search_as_you_type_returns_the_results_fragment(cast, client_for):
    PatientFactory(clinic=cast.clinic, given_name="Yusuf", family_name="Okafor")
    response = client_for(cast.receptionist).get(
        "/patients/", {"q": "okaf"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Okafor, Yusuf" in html and "<html" not in html


def test_search_finds_by_record_number_birth_date_and_phone(cast, client_for):
    target = PatientFactory(
        clinic=cast.clinic, date_of_birth=dt.date(1979, 11, 5), phone="0113 496 0555"
    )
    client = client_for(cast.receptionist)
    for query in [target.record_number, "05/11/1979", "1979-11-05", "496 0555"]:
        assert target.family_name in client.get("/patients/", {"q": query}).content.decode(), query


def test_search_never_shows_another_clinics_patients(cast, client_for):
    html = (
        client_for(cast.receptionist)
        .get("/patients/", {"q": cast.other_patient.family_name})
        .content.decode()
    )
    assert cast.other_patient.record_number not in html


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    PatientFactory.create_batch(40, clinic=cast.clinic)
    client = client_for(cast.receptionist)
    with django_assert_max_num_queries(12):
        response = client.get("/patients/")
    assert "Page 1 of 2" in response.content.decode()


def test_a_search_is_audited_with_the_patients_it_showed(cast, client_for):
    client_for(cast.nurse).get("/patients/", {"q": cast.patient.family_name})
    event = AuditEvent.objects.get(action=Action.VIEW, detail__list="patients")
    assert cast.patient.pk in event.detail["patient_ids"]


def test_registering_warns_of_a_probable_duplicate_and_keeps_the_entries(cast, client_for):
    client = client_for(cast.receptionist)
    form = {
        **FORM,
        "clinic": cast.clinic.pk,
        "given_name": cast.patient.given_name,
        "family_name": cast.patient.family_name,
        "date_of_birth": cast.patient.date_of_birth.isoformat(),
    }
    response = client.post("/patients/new/", form)
    html = response.content.decode()
    assert "Probable duplicate" in html and cast.patient.record_number in html
    assert 'value="07700 900123"' in html
    assert Patient.objects.count() == 2
    confirmed = client.post("/patients/new/", {**form, "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302 and Patient.objects.count() == 3


def test_registering_with_bad_input_names_the_field_and_writes_nothing(cast, client_for):
    response = client_for(cast.receptionist).post(
        "/patients/new/",
        {**FORM, "clinic": cast.clinic.pk, "date_of_birth": "31/02/1990", "given_name": ""},
    )
    html = response.content.decode()
    assert "Enter a valid date." in html and "This field is required." in html
    assert Patient.objects.count() == 2


def test_registering_in_another_clinic_is_refused(cast, client_for):
    response = client_for(cast.receptionist).post(
        "/patients/new/", {**FORM, "clinic": cast.other_clinic.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Patient.objects.count() == 2


def test_the_chart_shows_demographics_and_is_audited(cast, client_for):
    html = client_for(cast.nurse).get(f"/patients/{cast.patient.pk}/").content.decode()
    assert cast.patient.record_number in html and cast.patient.phone in html
    assert "Registered" in html  # the timeline's first entry
    assert AuditEvent.objects.filter(action=Action.VIEW, patient_id=cast.patient.pk).exists()


def test_editing_changes_the_record(cast, client_for):
    client = client_for(cast.receptionist)
    data = {
        **FORM,
        "given_name": cast.patient.given_name,
        "family_name": "Newname",
        "date_of_birth": cast.patient.date_of_birth.isoformat(),
        "sex_at_birth": "male",
    }
    data.pop("clinic")
    assert client.post(f"/patients/{cast.patient.pk}/edit/", data).status_code == 302
    cast.patient.refresh_from_db()
    assert cast.patient.family_name == "Newname"


def test_a_manager_soft_deletes_with_a_reason(cast, client_for):
    client = client_for(cast.manager)
    empty = client.post(f"/patients/{cast.patient.pk}/delete/", {"reason": ""})
    assert "This field is required." in empty.content.decode()
    client.post(f"/patients/{cast.patient.pk}/delete/", {"reason": "Registered twice"})
    assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404
    assert Patient.objects.filter(pk=cast.patient.pk, deletion_reason="Registered twice").exists()


def test_the_chart_query_count_does_not_grow_with_history(
    cast, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.chart_history import add_history

    client = client_for(cast.practitioner)
    with CaptureQueriesContext(connection) as short_history:
        short = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    add_history(cast, entries=15)
    with django_assert_num_queries(len(short_history)):
        long = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert long.count('<li class="kind-') >= short.count('<li class="kind-') + 30
