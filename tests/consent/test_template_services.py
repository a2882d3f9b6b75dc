import datetime as dt

import pytest
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.consent import services
from mesotrack.consent.models import ConsentTemplate
from mesotrack.consent.selectors import consent_template_current
from mesotrack.core.errors import DomainError, PermissionDenied
from tests.consent.factories import current_template, png_bytes, sign

NEW_TEXT = {
    "title": "Consent to PRP",
    "body": "## What happens\nWe draw blood.",
    "valid_for_months": 6,
}


def test_the_four_forms_ship_as_version_one(db):
    shipped = ConsentTemplate.objects.filter(version=1).order_by("kind")
    assert [(t.kind, t.valid_for_months) for t in shipped] == [
        ("clinical_photography", None),
        ("data_processing", None),
        ("mesotherapy", 12),
        ("prp", 12),
    ]


def test_a_new_version_takes_the_next_number_and_is_audited(cast):
    template = services.consent_template_create_version(actor=cast.manager, kind="prp", **NEW_TEXT)
    assert (template.version, template.created_by, template.effective_from) == (
        2,
        cast.manager,
        timezone.localdate(),
    )
    assert consent_template_current("prp") == template
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="consent.ConsentTemplate")
    assert event.detail == {"kind": "prp", "version": 2}


def test_signed_consents_keep_their_version_and_text_after_a_new_version(cast):
    signed = sign(patient=cast.patient, witness=cast.nurse, kind="prp")
    v1_body = signed.template.body
    services.consent_template_create_version(actor=cast.manager, kind="prp", **NEW_TEXT)
    signed.refresh_from_db()
    assert (signed.template.version, signed.body_snapshot) == (1, v1_body)
    resigned = sign(patient=cast.patient, witness=cast.nurse, kind="prp")
    assert (resigned.template.version, resigned.body_snapshot) == (2, NEW_TEXT["body"])


def test_a_scheduled_version_waits_for_its_day(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    services.consent_template_create_version(
        actor=cast.manager, kind="prp", effective_from=tomorrow, **NEW_TEXT
    )
    assert consent_template_current("prp").version == 1
    assert consent_template_current("prp", on_date=tomorrow).version == 2


def test_only_managers_publish_forms(cast):
    for user in (cast.practitioner, cast.nurse, cast.receptionist):
        with pytest.raises(PermissionDenied, match="Only a clinic manager"):
            services.consent_template_create_version(actor=user, kind="prp", **NEW_TEXT)
    assert not ConsentTemplate.objects.filter(version=2).exists()


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"title": " "}, "title", "Give the form a title."),
        ({"body": ""}, "body", "Write the text the patient will read and sign."),
        (
            {"valid_for_months": 0},
            "valid_for_months",
            "A signature can stay valid for 1 to 120 months; leave it empty for 'until withdrawn'.",
        ),
    ],
)
def test_it_refuses_an_incomplete_form(cast, changes, field, message):
    with pytest.raises(DomainError) as refused:
        services.consent_template_create_version(
            actor=cast.manager, kind="prp", **{**NEW_TEXT, **changes}
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ConsentTemplate.objects.filter(version=2).exists()


def test_an_unsigned_version_can_be_corrected(cast):
    draft = services.consent_template_create_version(actor=cast.manager, kind="prp", **NEW_TEXT)
    services.consent_template_update(
        actor=cast.manager,
        template=draft,
        title="Consent to PRP treatment",
        body=NEW_TEXT["body"],
        valid_for_months=6,
        effective_from=draft.effective_from,
    )
    draft.refresh_from_db()
    assert draft.title == "Consent to PRP treatment"
    assert AuditEvent.objects.get(action=Action.UPDATE).detail == {"fields": ["title"]}


def test_a_signed_version_cannot_be_edited_by_service_or_by_save(cast):
    sign(patient=cast.patient, witness=cast.nurse)
    template = current_template("mesotherapy")
    with pytest.raises(DomainError, match="Create a new version instead."):
        services.consent_template_update(
            actor=cast.manager,
            template=template,
            title="Changed",
            body=template.body,
            valid_for_months=12,
            effective_from=template.effective_from,
        )
    template.body = "Quietly changed."
    with pytest.raises(DomainError, match="its text cannot change"):
        template.save()
    template.refresh_from_db()
    assert template.body != "Quietly changed."


def test_retiring_a_version_stops_signing_but_keeps_signatures(cast):
    signed = sign(patient=cast.patient, witness=cast.nurse, kind="prp")
    services.consent_template_retire(actor=cast.manager, template=signed.template)
    assert consent_template_current("prp") is None
    assert signed.template.signatures.count() == 1
    with pytest.raises(DomainError, match="no longer the one to sign"):
        services.consent_sign(
            actor=cast.nurse,
            patient=cast.patient,
            template=signed.template,
            typed_name=cast.patient.full_name,
            signature_png=png_bytes(),
            witness_confirmed=True,
        )
