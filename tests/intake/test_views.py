import pytest
from django.urls import reverse

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.intake import services
from mesotrack.intake.models import Intake, IntakeStatus
from tests.intake.conftest import TAKEN_ON, full_answers
from tests.intake.forms_data import post_data


def url(name, cast, **kwargs):
    return reverse(f"intake:{name}", kwargs={"patient_id": cast.patient.pk, **kwargs})


def views_audited(cast, page):
    return [
        e
        for e in AuditEvent.objects.filter(action=Action.VIEW, patient_id=cast.patient.pk)
        if e.detail.get("page") == page
    ]


def test_the_summary_offers_to_start_an_intake(cast, client_for):
    response = client_for(cast.nurse).get(url("summary", cast))
    assert response.status_code == 200
    assert "No intake yet." in response.content.decode()
    assert "Start intake" in response.content.decode()
    [event] = views_audited(cast, "intake summary")
    assert (event.actor, event.object_type, event.detail["version"]) == (
        cast.nurse,
        "patients.Patient",
        None,
    )


def test_start_opens_a_draft_and_goes_to_the_form(cast, client_for):
    response = client_for(cast.nurse).post(url("start", cast))
    assert response.status_code == 302
    assert response["Location"] == url("edit", cast)
    assert Intake.objects.get().status == IntakeStatus.DRAFT


def test_start_asks_for_confirmation_before_writing(cast, client_for, signed):
    page = client_for(cast.nurse).get(url("start", cast))
    assert page.status_code == 200
    assert "A new version 2 starts as a copy of it" in page.content.decode()
    assert Intake.objects.count() == 1
    assert len(views_audited(cast, "intake start")) == 1


def test_start_while_a_draft_is_open_explains_why_not(cast, client_for, draft):
    response = client_for(cast.nurse).post(url("start", cast), follow=True)
    assert "Version 1 is still a draft" in response.content.decode()
    assert Intake.objects.count() == 1


def test_the_form_round_trip_saves_every_section(cast, client_for, draft):
    client = client_for(cast.nurse)
    form_page = client.get(url("edit", cast))
    assert form_page.status_code == 200
    assert len(views_audited(cast, "intake edit")) == 1
    response = client.post(url("edit", cast), post_data(full_answers()))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    answers = draft.answers
    assert answers["hair_loss_history"]["patterns"] == ["widening_part"]
    assert answers["medical_history"]["conditions"] == ["thyroid_underactive", "pcos"]
    assert answers["prior_treatments"][1]["graft_count"] == 2200
    assert answers["medications"][0]["name"] == "Levothyroxine"
    assert answers["allergies"][0]["substance"] == "lidocaine"
    assert answers["reproductive"]["could_become_pregnant"] is True
    assert answers["weight_kg"] == "64.5"
    assert answers["labs"][1]["canonical_value"] == "16.0"
    summary = client.get(url("summary", cast)).content.decode()
    assert "Amide local anaesthetics" in summary
    assert "40 nmol/L" in summary and "16.0 ng/mL" in summary


def test_the_form_shows_the_saved_answers_again(cast, client_for, draft):
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    page = client_for(cast.nurse).get(url("edit", cast)).content.decode()
    assert 'value="lidocaine"' in page
    assert 'value="2025-03-14"' in page
    assert 'name="labs-INITIAL_FORMS" value="2"' in page


