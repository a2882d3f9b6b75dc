import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.consent import services
from mesotrack.consent.models import ConsentWithdrawal, SignedConsent
from mesotrack.consent.signatures import NOT_PNG_MESSAGE, TOO_LARGE_MESSAGE
from mesotrack.core.errors import DomainError, PermissionDenied
from tests.consent.factories import current_template, png_bytes, sign


def _sign(cast, **overrides):
    arguments = {
        "actor": cast.receptionist,
        "patient": cast.patient,
        "template": current_template("mesotherapy"),
        "typed_name": cast.patient.full_name,
        "signature_png": png_bytes(),
        "witness_confirmed": True,
    }
    return services.consent_sign(**{**arguments, **overrides})


def _assert_nothing_written():
    assert not SignedConsent.objects.exists()
    assert not AuditEvent.objects.filter(object_type="consent.SignedConsent").exists()


def test_signing_stores_the_exact_text_with_its_version_and_witness(cast):
    template = current_template("mesotherapy")
    consent = _sign(cast)
    consent.refresh_from_db()
    assert (consent.kind, consent.template, consent.body_snapshot, consent.title_snapshot) == (
        "mesotherapy",
        template,
        template.body,
        template.title,
    )
    assert consent.witness == cast.receptionist
    assert consent.witness_name == cast.receptionist.get_full_name()
    assert bytes(consent.signature_png) == png_bytes()
    assert consent.expires_on == consent.signed_on.replace(year=consent.signed_on.year + 1)
    assert len(consent.document_sha256) == 64
    assert consent.is_intact


def test_signing_is_audited_with_the_document_fingerprint(cast):
    consent = _sign(cast)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="consent.SignedConsent")
    assert (event.actor, event.patient_id, event.object_id) == (
        cast.receptionist,
        cast.patient.pk,
        str(consent.pk),
    )
    assert event.detail == {
        "kind": "mesotherapy",
        "version": 1,
        "signed_by": "patient",
        "document_sha256": consent.document_sha256,
    }


def test_the_typed_name_matches_ignoring_case_and_spacing(cast):
    shouted = "  " + cast.patient.given_name.upper() + "   " + cast.patient.family_name + " "
    consent = _sign(cast, typed_name=shouted)
    assert consent.typed_name == shouted.strip().replace("   ", " ")


def test_it_refuses_a_typed_name_that_is_not_the_patients(cast):
    with pytest.raises(DomainError) as refused:
        _sign(cast, typed_name="Someone Else")
    assert refused.value.field == "typed_name"
    assert refused.value.message == (
        f"The typed name must be the patient's full name, {cast.patient.full_name}. If someone "
        "else is signing for the patient, say how they are related to them."
    )
    _assert_nothing_written()


def test_a_representative_signs_in_their_own_name_with_the_relationship(cast):
    consent = _sign(cast, typed_name="Maria Guardian", signer_relationship="Legal guardian")
    assert (consent.typed_name, consent.signer_relationship) == ("Maria Guardian", "Legal guardian")
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.detail["signed_by"] == "Legal guardian"


def test_it_refuses_a_missing_typed_name(cast):
    with pytest.raises(DomainError, match="Type the full name of the person signing."):
        _sign(cast, typed_name="   ")
    _assert_nothing_written()


@pytest.mark.parametrize(
    "signature,message",
    [
        (b"GIF89a not a png at all, but long enough to look like one", NOT_PNG_MESSAGE),
        (png_bytes() + b"\0" * (200 * 1024), TOO_LARGE_MESSAGE),
    ],
)
def test_it_refuses_a_bad_signature_and_writes_nothing(cast, signature, message):
    with pytest.raises(DomainError) as refused:
        _sign(cast, signature_png=signature)
    assert (refused.value.field, refused.value.message) == ("signature", message)
    _assert_nothing_written()


def test_the_witness_must_confirm_they_saw_the_signature(cast):
    with pytest.raises(DomainError) as refused:
        _sign(cast, witness_confirmed=False)
    assert refused.value.field == "witness_confirmed"
    assert refused.value.message == "Tick the box to confirm you watched the patient sign."
    _assert_nothing_written()


