import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction

from mesotrack.audit.models import Action, AppendOnlyError, AuditEvent
from mesotrack.audit.services import audit_record


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(cast):
    event = audit_record(actor=cast.nurse, action=Action.VIEW, patient=cast.patient)
    event.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_rejects_update_and_delete_on_the_audit_table(cast):
    audit_record(actor=cast.nurse, action=Action.VIEW, patient=cast.patient)
    for statement in (
        "UPDATE audit_auditevent SET action = 'delete'",
        "DELETE FROM audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == 1


def test_viewing_a_chart_records_who_what_where_and_the_request(cast, client_for):
    client_for(cast.nurse).get(
        f"/patients/{cast.patient.pk}/", HTTP_X_REQUEST_ID="req-abc", REMOTE_ADDR="10.1.2.3"
    )
    event = AuditEvent.objects.get(action=Action.VIEW, patient_id=cast.patient.pk)
    assert (event.actor_username, event.role, event.clinic_id) == ("nurse", "nurse", cast.clinic.pk)
    assert (event.request_id, event.ip_address) == ("req-abc", "10.1.2.3")
    assert event.object_type == "patients.Patient"


def test_a_manager_filters_the_trail_by_patient_user_action_and_dates(cast, client_for):
    audit_record(actor=cast.nurse, action=Action.VIEW, patient=cast.patient)
    audit_record(actor=cast.receptionist, action=Action.UPDATE, patient=cast.patient)
    audit_record(actor=cast.other_practitioner, action=Action.VIEW, patient=cast.other_patient)
    manager = client_for(cast.manager)
    page = manager.get(
        "/audit/", {"patient": cast.patient.record_number, "action": "update"}
    ).content.decode()
    assert "reception" in page and ">nurse<" not in page
    assert cast.other_patient.record_number not in manager.get("/audit/").content.decode()
    bad = manager.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date is before the start date." in bad.content.decode()


def test_the_csv_export_holds_the_filtered_events_and_is_itself_audited(cast, client_for):
    audit_record(actor=cast.nurse, action=Action.VIEW, patient=cast.patient)
    audit_record(actor=cast.receptionist, action=Action.UPDATE, patient=cast.patient)
    response = client_for(cast.manager).get("/audit/export.csv", {"user": "reception"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["actor_username"] for row in rows} == {"reception"}
    assert rows[0]["patient_label"] == cast.patient.record_number
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.manager).exists()


def test_a_practitioner_cannot_read_the_trail_and_the_attempt_is_recorded(cast, client_for):
    assert client_for(cast.practitioner).get("/audit/").status_code == 403
    denied = AuditEvent.objects.get(action=Action.PERMISSION_DENIED)
    assert denied.actor == cast.practitioner and denied.detail["path"] == "/audit/"
