import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.safety import services
from mesotrack.safety.models import AdverseEvent, Notification
from mesotrack.safety.selectors import safety_blocks_for_patient
from tests.formulary.factories import lot
from tests.safety.factories import adverse_event, event_input, signed_session


def test_it_records_an_event_linked_to_a_session_with_its_practitioner(cast) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    event = adverse_event(cast.patient, cast.nurse, session, zones=["vertex", "frontal"])
    assert event.session == session
    assert event.practitioner == cast.practitioner
    assert event.zones == ["frontal", "vertex"]
    assert event.serious is False
    audit = AuditEvent.objects.get(object_type="safety.AdverseEvent", action="create")
    assert (audit.patient_id, audit.actor) == (cast.patient.pk, cast.nurse)
    assert audit.detail == {"term": "bruising", "grade": 1, "serious": False}


def test_a_patient_only_event_needs_no_session(cast) -> None:
    event = adverse_event(cast.patient, cast.nurse, term="headache")
    assert event.session is None and event.practitioner is None


def test_a_mild_event_alerts_no_one_and_blocks_nothing(cast) -> None:
    adverse_event(cast.patient, cast.nurse, grade=2)
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert safety_blocks_for_patient(cast.patient) == []


def test_a_grade_3_event_alerts_the_manager_and_blocks_sessions_until_reviewed(
    cast, django_capture_on_commit_callbacks
) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        event = adverse_event(cast.patient, cast.nurse, session, term="necrosis", grade=3)
    notification = Notification.objects.get()
    assert notification.recipient == cast.manager
    assert notification.text == (
        f"Grade 3 adverse event for {cast.patient.record_number}: Necrosis. Sessions are blocked."
    )
    assert notification.url == f"/patients/{cast.patient.pk}/adverse-events/{event.pk}/"
    assert [m.to for m in mail.outbox] == [[cast.manager.email]]
    assert mail.outbox[0].subject == "MesoTrack: adverse event needs review"
    onset = timezone.localtime(event.onset_at)
    assert safety_blocks_for_patient(cast.patient) == [
        f"Necrosis (grade 3) reported on {onset:%d %b %Y} must be reviewed by a practitioner "
        "before another session."
    ]
    services.adverse_event_review(actor=cast.practitioner, event=event, notes="Debrided; healing.")
    assert safety_blocks_for_patient(cast.patient) == []
    event.refresh_from_db()
    assert (event.reviewed_by, event.review_notes) == (cast.practitioner, "Debrided; healing.")
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="sign").count() == 1


