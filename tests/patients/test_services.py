import pytest

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.patients import services
from mesotrack.patients.selectors import patient_list_for_user

NEW_PATIENT = {
    "given_name": "Amira",
    "family_name": "Haddad",
    "date_of_birth": "1988-04-02",
    "sex_at_birth": "female",
    "phone": "+44 7700 900123",
}


def test_it_gives_each_clinic_its_own_record_numbers(cast):
    first = services.patient_create(actor=cast.manager, clinic=cast.clinic, data=NEW_PATIENT)
    second = services.patient_create(
        actor=cast.manager, clinic=cast.clinic, data={**NEW_PATIENT, "given_name": "Sara"}
    )
    assert first.record_number == "LDS-000001"
    assert second.record_number == "LDS-000002"


def test_it_refuses_a_probable_duplicate_until_confirmed(cast):
    services.patient_create(actor=cast.receptionist, clinic=cast.clinic, data=NEW_PATIENT)
    shouting = {**NEW_PATIENT, "given_name": "AMIRA"}
    with pytest.raises(services.ProbableDuplicate) as refused:
        services.patient_create(actor=cast.receptionist, clinic=cast.clinic, data=shouting)
    assert "LDS-000001" in refused.value.message
    confirmed = services.patient_create(
        actor=cast.receptionist, clinic=cast.clinic, data=shouting, confirm_not_duplicate=True
    )
    assert confirmed.record_number == "LDS-000002"


def test_it_audits_creation_with_request_facts(cast):
    patient = services.patient_create(actor=cast.nurse, clinic=cast.clinic, data=NEW_PATIENT)
    event = AuditEvent.objects.get(action=Action.CREATE, patient_id=patient.pk)
    assert (event.actor, event.role, event.clinic, event.patient_label) == (
        cast.nurse,
        "nurse",
        cast.clinic,
        patient.record_number,
    )
    assert event.request_id


def test_it_refuses_registration_in_a_clinic_the_user_does_not_work_at(cast):
    with pytest.raises(PermissionDenied):
        services.patient_create(actor=cast.nurse, clinic=cast.other_clinic, data=NEW_PATIENT)


def test_it_writes_nothing_when_a_field_is_invalid(cast):
    with pytest.raises(Exception, match="date_of_birth"):
        services.patient_create(
            actor=cast.nurse,
            clinic=cast.clinic,
            data={**NEW_PATIENT, "date_of_birth": "not a date"},
        )
    cast.clinic.refresh_from_db()
    assert cast.clinic.last_record_number == 0
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_soft_delete_hides_the_patient_but_keeps_the_row(cast):
    services.patient_soft_delete(
        actor=cast.manager, patient=cast.patient, reason="Duplicate of LDS-9"
    )
    assert cast.patient not in patient_list_for_user(user=cast.manager)
    cast.patient.refresh_from_db()
    assert cast.patient.deletion_reason == "Duplicate of LDS-9"
    assert AuditEvent.objects.filter(action=Action.DELETE, patient_id=cast.patient.pk).exists()


def test_only_a_manager_may_delete_and_only_with_a_reason(cast):
    with pytest.raises(PermissionDenied):
        services.patient_soft_delete(actor=cast.practitioner, patient=cast.patient, reason="x")
    with pytest.raises(DomainError, match="why"):
        services.patient_soft_delete(actor=cast.manager, patient=cast.patient, reason="  ")


def test_update_records_which_fields_changed(cast):
    services.patient_update(
        actor=cast.receptionist, patient=cast.patient, data={"phone": "0113 496 0000"}
    )
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.detail == {"fields": ["phone"]}
    assert cast.patient.phone_digits == "01134960000"


def test_it_refuses_a_birth_date_in_the_future(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="in the future"):
        services.patient_create(
            actor=cast.nurse,
            clinic=cast.clinic,
            data={**NEW_PATIENT, "date_of_birth": "2999-01-01"},
        )
