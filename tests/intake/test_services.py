import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.intake import services
from mesotrack.intake.answers import IntakeAnswersInvalid
from mesotrack.intake.models import Intake, IntakeStatus, SignedIntakeError
from tests.intake.conftest import TAKEN_ON, full_answers


def intake_events(action: Action) -> list[dict]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(action=action, object_type="intake.Intake").order_by(
            "id"
        )
    ]


def test_it_starts_version_one_as_an_empty_draft(cast):
    intake = services.intake_start(actor=cast.nurse, patient=cast.patient)
    assert (intake.version, intake.status, intake.supersedes) == (1, IntakeStatus.DRAFT, None)
    assert intake.answers["medications"] == []
    assert intake.answers["reproductive"]["pregnant"] is None
    assert intake_events(Action.CREATE) == [{"version": 1, "copied_from_version": None}]


def test_it_refuses_a_second_draft(cast, draft):
    with pytest.raises(DomainError) as refused:
        services.intake_start(actor=cast.practitioner, patient=cast.patient)
    assert refused.value.message == (
        "Version 1 is still a draft: finish and sign it before starting another."
    )
    assert Intake.objects.count() == 1


def test_a_new_version_starts_as_a_copy_of_the_signed_one(cast, signed):
    second = services.intake_start(actor=cast.nurse, patient=cast.patient)
    assert (second.version, second.status, second.supersedes) == (2, IntakeStatus.DRAFT, signed)
    assert second.answers == signed.answers
    assert intake_events(Action.CREATE)[-1] == {"version": 2, "copied_from_version": 1}


@pytest.mark.parametrize("who", ["receptionist", "other_practitioner", "patient_user"])
def test_only_clinical_staff_of_the_clinic_may_start(cast, who):
    with pytest.raises(PermissionDenied) as refused:
        services.intake_start(actor=getattr(cast, who), patient=cast.patient)
    assert refused.value.message == (
        "Only clinical staff of this patient's clinic can work on the intake."
    )
    assert not Intake.objects.exists()


def test_update_stores_answers_with_lab_values_in_canonical_units(cast, draft):
    services.intake_update(actor=cast.manager, intake=draft, answers=full_answers())
    draft.refresh_from_db()
    labs = draft.answers["labs"]
    assert labs[1] == {
        "test": "vitamin_d_25oh",
        "name": "",
        "value": "40",
        "unit": "nmol/L",
        "taken_on": "2025-03-14",
        "canonical_value": "16.0",
        "canonical_unit": "ng/mL",
    }
    assert (labs[0]["unit"], labs[0]["canonical_value"], labs[0]["canonical_unit"]) == (
        "ng/mL",
        "18.0",
        "µg/L",
    )
    assert draft.updated_by == cast.manager
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="intake.Intake")
    assert event.patient_id == cast.patient.pk
    assert event.detail["version"] == 1
    assert set(event.detail["sections"]) >= {"labs", "allergies", "medical_history"}


def test_saving_the_same_answers_again_writes_no_event(cast, draft):
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    assert len(intake_events(Action.UPDATE)) == 1


def test_it_refuses_to_change_a_signed_intake(cast, signed):
    before = dict(signed.answers)
    with pytest.raises(DomainError) as refused:
        services.intake_update(actor=cast.practitioner, intake=signed, answers=full_answers())
    assert refused.value.message == (
        "This intake is signed and cannot be changed; start a new version."
    )
    signed.refresh_from_db()
    assert signed.answers == before


def assert_refused(cast, draft, answers, field, message):
    with pytest.raises(IntakeAnswersInvalid) as refused:
        services.intake_update(actor=cast.nurse, intake=draft, answers=answers)
    assert refused.value.errors[field] == [message]
    draft.refresh_from_db()
    assert draft.answers["labs"] == []
    assert intake_events(Action.UPDATE) == []


def test_it_rejects_a_condition_not_on_the_list(cast, draft):
    answers = full_answers(medical_history={"conditions": ["gout"]})
    assert_refused(
        cast,
        draft,
        answers,
        "medical_history.conditions.0",
        "“gout” is not on the list of medical conditions.",
    )


def test_it_rejects_an_implausible_lab_value(cast, draft):
    labs = [{"test": "ferritin", "value": "9000", "unit": "µg/L", "taken_on": TAKEN_ON}]
    assert_refused(
        cast,
        draft,
        full_answers(labs=labs),
        "labs.0.value",
        "Ferritin 9000 µg/L is outside the plausible range 1–5000 µg/L; check the lab report.",
    )


