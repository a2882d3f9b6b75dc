import pytest
from django.urls import reverse
from django.utils import timezone

from mesotrack.consent.models import ConsentTemplate
from tests.consent.factories import current_template, sign

PAGES = [
    ("consent_templates:list", []),
    ("consent_templates:create", ["prp"]),
    ("consent_templates:detail", ["TEMPLATE"]),
    ("consent_templates:edit", ["TEMPLATE"]),
]


def _url(name, args):
    template_id = current_template("prp").pk
    return reverse(name, args=[template_id if a == "TEMPLATE" else a for a in args])


@pytest.mark.parametrize("name,args", PAGES)
@pytest.mark.parametrize("actor", ["practitioner", "nurse", "receptionist", "other_practitioner"])
def test_only_managers_reach_the_form_pages(cast, client_for, name, args, actor):
    response = client_for(cast.by_name(actor)).get(_url(name, args))
    assert response.status_code == 403


@pytest.mark.parametrize("name,args", PAGES)
def test_a_manager_reaches_every_form_page(cast, client_for, name, args):
    assert client_for(cast.manager).get(_url(name, args)).status_code == 200


def test_the_list_shows_each_kind_with_versions_and_signature_counts(cast, client_for):
    sign(patient=cast.patient, witness=cast.nurse)
    body = client_for(cast.manager).get(reverse("consent_templates:list")).content.decode()
    for title in ConsentTemplate.objects.values_list("title", flat=True):
        assert title in body
    assert "<td>1</td>" in body
    assert body.count("In use") == 4


def test_a_manager_publishes_a_new_version_from_the_previous_text(cast, client_for):
    client = client_for(cast.manager)
    url = reverse("consent_templates:create", args=["prp"])
    page = client.get(url).content.decode()
    assert "What this treatment is" in page  # the form starts from version 1's text
    response = client.post(
        url,
        {
            "title": "Consent to PRP",
            "body": "## New\nText.",
            "valid_for_months": "6",
            "effective_from": timezone.localdate().isoformat(),
        },
    )
    new = ConsentTemplate.objects.get(kind="prp", version=2)
    assert response["Location"] == reverse("consent_templates:detail", args=[new.pk])
    assert (new.title, new.valid_for_months) == ("Consent to PRP", 6)


def test_bad_input_on_a_new_version_is_explained_and_nothing_is_published(cast, client_for):
    response = client_for(cast.manager).post(
        reverse("consent_templates:create", args=["prp"]),
        {
            "title": "Consent to PRP",
            "body": "Text.",
            "valid_for_months": "",
            "effective_from": "2001-01-01",
        },
    )
    body = response.content.decode()
    assert "A version cannot take effect in the past." in body
    assert not ConsentTemplate.objects.filter(version=2).exists()
    response = client_for(cast.manager).post(
        reverse("consent_templates:create", args=["prp"]),
        {
            "title": "Consent to PRP",
            "body": "",
            "valid_for_months": "",
            "effective_from": "2999-01-01",
        },
    )
    assert "Write the text the patient will read and sign." in response.content.decode()
    assert "Consent to PRP" in response.content.decode()  # what was typed is kept


def test_editing_a_signed_version_sends_the_manager_to_make_a_new_one(cast, client_for):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    client = client_for(cast.manager)
    url = reverse("consent_templates:edit", args=[consent.template.pk])
    response = client.post(url, {"title": "Changed", "body": "x", "effective_from": "2999-01-01"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Create a new version instead." in page
    consent.template.refresh_from_db()
    assert consent.template.title != "Changed"


def test_a_manager_retires_a_version_with_a_post_only(cast, client_for):
    client = client_for(cast.manager)
    url = reverse("consent_templates:retire", args=[current_template("prp").pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert ConsentTemplate.objects.get(kind="prp", version=1).retired_at is not None
    signing_page = client_for(cast.nurse).get(
        reverse("consent:sign", args=[cast.patient.pk, "prp"])
    )
    assert "No PRP (platelet-rich plasma) consent form is in effect" in (
        signing_page.content.decode()
    )
