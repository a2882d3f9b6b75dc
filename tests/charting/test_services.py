"""The session workflow: each block with its exact message, stock moving at signing,
immutability, addenda, co-signature and the follow-up calls."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.charting import services
from mesotrack.charting.models import (
    FollowUpCall,
    InjectionRecord,
    SessionStatus,
    SignedSessionError,
    TreatmentSession,
)
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services as formulary
from mesotrack.formulary.models import MovementKind, StockMovement
from mesotrack.formulary.selectors import lot_on_hand
from tests.assessment.factories import make_pregnant, signed_intake
from tests.charting.factories import (
    NO_FACTS,
    chart_zone,
    checked_in,
    checklist_done,
    in_procedure,
    minutes_ago,
    ready_patient,
    ready_to_sign,
    stocked_lot,
)

pytestmark = pytest.mark.django_db


def test_it_checks_a_patient_in_and_audits_it(cast) -> None:
    session = checked_in(cast)
    assert session.status == SessionStatus.CHECKED_IN
    assert session.clinic == cast.clinic
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(session.pk), patient_id=cast.patient.pk
    ).exists()


def test_it_refuses_a_second_open_session(cast) -> None:
    checked_in(cast)
    with pytest.raises(DomainError) as error:
        checked_in(cast)
    assert error.value.message == (
        "This patient already has a session in progress; finish or abandon it first."
    )


def test_a_receptionist_cannot_check_in(cast) -> None:
    with pytest.raises(PermissionDenied):
        services.session_check_in(
            actor=cast.receptionist,
            patient=cast.patient,
            practitioner=cast.practitioner,
            modality="mesotherapy",
        )


def test_it_blocks_the_checklist_until_identity_is_confirmed(cast) -> None:
    session = checked_in(ready_patient(cast) and cast)
    with pytest.raises(DomainError) as error:
        services.session_checklist_complete(
            actor=cast.nurse,
            session=session,
            identity_confirmed=False,
            today=services.TodayInput(),
        )
    assert error.value.message == (
        "Confirm the patient's full name and date of birth before going on."
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CHECKED_IN


def test_it_blocks_the_checklist_without_a_valid_consent(cast) -> None:
    signed_intake(cast.patient, cast.nurse, cast.practitioner, **NO_FACTS)
    session = checked_in(cast)
    with pytest.raises(services.ChecklistBlocked) as error:
        checklist_done(session, cast.nurse)
    today = dt.date.today()
    assert error.value.message == (
        f"There is no valid Mesotherapy consent for {today:%d %b %Y}: the patient must sign it "
        "before the procedure."
    )
    assert error.value.link == f"/patients/{cast.patient.pk}/consents/sign/mesotherapy/"
    session.refresh_from_db()
    assert session.status == SessionStatus.CHECKED_IN


def test_it_blocks_the_checklist_when_screening_blocks(cast) -> None:
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    from tests.consent.factories import sign

    sign(patient=cast.patient, witness=cast.nurse)
    session = checked_in(cast)
    with pytest.raises(services.ChecklistBlocked) as error:
        services.session_checklist_complete(
            actor=cast.nurse,
            session=session,
            identity_confirmed=True,
            today=services.TodayInput(pregnant=True),
        )
    assert error.value.message.startswith("Screening stops this session today: ")
    assert error.value.message.endswith(
        "A practitioner can override a block with a reason on the screening page; a "
        "postponement waits until the facts change."
    )
    assert error.value.link == f"/patients/{cast.patient.pk}/assessments/screening/"


def test_todays_fever_postpones_the_session(cast) -> None:
    ready_patient(cast)
    session = checked_in(cast)
    with pytest.raises(services.ChecklistBlocked) as error:
        services.session_checklist_complete(
            actor=cast.nurse,
            session=session,
            identity_confirmed=True,
            today=services.TodayInput(fever=True),
        )
    assert error.value.code == "screening_block"


def test_it_refuses_to_start_before_the_numbing_cream_has_worked(cast) -> None:
    ready_patient(cast)
    applied = minutes_ago(10)
    session = checklist_done(
        checked_in(cast),
        cast.nurse,
        numbing_agent="emla",
        numbing_amount_g="2",
        numbing_area="vertex and mid-scalp",
        numbing_applied_at=applied,
    )
    assert session.numbing_amount_g == Decimal("2.0")
    ready = services.numbing_ready_at(session)
    assert ready == applied + dt.timedelta(minutes=45)
    from django.utils import timezone

    with pytest.raises(DomainError) as error:
        services.session_procedure_start(actor=cast.practitioner, session=session)
    assert error.value.message == (
        f"The numbing cream needs at least 45 minutes: wait until "
        f"{timezone.localtime(ready):%H:%M}, or a practitioner records why to start earlier."
    )
    with pytest.raises(DomainError) as error:
        services.session_procedure_start(
            actor=cast.nurse, session=session, early_start_reason="Patient in a hurry"
        )
    assert error.value.message == "Only a practitioner can start before the numbing wait ends."
    started = services.session_procedure_start(
        actor=cast.practitioner, session=session, early_start_reason="Lidocaine infiltration added"
    )
    assert started.status == SessionStatus.IN_PROCEDURE
    assert started.early_start_reason == "Lidocaine infiltration added"


def test_it_starts_once_the_wait_is_over(cast) -> None:
    ready_patient(cast)
    session = checklist_done(
        checked_in(cast),
        cast.nurse,
        numbing_agent="emla",
        numbing_amount_g="2",
        numbing_area="vertex",
        numbing_applied_at=minutes_ago(50),
    )
    started = services.session_procedure_start(actor=cast.nurse, session=session)
    assert started.status == SessionStatus.IN_PROCEDURE


def test_it_asks_for_the_grams_of_cream(cast) -> None:
    ready_patient(cast)
    with pytest.raises(DomainError) as error:
        checklist_done(
            checked_in(cast),
            cast.nurse,
            numbing_agent="emla",
            numbing_amount_g="",
            numbing_area="vertex",
            numbing_applied_at=minutes_ago(5),
        )
    assert error.value.message == "Give the grams of cream applied."


@pytest.mark.parametrize(
    "change,message",
    [
        ("expired", "Lot L-EXP expired on {expiry}: it must not be used."),
        ("quarantined", "Lot L-EXP is quarantined: it cannot be used until it is released."),
        ("recalled", "Lot L-EXP has been recalled: it must not be used."),
    ],
)
def test_it_refuses_an_unusable_lot(cast, change, message) -> None:
    session = in_procedure(cast)
    bad = stocked_lot(cast, number="L-EXP")
    if change == "expired":
        type(bad).objects.filter(pk=bad.pk).update(
            expiry_date=dt.date.today() - dt.timedelta(days=1)
        )
        bad.refresh_from_db()
    elif change == "quarantined":
        formulary.lot_quarantine(actor=cast.practitioner, lot=bad, reason="Cloudy vial")
    else:
        formulary.lot_recall(actor=cast.practitioner, lot=bad, reason="Supplier recall")
    bad.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.lot_use_add(actor=cast.nurse, session=session, lot=bad, volume_ml="1")
    assert error.value.message == message.format(expiry=f"{bad.expiry_date:%d %b %Y}")
    assert not session.lot_uses.exists()


def test_signing_refuses_a_lot_recalled_after_it_was_drawn(cast) -> None:
    session, used = ready_to_sign(cast)
    formulary.lot_recall(actor=cast.practitioner, lot=used, reason="Supplier recall")
    with pytest.raises(DomainError) as error:
        services.session_sign(session=session, signed_by=cast.practitioner)
    assert error.value.message == "Lot L-001 has been recalled: it must not be used."
    session.refresh_from_db()
    assert session.status == SessionStatus.POST_PROCEDURE
    assert not StockMovement.objects.filter(kind=MovementKind.USE).exists()


def test_it_refuses_to_sign_when_volumes_do_not_reconcile(cast) -> None:
    session = in_procedure(cast)
    chart_zone(cast, session, "vertex", "1.50")
    services.lot_use_add(actor=cast.nurse, session=session, lot=stocked_lot(cast), volume_ml="1.40")
    services.session_procedure_end(actor=cast.practitioner, session=session)
    services.session_post_procedure_record(actor=cast.practitioner, session=session, pain_nrs=2)
    with pytest.raises(DomainError) as error:
        services.session_sign(session=session, signed_by=cast.practitioner)
    assert error.value.message == (
        "The zones add up to 1.50 mL but 1.40 mL was drawn from lots and syringes; they must "
        "agree to within 0.05 mL before signing."
    )


def test_a_difference_of_five_hundredths_reconciles(cast) -> None:
    session = in_procedure(cast)
    chart_zone(cast, session, "vertex", "1.50")
    services.lot_use_add(actor=cast.nurse, session=session, lot=stocked_lot(cast), volume_ml="1.55")
    services.session_procedure_end(actor=cast.practitioner, session=session)
    services.session_post_procedure_record(actor=cast.practitioner, session=session, pain_nrs=2)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    assert signed.status == SessionStatus.SIGNED


def test_signing_moves_the_stock_and_books_the_calls(
    cast, django_capture_on_commit_callbacks
) -> None:
    cast.patient.email = "patient@example.org"
    cast.patient.save()
    session, used = ready_to_sign(cast, "2.00")
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.session_sign(session=session, signed_by=cast.practitioner)
    assert signed.status == SessionStatus.SIGNED
    assert lot_on_hand(lot=used) == Decimal("18.00")
    movement = StockMovement.objects.get(kind=MovementKind.USE)
    assert movement.session_ref == f"charting.TreatmentSession:{signed.pk}"
    assert movement.patient == cast.patient
    calls = list(FollowUpCall.objects.filter(session=signed).order_by("due_from"))
    assert [c.kind for c in calls] == ["early", "week"]
    assert calls[0].due_from == signed.signed_at + dt.timedelta(hours=24)
    assert calls[0].due_by == signed.signed_at + dt.timedelta(hours=72)
    assert calls[1].due_from == signed.signed_at + dt.timedelta(days=7)
    assert AuditEvent.objects.filter(action=Action.SIGN, object_id=str(signed.pk)).exists()
    assert "Keep your hair dry for the first 24 hours." in signed.aftercare_text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["patient@example.org"]
    assert mail.outbox[0].subject == "After your scalp mesotherapy session"
    assert "Wait 2 days before you wash your hair with shampoo." in mail.outbox[0].body


def test_signing_refuses_more_than_the_lot_holds(cast) -> None:
    session = in_procedure(cast)
    chart_zone(cast, session, "vertex", "3.00")
    small = stocked_lot(cast, number="L-SMALL", quantity="2")
    services.lot_use_add(actor=cast.nurse, session=session, lot=small, volume_ml="3.00")
    services.session_procedure_end(actor=cast.practitioner, session=session)
    services.session_post_procedure_record(actor=cast.practitioner, session=session, pain_nrs=2)
    with pytest.raises(DomainError) as error:
        services.session_sign(session=session, signed_by=cast.practitioner)
    assert error.value.message == (
        "Only 2 mL of lot L-SMALL is on hand; taking 3 mL would leave less than none."
    )
    assert lot_on_hand(lot=small) == Decimal("2.00")


def test_a_signed_session_cannot_be_changed(cast) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    signed.notes = "changed"
    with pytest.raises(SignedSessionError):
        signed.save()
    record = InjectionRecord.objects.filter(session=signed).first()
    assert record is not None
    record.volume_ml = Decimal("9")
    with pytest.raises(SignedSessionError):
        record.save()
    with pytest.raises(DomainError):
        chart_zone(cast, signed, "frontal", "1")


def test_the_database_refuses_to_update_a_signed_session(cast) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        TreatmentSession.objects.filter(pk=signed.pk).update(notes="changed")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        InjectionRecord.objects.filter(session=signed).update(volume_ml=Decimal("9"))
    assert connection.vendor in ("sqlite", "postgresql")


def test_corrections_are_addenda(cast) -> None:
    session, _ = ready_to_sign(cast)
    with pytest.raises(DomainError) as error:
        services.session_addendum_add(actor=cast.practitioner, session=session, text="x")
    assert error.value.message == (
        "This session is post-procedure: you cannot add an addendum now."
    )
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    addendum = services.session_addendum_add(
        actor=cast.nurse, session=signed, text="Pain was 4, not 3."
    )
    assert addendum.written_by == cast.nurse
    with pytest.raises(DomainError) as error:
        services.session_addendum_add(actor=cast.nurse, session=signed, text="  ")
    assert error.value.message == "Write the addendum."


def test_a_nurses_note_is_cosigned_by_a_practitioner(cast) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.nurse)
    with pytest.raises(PermissionDenied):
        services.session_cosign(actor=cast.nurse, session=signed)
    cosign = services.session_cosign(actor=cast.practitioner, session=signed, comment="Agreed")
    assert cosign.cosigned_by == cast.practitioner
    with pytest.raises(DomainError) as error:
        services.session_cosign(actor=cast.manager, session=signed)
    assert error.value.message == "This session is already co-signed."


def test_a_practitioners_note_needs_no_cosignature(cast) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    with pytest.raises(DomainError) as error:
        services.session_cosign(actor=cast.manager, session=signed)
    assert error.value.message == "Only a session signed by a nurse needs a co-signature."


def test_it_abandons_with_a_reason_and_moves_no_stock(cast) -> None:
    session = in_procedure(cast)
    with pytest.raises(DomainError) as error:
        services.session_abandon(actor=cast.nurse, session=session, reason=" ")
    assert error.value.message == "Say why the session is abandoned."
    abandoned = services.session_abandon(actor=cast.nurse, session=session, reason="Felt faint")
    assert abandoned.status == SessionStatus.ABANDONED
    assert not StockMovement.objects.filter(kind=MovementKind.USE).exists()


def test_a_follow_up_call_is_recorded_once(cast) -> None:
    session, _ = ready_to_sign(cast)
    signed = services.session_sign(session=session, signed_by=cast.practitioner)
    call = FollowUpCall.objects.filter(session=signed, kind="early").get()
    with pytest.raises(DomainError) as error:
        services.follow_up_call_record(actor=cast.nurse, call=call, reached=True, outcome_notes="")
    assert error.value.message == "Write what the patient said (or that there was no answer)."
    done = services.follow_up_call_record(
        actor=cast.nurse, call=call, reached=True, outcome_notes="Slight tenderness, settling."
    )
    assert done.called_by == cast.nurse and done.reached is True
    with pytest.raises(DomainError) as error:
        services.follow_up_call_record(actor=cast.nurse, call=call, reached=True, outcome_notes="x")
    assert error.value.message == "This call has already been recorded."


def test_zone_input_is_checked(cast) -> None:
    session = in_procedure(cast)
    with pytest.raises(DomainError) as error:
        services.injection_record_set(
            actor=cast.practitioner,
            session=session,
            zone="forehead",
            technique="nappage",
            volume_ml="1",
            depth_mm="2",
            needle="32G × 4 mm",
        )
    assert error.value.message == "Choose a zone on the map."
    with pytest.raises(DomainError) as error:
        services.injection_record_set(
            actor=cast.practitioner,
            session=session,
            zone="vertex",
            technique="nappage",
            volume_ml="0",
            depth_mm="2",
            needle="32G × 4 mm",
        )
    assert error.value.message == "Give the volume in mL (up to 2 decimals)."
    assert not InjectionRecord.objects.exists()


def test_points_with_coordinates_are_kept(cast) -> None:
    session = in_procedure(cast)
    record = services.injection_record_set(
        actor=cast.practitioner,
        session=session,
        zone="vertex",
        technique="point_by_point",
        volume_ml="0.4",
        depth_mm="2",
        needle="30G × 4 mm",
        point_coordinates=[{"x": 50, "y": 40, "view": "top"}, {"x": 52.25, "y": 44, "view": "top"}],
    )
    assert record.points == 2
    assert record.point_coordinates[1] == {"x": 52.2, "y": 44.0, "view": "top"}


def test_an_unreviewed_grade_3_event_stops_the_checklist(cast) -> None:
    from tests.safety.factories import adverse_event, signed_session

    ready_patient(cast)
    earlier = signed_session(cast.patient, cast.practitioner)
    adverse_event(cast.patient, cast.nurse, earlier, grade=3, term="bruising")
    session = checked_in(cast)
    with pytest.raises(DomainError) as error:
        checklist_done(session, cast.nurse)
    assert error.value.code == "safety_block"
    assert "must be reviewed by a practitioner before another session." in error.value.message
    session.refresh_from_db()
    assert session.status == SessionStatus.CHECKED_IN


def test_a_due_measurement_visit_is_a_reminder(cast) -> None:
    from django.utils import timezone

    from mesotrack.charting.selectors import session_reminders
    from mesotrack.courses.models import Appointment
    from tests.courses.factories import booked_course, clinic_week

    clinic_week(cast.clinic)
    course = booked_course(cast.patient, cast.practitioner)
    visit = course.appointments.filter(kind="measurement").order_by("number").first()
    assert visit is not None
    Appointment.objects.filter(pk=visit.pk).update(
        window_earliest=timezone.localdate(), window_latest=timezone.localdate()
    )
    session = checked_in(cast)
    session.course = course
    assert session_reminders(session) == [
        f"{visit.label} is due (window until {timezone.localdate():%d %b %Y}): take the standard "
        "photographs and measurements."
    ]