def test_staff_of_another_clinic_cannot_witness(cast):
    with pytest.raises(PermissionDenied, match="You do not work at this patient's clinic."):
        _sign(cast, actor=cast.other_practitioner)
    _assert_nothing_written()


def test_it_refuses_a_version_that_has_been_replaced(cast):
    old = current_template("mesotherapy")
    services.consent_template_create_version(
        actor=cast.manager, kind="mesotherapy", title="New", body="New text.", valid_for_months=6
    )
    with pytest.raises(DomainError, match="no longer the one to sign"):
        _sign(cast, template=old)
    _assert_nothing_written()


def test_it_refuses_when_the_text_changed_while_the_page_was_open(cast):
    with pytest.raises(DomainError, match="changed while the page was open"):
        _sign(cast, shown_text_sha256="0" * 64)
    consent = _sign(cast, shown_text_sha256=current_template("mesotherapy").text_sha256)
    assert consent.pk


def test_a_signed_consent_can_never_be_saved_again_or_deleted(cast):
    consent = _sign(cast)
    consent.typed_name = "Someone Else"
    with pytest.raises(DomainError, match="A signed consent cannot be changed"):
        consent.save()
    with pytest.raises(DomainError, match="record a withdrawal instead"):
        consent.delete()
    consent.refresh_from_db()
    assert consent.typed_name == cast.patient.full_name


def test_tampering_behind_the_models_back_is_detected_or_refused(cast):
    from django.db import DatabaseError, connection, transaction

    consent = _sign(cast)
    tampered = SignedConsent.objects.filter(pk=consent.pk)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="signed record"), transaction.atomic():
            tampered.update(typed_name="Someone Else")
    else:
        tampered.update(typed_name="Someone Else")
        assert not SignedConsent.objects.get(pk=consent.pk).is_intact


def test_withdrawal_is_recorded_and_audited_without_touching_the_consent(cast):
    consent = _sign(cast)
    withdrawal = services.consent_withdraw(
        actor=cast.nurse, consent=consent, reason="  Does not want more injections. "
    )
    assert (withdrawal.reason, withdrawal.recorded_by, withdrawal.recorded_by_name) == (
        "Does not want more injections.",
        cast.nurse,
        cast.nurse.get_full_name(),
    )
    assert SignedConsent.objects.get(pk=consent.pk).is_intact
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(consent.pk))
    assert event.detail == {
        "withdrawn": True,
        "kind": "mesotherapy",
        "reason": "Does not want more injections.",
    }
    with pytest.raises(DomainError, match="A recorded withdrawal cannot be changed."):
        withdrawal.save()


def test_withdrawal_needs_a_reason(cast):
    consent = _sign(cast)
    with pytest.raises(DomainError) as refused:
        services.consent_withdraw(actor=cast.nurse, consent=consent, reason="  ")
    assert (refused.value.field, refused.value.message) == (
        "reason",
        "Say why the consent is withdrawn, in the patient's words if you can.",
    )
    assert not ConsentWithdrawal.objects.exists()


def test_a_consent_is_withdrawn_only_once_and_only_the_latest(cast):
    older = _sign(cast)
    newer = sign(patient=cast.patient, witness=cast.nurse, at=timezone.now() + dt.timedelta(1))
    with pytest.raises(DomainError, match="Withdraw the latest one."):
        services.consent_withdraw(actor=cast.nurse, consent=older, reason="x")
    services.consent_withdraw(actor=cast.nurse, consent=newer, reason="x")
    with pytest.raises(DomainError, match="already been withdrawn"):
        services.consent_withdraw(actor=cast.nurse, consent=newer, reason="x")
    assert ConsentWithdrawal.objects.count() == 1


def test_staff_of_another_clinic_cannot_record_a_withdrawal(cast):
    consent = _sign(cast)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=cast.other_practitioner, consent=consent, reason="x")
    assert not ConsentWithdrawal.objects.exists()