def test_it_rejects_a_unit_the_test_is_not_reported_in(cast, draft):
    labs = [{"test": "vitamin_d_25oh", "value": "40", "unit": "mg/dL", "taken_on": TAKEN_ON}]
    assert_refused(
        cast,
        draft,
        full_answers(labs=labs),
        "labs.0.unit",
        "25-OH vitamin D is recorded in ng/mL or nmol/L.",
    )


def test_it_rejects_a_lab_date_in_the_future(cast, draft):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    labs = [{"test": "tsh", "value": "2", "unit": "mIU/L", "taken_on": tomorrow}]
    assert_refused(
        cast,
        draft,
        full_answers(labs=labs),
        "labs.0.taken_on",
        "Enter a date that is not in the future.",
    )


def test_a_transplant_needs_its_date(cast, draft):
    treatments = [{"treatment": "hair_transplant", "graft_count": 2000}]
    assert_refused(
        cast,
        draft,
        full_answers(prior_treatments=treatments),
        "prior_treatments.0.started_on",
        "Give the date of the transplant (approximate is fine).",
    )


def test_a_graft_count_only_belongs_to_a_transplant(cast, draft):
    treatments = [{"treatment": "prp", "graft_count": 2000}]
    assert_refused(
        cast,
        draft,
        full_answers(prior_treatments=treatments),
        "prior_treatments.0.graft_count",
        "A graft count only applies to a hair transplant.",
    )


def test_no_known_allergies_cannot_come_with_allergies(cast, draft):
    assert_refused(
        cast,
        draft,
        full_answers(no_known_allergies=True),
        "no_known_allergies",
        "Untick “no known allergies”, or remove the allergies listed.",
    )


def test_a_weight_out_of_range_is_refused(cast, draft):
    assert_refused(cast, draft, full_answers(weight_kg="700"), "weight_kg", "Enter at most 350.")


def test_controlled_and_uncontrolled_cannot_both_be_ticked(cast, draft):
    history = {"conditions": ["hypertension_controlled", "hypertension_uncontrolled"]}
    assert_refused(
        cast,
        draft,
        full_answers(medical_history=history),
        "medical_history.conditions",
        "Choose either “High blood pressure, controlled” or "
        "“High blood pressure, not controlled”, not both.",
    )


@pytest.mark.parametrize("who", ["nurse", "manager", "other_practitioner"])
def test_only_a_practitioner_of_the_clinic_signs(cast, draft, who):
    with pytest.raises(PermissionDenied) as refused:
        services.intake_sign(actor=getattr(cast, who), intake=draft)
    assert refused.value.message == "Only a practitioner can sign an intake."
    draft.refresh_from_db()
    assert draft.status == IntakeStatus.DRAFT


def test_signing_records_who_and_when(cast, draft):
    services.intake_sign(actor=cast.practitioner, intake=draft)
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == (IntakeStatus.SIGNED, cast.practitioner)
    assert draft.signed_at is not None
    assert intake_events(Action.SIGN) == [{"version": 1}]


def test_it_refuses_to_sign_twice(cast, signed):
    with pytest.raises(DomainError, match="This intake is already signed."):
        services.intake_sign(actor=cast.practitioner, intake=signed)


def test_a_signed_row_cannot_be_saved_or_deleted(signed):
    signed.answers = {}
    with pytest.raises(SignedIntakeError):
        signed.save()
    fresh = Intake.objects.get(pk=signed.pk)
    with pytest.raises(SignedIntakeError):
        fresh.delete()
    assert Intake.objects.get(pk=signed.pk).answers["labs"]


def test_the_database_refuses_a_bulk_update_of_a_signed_row(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        Intake.objects.filter(pk=signed.pk).update(answers={})
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            Intake.objects.filter(pk=signed.pk).delete()
    assert Intake.objects.get(pk=signed.pk).answers["weight_kg"] == "64.5"


def test_the_answers_keep_the_value_as_entered(cast, draft):
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    draft.refresh_from_db()
    assert Decimal(draft.answers["labs"][1]["value"]) == Decimal("40")


def test_a_save_from_a_copy_someone_else_changed_is_refused(cast, draft):
    opened_at = draft.updated_at
    services.intake_update(actor=cast.manager, intake=draft, answers=full_answers())
    stale = Intake.objects.get(pk=draft.pk)
    with pytest.raises(DomainError) as refused:
        services.intake_update(
            actor=cast.nurse,
            intake=stale,
            answers=full_answers(weight_kg="70"),
            loaded_at=opened_at,
        )
    assert refused.value.message == (
        "Someone else saved this draft after you opened it. Open it again to see their "
        "changes, then make yours."
    )
    assert Intake.objects.get(pk=draft.pk).answers["weight_kg"] == "64.5"
