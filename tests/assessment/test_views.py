import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mesotrack.assessment.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentStatus,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.audit.models import Action, AuditEvent
from tests.assessment.factories import make_pregnant, plan
from tests.assessment.test_plan_services import REASON, a_block


def url(name: str, cast, **kwargs) -> str:
    return reverse(f"assessment:{name}", kwargs={"patient_id": cast.patient.pk, **kwargs})


def form_post(**overrides) -> dict:
    """What the assessment page submits for a male pattern assessment."""
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "diagnosis": "aga_male",
        "icd10_code": "L64.9",
        "telogen_course": "",
        "stage": "norwood:IIIa",
        "pull_test_hairs_held": "60",
        "pull_test_hairs_out": "7",
        "hair_count_60s": "15",
        "trichoscopy_findings": ["vellus_hairs"],
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def created_events() -> int:
    return AuditEvent.objects.filter(action=Action.CREATE).count()


def test_a_nurse_prepares_a_draft_from_the_form(cast, client_for):
    response = client_for(cast.nurse).post(url("new", cast), form_post())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", cast, assessment_id=assessment.pk)
    assert (assessment.stage_scale, assessment.stage_value) == ("norwood", "IIIa")
    assert (assessment.pull_test_positive, assessment.trichoscopy_findings) == (
        True,
        ["vellus_hairs"],
    )
    assert assessment.created_by == cast.nurse