def test_removing_a_row_and_keeping_the_others(cast, client_for, draft):
    services.intake_update(actor=cast.nurse, intake=draft, answers=full_answers())
    data = post_data(full_answers(), existing_rows={"labs": 2, "allergies": 1})
    data["labs-0-DELETE"] = "on"
    response = client_for(cast.nurse).post(url("edit", cast), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [lab["test"] for lab in draft.answers["labs"]] == ["vitamin_d_25oh"]


def test_bad_input_keeps_the_entries_and_writes_nothing(cast, client_for, draft):
    labs = [{"test": "ferritin", "value": "9000", "unit": "µg/L", "taken_on": TAKEN_ON}]
    data = post_data(full_answers(labs=labs))
    response = client_for(cast.nurse).post(url("edit", cast), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Ferritin 9000 µg/L is outside the plausible range 1–5000 µg/L; check the lab report."
        in page
    )
    assert 'value="9000"' in page and 'value="lidocaine"' in page
    draft.refresh_from_db()
    assert draft.answers["labs"] == [] and draft.answers["allergies"] == []
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_an_unreadable_date_is_refused_by_the_form(cast, client_for, draft):
    data = post_data(full_answers())
    data["labs-0-taken_on"] = "14th of March"
    response = client_for(cast.nurse).post(url("edit", cast), data)
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["labs"] == []


def test_a_signed_intake_cannot_be_edited(cast, client_for, signed):
    response = client_for(cast.nurse).post(url("edit", cast), post_data(full_answers()))
    assert response.status_code == 200
    assert "There is no draft to edit: start a new version first." in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == IntakeStatus.SIGNED


def test_a_practitioner_signs_after_confirming(cast, client_for, draft):
    client = client_for(cast.practitioner)
    page = client.get(url("sign", cast, version=1))
    assert page.status_code == 200
    assert len(views_audited(cast, "intake sign")) == 1
    unconfirmed = client.post(url("sign", cast, version=1), {})
    assert unconfirmed.status_code == 200
    assert "Tick the box to confirm you have reviewed the answers." in unconfirmed.content.decode()
    draft.refresh_from_db()
    assert draft.status == IntakeStatus.DRAFT
    response = client.post(url("sign", cast, version=1), {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == (IntakeStatus.SIGNED, cast.practitioner)


@pytest.mark.parametrize("who", ["nurse", "manager"])
def test_only_practitioners_reach_the_sign_page(cast, client_for, draft, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("sign", cast, version=1)).status_code == 403
    assert client.post(url("sign", cast, version=1), {"confirm": "on"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == IntakeStatus.DRAFT


def test_the_summary_after_signing_offers_a_new_version(cast, client_for, signed):
    page = client_for(cast.practitioner).get(url("summary", cast)).content.decode()
    assert "Start new version" in page
    assert "Edit draft" not in page
    assert "Review and sign" not in page


def test_each_version_has_a_read_only_page(cast, client_for, signed):
    services.intake_start(actor=cast.nurse, patient=cast.patient)
    client = client_for(cast.manager)
    page = client.get(url("version", cast, version=1))
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "Intake version 1" in body and "Signed" in body and "<form" not in body.split("<main>")[1]
    )
    [event] = views_audited(cast, "intake version")
    assert (event.object_type, event.object_id, event.detail["version"]) == (
        "intake.Intake",
        str(signed.pk),
        1,
    )
    assert client.get(url("version", cast, version=9)).status_code == 404


@pytest.mark.parametrize("name", ["summary", "edit", "start", "version", "sign"])
def test_receptionists_are_refused(cast, client_for, draft, name):
    kwargs = {"version": 1} if name in {"version", "sign"} else {}
    client = client_for(cast.receptionist)
    assert client.get(url(name, cast, **kwargs)).status_code == 403
    assert client.post(url(name, cast, **kwargs), {}).status_code == 403
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor=cast.receptionist
    ).exists()


@pytest.mark.parametrize("name", ["summary", "edit", "start", "version", "sign"])
def test_a_patient_of_another_clinic_is_not_found(cast, client_for, name):
    other = services.intake_start(actor=cast.other_practitioner, patient=cast.other_patient)
    kwargs = {"version": other.version} if name in {"version", "sign"} else {}
    path = reverse(f"intake:{name}", kwargs={"patient_id": cast.other_patient.pk, **kwargs})
    client = client_for(cast.practitioner)
    assert client.get(path).status_code == 404
    assert client.post(path, {"confirm": "on"}).status_code == 404
    other.refresh_from_db()
    assert other.status == IntakeStatus.DRAFT


def test_pregnancy_questions_fold_away_for_men_but_stay_recordable(cast, client_for, draft):
    page = client_for(cast.nurse).get(url("edit", cast)).content.decode()
    assert cast.patient.sex_at_birth == "male"
    assert "<details" in page and 'name="reproductive-pregnant"' in page


def test_the_summary_lists_every_version(cast, client_for, signed, django_assert_max_num_queries):
    for _ in range(3):
        second = services.intake_start(actor=cast.nurse, patient=cast.patient)
        services.intake_sign(actor=cast.practitioner, intake=second)
    client = client_for(cast.nurse)
    client.get(url("summary", cast))
    with django_assert_max_num_queries(12):
        page = client.get(url("summary", cast)).content.decode()
    assert all(f"v{n}</a>" in page for n in range(1, 5))


def test_lab_results_show_their_date(cast, client_for, signed):
    page = client_for(cast.nurse).get(url("version", cast, version=1)).content.decode()
    assert "14 Mar 2025" in page


def test_the_form_carries_when_it_was_opened_so_a_stale_save_is_refused(cast, client_for, draft):
    client = client_for(cast.nurse)
    opened_at = draft.updated_at.isoformat()
    assert f'name="loaded_at" value="{opened_at}"' in client.get(url("edit", cast)).content.decode()
    services.intake_update(actor=cast.manager, intake=draft, answers=full_answers())
    data = {**post_data(full_answers(weight_kg="70")), "loaded_at": opened_at}
    response = client.post(url("edit", cast), data)
    assert response.status_code == 200
    assert "Someone else saved this draft after you opened it." in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["weight_kg"] == "64.5"
