import pytest
from django.urls import reverse

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.consent.models import ConsentWithdrawal, SignedConsent
from mesotrack.consent.signatures import NOT_PNG_MESSAGE
from tests.consent.factories import current_template, data_url, png_bytes, sign


def _sign_url(cast, kind="mesotherapy"):
    return reverse("consent:sign", args=[cast.patient.pk, kind])


def _form(cast, **overrides):
    template = current_template("mesotherapy")
    return {
        "template_id": template.pk,
        "shown_text_sha256": template.text_sha256,
        "typed_name": cast.patient.full_name,
        "signer_relationship": "",
        "signature": data_url(png_bytes()),
        "witness_confirmed": "on",
        **overrides,
    }


def test_the_signing_page_shows_the_current_text_and_a_signature_pad(cast, client_for):
    response = client_for(cast.nurse).get(_sign_url(cast))
    template = current_template("mesotherapy")
    assert response.status_code == 200
    body = response.content.decode()
    assert template.title in body
    assert "patches of hair loss or scarring" in body
    assert "<canvas" in body and "consent/signature.js" in body
    assert "A drawn signature is required" in body
    event = AuditEvent.objects.get(patient_id=cast.patient.pk, action=Action.VIEW)
    assert event.detail == {"signing": "mesotherapy"}


def test_a_receptionist_witnesses_a_signature_end_to_end(cast, client_for):
    client = client_for(cast.receptionist)
    response = client.post(_sign_url(cast), _form(cast))
    consent = SignedConsent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:detail", args=[cast.patient.pk, consent.pk])
    assert (consent.witness, bytes(consent.signature_png)) == (cast.receptionist, png_bytes())
    page = client.get(response["Location"]).content.decode()
    assert consent.document_sha256 in page
    assert "Mesotherapy consent signed and stored." in page
    assert reverse("consent:signature", args=[cast.patient.pk, consent.pk]) in page


def test_a_bad_signature_gets_a_clear_message_and_keeps_the_typed_name(cast, client_for):
    response = client_for(cast.nurse).post(
        _sign_url(cast), _form(cast, signature="data:image/png;base64,iVBORw0KGgo=")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert NOT_PNG_MESSAGE in body
    assert f'value="{cast.patient.full_name}"' in body
    assert not SignedConsent.objects.exists()


def test_a_missing_signature_and_a_wrong_name_are_both_explained(cast, client_for):
    response = client_for(cast.nurse).post(_sign_url(cast), _form(cast, signature=""))
    assert "Ask the patient to draw their signature in the box." in response.content.decode()
    response = client_for(cast.nurse).post(_sign_url(cast), _form(cast, typed_name="Nobody"))
    body = response.content.decode()
    assert "The typed name must be the patient&#x27;s full name" in body
    # The drawing is kept, so the patient does not sign twice.
    assert data_url(png_bytes()) in body
    response = client_for(cast.nurse).post(_sign_url(cast), _form(cast, witness_confirmed=""))
    assert "Tick the box to confirm you watched the patient sign." in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_a_form_replaced_while_the_page_was_open_is_not_signed(cast, client_for):
    response = client_for(cast.nurse).post(
        _sign_url(cast), _form(cast, template_id=current_template("prp").pk)
    )
    assert "A newer version of this form was published" in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_an_unknown_kind_is_not_found(cast, client_for):
    response = client_for(cast.nurse).get(_sign_url(cast, kind="tattoo"))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["consent:detail", "consent:signature", "consent:withdraw"])
def test_another_clinics_staff_get_not_found(cast, client_for, name):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    response = client_for(cast.other_practitioner).get(
        reverse(name, args=[cast.patient.pk, consent.pk])
    )
    assert response.status_code == 404


def test_a_consent_of_another_patient_is_not_found_under_this_one(cast, client_for):
    other = sign(patient=cast.other_patient, witness=cast.other_practitioner)
    response = client_for(cast.nurse).get(
        reverse("consent:signature", args=[cast.patient.pk, other.pk])
    )
    assert response.status_code == 404


def test_the_signature_image_is_served_privately_and_audited(cast, client_for):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    response = client_for(cast.practitioner).get(
        reverse("consent:signature", args=[cast.patient.pk, consent.pk])
    )
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == png_bytes()
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert (event.actor, event.patient_id, event.object_id, event.detail) == (
        cast.practitioner,
        cast.patient.pk,
        str(consent.pk),
        {"part": "signature image"},
    )


def test_the_list_shows_each_kind_with_its_history(cast, client_for, django_assert_max_num_queries):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    for _ in range(5):
        sign(patient=cast.patient, witness=cast.nurse, kind="data_processing")
    client = client_for(cast.receptionist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("consent:list", args=[cast.patient.pk]))
    body = response.content.decode()
    assert 'data-testid="state-mesotherapy">Valid' in body
    assert 'data-testid="state-prp">Not signed' in body
    assert reverse("consent:detail", args=[cast.patient.pk, consent.pk]) in body


def test_withdrawal_needs_a_reason_then_is_recorded(cast, client_for):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    url = reverse("consent:withdraw", args=[cast.patient.pk, consent.pk])
    client = client_for(cast.receptionist)
    response = client.post(url, {"reason": ""})
    assert "Say why the consent is withdrawn" in response.content.decode()
    assert not ConsentWithdrawal.objects.exists()
    response = client.post(url, {"reason": "Prefers tablets."})
    assert response.status_code == 302
    withdrawal = ConsentWithdrawal.objects.get()
    assert (withdrawal.consent, withdrawal.recorded_by, withdrawal.reason) == (
        consent,
        cast.receptionist,
        "Prefers tablets.",
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="withdrawn"' in page and "Prefers tablets." in page
    assert "Record withdrawal</a>" not in page