def test_the_new_assessment_page_shows_every_stage_drawing(cast, client_for):
    page = client_for(cast.practitioner).get(url("new", cast)).content.decode()
    for drawing in ["norwood-III-vertex.svg", "ludwig-II.svg", "sinclair-5.svg", "olsen-1.svg"]:
        assert f"/static/assessment/stages/{drawing}" in page
    assert 'id="stage-norwood-IIIa"' in page and 'value="norwood:IIIa"' in page
    assert "salt-regions.svg" in page
    assert 'data-testid="screening-panel"' in page
    # A date input only takes an ISO date as its value.
    assert f'type="date" name="assessed_on" value="{timezone.localdate().isoformat()}"' in page


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"pull_test_hairs_out": "70"}, "More hairs came out than were held: check the counts."),
        ({"pull_test_hairs_held": "lots"}, "Enter a whole number."),
        (
            {"stage": "ludwig:II"},
            "The Ludwig scale does not fit this diagnosis (use Norwood–Hamilton).",
        ),
        ({"icd10_code": "L63.9"}, "L63.9 is not an ICD-10 code for male androgenetic alopecia."),
        (
            {"asfs_1": "3", "asfs_2": "2"},
            "Score all 8 octants for the ASFS, or leave them all empty.",
        ),
        ({"asfs_1": "11"}, "Ensure this value is less than or equal to 10."),
        ({"assessed_on": ""}, "This field is required."),
    ],
)
def test_bad_input_keeps_the_entries_and_writes_nothing(cast, client_for, overrides, message):
    before = created_events()
    response = client_for(cast.practitioner).post(url("new", cast), form_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Nothing was saved" in page
    assert 'value="60"' in page or overrides.get("pull_test_hairs_held") == "lots"
    assert not Assessment.objects.exists()
    assert created_events() == before


def test_a_future_date_is_refused(cast, client_for):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client_for(cast.nurse).post(url("new", cast), form_post(assessed_on=tomorrow))
    assert "The assessment date is in the future." in page.content.decode()
    assert not Assessment.objects.exists()


def test_salt_entries_round_trip_through_the_form(cast, client_for):
    client = client_for(cast.practitioner)
    data = form_post(
        diagnosis="alopecia_areata",
        icd10_code="L63.2",
        stage="salt",
        salt_vertex="30",
        salt_posterior="50",
        salt_right="0",
        salt_left="12.5",
    )
    client.post(url("new", cast), data)
    assessment = Assessment.objects.get()
    # 0.4 × 30 + 0.24 × 50 + 0.18 × 12.5 = 26.25 → 26.2 (S2)
    assert (str(assessment.salt_total), assessment.salt_class) == ("26.2", "S2")
    edit = client.get(url("edit", cast, assessment_id=assessment.pk)).content.decode()
    for name, value in [("salt_vertex", "30"), ("salt_posterior", "50"), ("salt_left", "12.5")]:
        assert f'name="{name}" value="{value}' in edit
    assert 'value="salt" checked' in edit


def test_asfs_octants_round_trip_through_the_form(cast, client_for):
    client = client_for(cast.nurse)
    octants = {f"asfs_{n}": str(n) for n in range(1, 9)}
    client.post(url("new", cast), form_post(seborrhoeic_dermatitis="on", **octants))
    assessment = Assessment.objects.get()
    assert (assessment.asfs_total, assessment.asfs_octants) == (36, [1, 2, 3, 4, 5, 6, 7, 8])
    edit = client.get(url("edit", cast, assessment_id=assessment.pk)).content.decode()
    assert 'name="asfs_8" value="8"' in edit
    detail = client.get(url("detail", cast, assessment_id=assessment.pk)).content.decode()
    assert "Seborrhoeic dermatitis or dandruff; ASFS 36 of 80" in detail


def test_editing_a_draft_saves_the_changes(cast, client_for, draft):
    response = client_for(cast.practitioner).post(
        url("edit", cast, assessment_id=draft.pk), form_post(stage="norwood:V")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.stage_value == "V"


def test_a_signed_assessment_cannot_be_edited_from_the_page(cast, client_for, signed):
    response = client_for(cast.practitioner).post(
        url("edit", cast, assessment_id=signed.pk), form_post(stage="norwood:V")
    )
    assert "This assessment is signed: add an addendum instead." in response.content.decode()
    assert Assessment.objects.get().stage_value == "III vertex"


def test_a_practitioner_signs_after_confirming(cast, client_for, draft):
    client = client_for(cast.practitioner)
    sign = url("sign", cast, assessment_id=draft.pk)
    unconfirmed = client.post(sign, {})
    assert (
        "Tick the box to confirm you have checked the assessment." in unconfirmed.content.decode()
    )
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT
    assert client.post(sign, {"confirm": "on"}).status_code == 302
    assert Assessment.objects.get().status == AssessmentStatus.SIGNED


def test_signing_an_incomplete_draft_says_what_is_missing(cast, client_for):
    client = client_for(cast.practitioner)
    client.post(url("new", cast), form_post(stage=""))
    assessment = Assessment.objects.get()
    response = client.post(url("sign", cast, assessment_id=assessment.pk), {"confirm": "on"})
    assert "Stage the hair loss on the Norwood–Hamilton scale before signing." in (
        response.content.decode()
    )
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT


@pytest.mark.parametrize("who", ["nurse", "manager"])
def test_only_practitioners_sign_or_add_addenda(cast, client_for, draft, who):
    client = client_for(getattr(cast, who))
    assert (
        client.post(url("sign", cast, assessment_id=draft.pk), {"confirm": "on"}).status_code == 403
    )
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT
    assert client.get(url("addendum", cast, assessment_id=draft.pk)).status_code == 403


def test_a_manager_reads_but_does_not_write_assessments(cast, client_for, signed):
    client = client_for(cast.manager)
    assert client.get(url("detail", cast, assessment_id=signed.pk)).status_code == 200
    assert client.get(url("new", cast)).status_code == 403
    assert client.post(url("new", cast), form_post()).status_code == 403


def test_an_addendum_is_added_and_an_empty_one_refused(cast, client_for, signed):
    client = client_for(cast.practitioner)
    addendum = url("addendum", cast, assessment_id=signed.pk)
    assert "Write the addendum." in client.post(addendum, {"text": " "}).content.decode()
    assert not AssessmentAddendum.objects.exists()
    client.post(addendum, {"text": "Seen again: the crown is the same."})
    detail = client.get(url("detail", cast, assessment_id=signed.pk)).content.decode()
    assert "Seen again: the crown is the same." in detail


def test_receptionists_get_403_and_other_clinics_404(cast, client_for, signed):
    assert client_for(cast.receptionist).get(url("list", cast)).status_code == 403
    other = client_for(cast.other_practitioner)
    assert other.get(url("detail", cast, assessment_id=signed.pk)).status_code == 404
    elsewhere = reverse(
        "assessment:detail",
        kwargs={"patient_id": cast.other_patient.pk, "assessment_id": signed.pk},
    )
    assert other.get(elsewhere).status_code == 404


def test_each_page_records_what_was_viewed(cast, client_for, signed):
    client_for(cast.nurse).get(url("detail", cast, assessment_id=signed.pk))
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert (event.patient_id, event.object_type, event.detail) == (
        cast.patient.pk,
        "assessment.Assessment",
        {"page": "assessment"},
    )


def test_the_list_shows_assessments_and_plans(
    cast, client_for, signed, django_assert_max_num_queries
):
    plan(signed, cast.practitioner)
    client = client_for(cast.nurse)
    with django_assert_max_num_queries(12):
        page = client.get(url("list", cast)).content.decode()
    assert "Norwood III vertex" in page and "Mesotherapy" in page


def test_the_decision_aid_ranks_options_and_records_the_plan(cast, client_for, signed):
    client = client_for(cast.practitioner)
    aid = url("decision-aid", cast, assessment_id=signed.pk)
    page = client.get(aid, {"goals": ["avoid_pills"]}).content.decode()
    assert 'data-testid="options"' in page and 'value="avoid_pills" id="id_goals_3" checked' in page
    assert "no price set" in page
    response = client.post(
        aid,
        {
            "chosen_modality": "mesotherapy",
            "patient_decision": "thinking_it_over",
            "goals": ["avoid_pills"],
            "ingredients": ["biotin"],
            "details": "Weekly ×4",
        },
    )
    recorded = TreatmentPlan.objects.get()
    assert response["Location"] == url("plan", cast, plan_id=recorded.pk)
    assert (recorded.goals, recorded.ingredients) == (["avoid_pills"], ["biotin"])
    change = client.post(url("plan", cast, plan_id=recorded.pk), {"patient_decision": "accepted"})
    assert change.status_code == 302
    recorded.refresh_from_db()
    assert recorded.patient_decision == "accepted"


def test_a_plan_without_a_decision_writes_nothing(cast, client_for, signed):
    response = client_for(cast.practitioner).post(
        url("decision-aid", cast, assessment_id=signed.pk), {"chosen_modality": "mesotherapy"}
    )
    assert "Record what the patient decided." in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_nurses_see_the_decision_aid_but_cannot_record(cast, client_for, signed):
    client = client_for(cast.nurse)
    aid = url("decision-aid", cast, assessment_id=signed.pk)
    page = client.get(aid).content.decode()
    assert 'data-testid="options"' in page and 'data-testid="plan-form"' not in page
    posted = client.post(aid, {"chosen_modality": "mesotherapy", "patient_decision": "accepted"})
    assert posted.status_code == 403
    assert not TreatmentPlan.objects.exists()


def test_the_decision_aid_prices_options_from_the_clinic_list(cast, client_for, signed):
    from decimal import Decimal

    from mesotrack.assessment.costs import sessions_in_protocol
    from mesotrack.assessment.decision import decision_aid
    from mesotrack.assessment.services import clinic_prices_set

    clinic_prices_set(
        actor=cast.manager,
        clinic=cast.clinic,
        prices={"mesotherapy_session": Decimal("150")},
        currency="GBP",
    )
    aid = decision_aid(assessment=signed, goals=frozenset(), on_date=timezone.localdate())
    meso = next(o for o in aid.options if o.modality == "mesotherapy")
    sessions = sessions_in_protocol(meso.suggested_protocol, "mesotherapy")
    page = client_for(cast.practitioner).get(url("decision-aid", cast, assessment_id=signed.pk))
    assert f"£{150 * sessions:,}.00" in page.content.decode()
    assert "no price set" in page.content.decode()


def test_a_practitioner_overrides_a_block_from_the_screening_page(cast, client_for):
    block = a_block(cast)
    client = client_for(cast.practitioner)
    screening = client.get(url("screening", cast)).content.decode()
    assert block.message in screening and "Override a block" in screening
    form = url("override", cast)
    choice = f"{block.code}|{block.ingredient or ''}"
    short = client.post(form, {"flag": choice, "reason": "fine"})
    assert "Give the reason for going ahead despite this block (at least 10 characters)." in (
        short.content.decode()
    )
    assert not ScreeningOverride.objects.exists()
    assert client.post(form, {"flag": choice, "reason": REASON}).status_code == 302
    assert ScreeningOverride.objects.get().reason == REASON
    after = client.get(url("screening", cast)).content.decode()
    assert "Overridden" in after


def test_nurses_cannot_override(cast, client_for):
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    assert client_for(cast.nurse).get(url("override", cast)).status_code == 403


def test_a_manager_keeps_the_price_list(cast, client_for):
    client = client_for(cast.manager)
    prices = reverse("clinic_settings:prices", kwargs={"clinic_id": cast.clinic.pk})
    bad = client.post(prices, {"currency": "GBP", "prp_session": "-5"})
    assert "Ensure this value is greater than or equal to 0." in bad.content.decode()
    assert client.post(prices, {"currency": "GBP", "prp_session": "320"}).status_code == 302
    page = client.get(prices).content.decode()
    assert 'name="prp_session" value="320.00"' in page


def test_managers_see_only_their_own_clinics_settings(cast, client_for):
    other = reverse("clinic_settings:prices", kwargs={"clinic_id": cast.other_clinic.pk})
    assert client_for(cast.manager).get(other).status_code == 404
    own = reverse("clinic_settings:prices", kwargs={"clinic_id": cast.clinic.pk})
    assert client_for(cast.practitioner).get(own).status_code == 403


def test_a_manager_changes_a_lab_threshold(cast, client_for):
    from mesotrack.assessment.models import ClinicScreeningSettings
    from mesotrack.screening.labs import default_lab_thresholds

    client = client_for(cast.manager)
    page = reverse("clinic_settings:screening", kwargs={"clinic_id": cast.clinic.pk})
    data = {name: str(value) for name, value in vars(default_lab_thresholds()).items()}
    data["override_valid_days"] = "3"
    bad = client.post(page, {**data, "ferritin_low": "90"})
    assert "choose a value from 15 to 70" in bad.content.decode()
    assert not ClinicScreeningSettings.objects.exists()
    assert client.post(page, {**data, "ferritin_low": "45"}).status_code == 302
    stored = ClinicScreeningSettings.objects.get()
    assert (stored.lab_thresholds, stored.override_valid_days) == ({"ferritin_low": 45.0}, 3)