def test_a_serious_grade_1_event_also_blocks(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        adverse_event(cast.patient, cast.nurse, term="hypotension", seriousness=["hospitalisation"])
    assert "(grade 1, serious)" in safety_blocks_for_patient(cast.patient)[0]
    assert Notification.objects.get().text.startswith("Serious adverse event")


def test_only_a_practitioner_reviews(cast) -> None:
    event = adverse_event(cast.patient, cast.nurse, grade=3)
    for actor in (cast.nurse, cast.manager, cast.other_practitioner):
        with pytest.raises(PermissionDenied) as refused:
            services.adverse_event_review(actor=actor, event=event, notes="Fine.")
        assert refused.value.message == services.ONLY_PRACTITIONERS_REVIEW
    assert safety_blocks_for_patient(cast.patient) != []


def test_a_review_needs_notes_and_happens_once(cast) -> None:
    event = adverse_event(cast.patient, cast.nurse, grade=3)
    with pytest.raises(DomainError, match="Write what the review found and decided."):
        services.adverse_event_review(actor=cast.practitioner, event=event, notes="  ")
    services.adverse_event_review(actor=cast.practitioner, event=event, notes="Seen.")
    with pytest.raises(DomainError, match="already been reviewed"):
        services.adverse_event_review(actor=cast.practitioner, event=event, notes="Again.")


def test_it_edits_until_reviewed_and_alerts_when_an_edit_makes_it_severe(
    cast, django_capture_on_commit_callbacks
) -> None:
    event = adverse_event(cast.patient, cast.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        services.adverse_event_update(
            actor=cast.nurse, event=event, data=event_input(term="infection_abscess", grade=3)
        )
    assert Notification.objects.count() == 1
    services.adverse_event_review(actor=cast.practitioner, event=event, notes="Drained.")
    with pytest.raises(DomainError) as refused:
        services.adverse_event_update(actor=cast.nurse, event=event, data=event_input())
    assert refused.value.message == services.REVIEWED_MESSAGE
    assert AdverseEvent.objects.get().term == "infection_abscess"


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"term": "sneezing"}, "term", "Choose an adverse event from the list."),
        ({"term": "other"}, "other_term", "Describe the event when the term is Other."),
        ({"grade": 6}, "grade", "The grade is a CTCAE grade from 1 to 5."),
        ({"pain_nrs": 11}, "pain_nrs", "Pain is scored from 0 to 10."),
        (
            {"onset_at": timezone.now() + dt.timedelta(hours=2)},
            "onset_at",
            "The onset cannot be in the future.",
        ),
        ({"causality": "maybe"}, "causality", "Choose the causality."),
        (
            {"grade": 5, "outcome": "fatal"},
            "seriousness",
            "A grade 5 event is a death: tick 'Resulted in death'.",
        ),
        ({"outcome": "fatal"}, "outcome", "A fatal outcome goes with grade 5, and only with it."),
        ({"zones": ["forehead"]}, "zones", "Choose zones from the scalp map's list."),
        (
            {"suspected_ingredients": ["unicorn"]},
            "suspected_ingredients",
            "Choose ingredients from the list.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(
    cast, overrides, field, message
) -> None:
    with pytest.raises(DomainError) as refused:
        adverse_event(cast.patient, cast.nurse, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert AdverseEvent.objects.count() == 0


def test_the_onset_cannot_precede_the_session(cast) -> None:
    session = signed_session(cast.patient, cast.practitioner)
    with pytest.raises(DomainError, match="The onset cannot be before the session began."):
        adverse_event(
            cast.patient, cast.nurse, session, onset_at=session.checked_in_at - dt.timedelta(days=1)
        )


def test_a_session_of_another_patient_is_refused(cast) -> None:
    session = signed_session(cast.other_patient, cast.other_practitioner)
    with pytest.raises(DomainError, match="The session belongs to another patient."):
        adverse_event(cast.patient, cast.nurse, session)


def test_a_lot_of_another_clinic_is_refused(cast) -> None:
    foreign = lot(cast, clinic=cast.other_clinic, number="Y-1", actor=cast.other_practitioner)
    with pytest.raises(DomainError, match="A suspected lot must be one of the clinic's lots."):
        adverse_event(cast.patient, cast.nurse, suspected_lot_ids=[foreign.pk])
    own = lot(cast)
    event = adverse_event(cast.patient, cast.nurse, suspected_lot_ids=[own.pk])
    assert list(event.suspected_lots.all()) == [own]


def test_staff_outside_clinical_roles_or_clinic_cannot_record(cast) -> None:
    for actor in (cast.receptionist, cast.other_practitioner):
        with pytest.raises(PermissionDenied, match="Only clinical staff"):
            adverse_event(cast.patient, actor)
    assert AdverseEvent.objects.count() == 0


def test_marking_notifications_read_clears_the_unread_count(cast) -> None:
    from mesotrack.safety.selectors import notifications_unread_count

    adverse_event(cast.patient, cast.nurse, grade=4)
    assert notifications_unread_count(user=cast.manager) == 1
    assert services.notifications_mark_read(user=cast.manager) == 1
    assert notifications_unread_count(user=cast.manager) == 0


def test_charting_refuses_a_new_session_until_the_grade_3_event_is_reviewed(cast) -> None:
    from mesotrack.charting.services.gate import refuse_safety_blocks

    event = adverse_event(cast.patient, cast.nurse, term="necrosis", grade=3)
    with pytest.raises(DomainError) as refused:
        refuse_safety_blocks(cast.patient)
    assert refused.value.message.startswith("Necrosis (grade 3) reported on ")
    assert refused.value.field == "safety"
    services.adverse_event_review(actor=cast.practitioner, event=event, notes="Healing.")
    refuse_safety_blocks(cast.patient)
