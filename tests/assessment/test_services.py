from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from mesotrack.assessment import services
from mesotrack.assessment.models import (
    AppendOnlyRecordError,
    Assessment,
    AssessmentAddendum,
    AssessmentStatus,
    SignedAssessmentError,
)
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from tests.assessment.factories import assessment_data, draft_assessment, signed_intake


def events(action: Action, object_type: str = "assessment.Assessment") -> list[dict]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(action=action, object_type=object_type).order_by("id")
    ]


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    return refused.value.message


def test_it_saves_a_draft_and_works_out_the_pull_test(cast):
    draft = draft_assessment(cast.patient, cast.nurse, pull_test_hairs_out=8)
    assert (draft.status, draft.diagnosis, draft.stage_value) == ("draft", "aga_male", "III vertex")
    assert (draft.pull_test_hairs_held, draft.pull_test_hairs_out) == (60, 8)
    assert draft.pull_test_positive is True
    assert events(Action.CREATE) == [{"diagnosis": "aga_male", "stage": "Norwood III vertex"}]


def test_a_pull_test_with_few_hairs_out_is_negative(cast):
    draft = draft_assessment(cast.patient, cast.nurse, pull_test_hairs_out=2)
    assert draft.pull_test_positive is False


def test_it_refuses_a_second_draft(cast, draft):
    assert refusal(draft_assessment, cast.patient, cast.practitioner) == (
        "There is already a draft assessment for this patient: finish it first."
    )
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("who", ["receptionist", "manager", "other_practitioner", "patient_user"])
def test_only_practitioners_and_nurses_of_the_clinic_write_assessments(cast, who):
    with pytest.raises(PermissionDenied) as refused:
        draft_assessment(cast.patient, getattr(cast, who))
    assert refused.value.message == (
        "Only a practitioner or nurse of this patient's clinic can write an assessment."
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"stage_scale": "ludwig", "stage_value": "II"},
            "stage_scale",
            "The Ludwig scale does not fit this diagnosis (use Norwood–Hamilton).",
        ),
        (
            {"stage_value": "VIII"},
            "stage_value",
            "Pick a stage on the Norwood–Hamilton scale.",
        ),
        (
            {"icd10_code": "L63.9"},
            "icd10_code",
            "L63.9 is not an ICD-10 code for male androgenetic alopecia.",
        ),
        (
            {"telogen_course": "acute"},
            "telogen_course",
            "Acute or chronic applies to telogen effluvium only.",
        ),
        (
            {"pull_test_hairs_out": 70},
            "pull_test_hairs_out",
            "More hairs came out than were held: check the counts.",
        ),
        (
            {"pull_test_hairs_held": None},
            "pull_test_hairs_held",
            "Give both the hairs held and the hairs that came out.",
        ),
        (
            {"asfs_octants": [1, 2, 3]},
            "asfs_octants",
            "Score each of the 8 octants from 0 (no flaking) to 10 (very heavy).",
        ),
        (
            {"trichoscopy_findings": ["sparkles"]},
            "trichoscopy_findings",
            "Choose trichoscopy findings from the list.",
        ),
    ],
)
def test_it_refuses_entries_that_do_not_fit(cast, overrides, field, message):
    with pytest.raises(DomainError) as refused:
        draft_assessment(cast.patient, cast.nurse, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Assessment.objects.exists()
    assert events(Action.CREATE) == []


def test_salt_is_weighted_by_region_and_classed(cast):
    draft = draft_assessment(
        cast.patient,
        cast.nurse,
        diagnosis="alopecia_areata",
        icd10_code="L63.9",
        stage_scale="salt",
        stage_value="",
        salt_loss={"vertex": 50, "posterior": 25, "right": 10, "left": 0},
    )
    # 0.40 × 50 + 0.24 × 25 + 0.18 × 10 + 0.18 × 0 = 27.8 (Olsen 2004; clinical_rules.md §4.8)
    assert (draft.salt_total, draft.salt_class, draft.stage_value) == (
        Decimal("27.8"),
        "S2",
        "27.8",
    )
    assert draft.salt_loss == {"vertex": 50.0, "posterior": 25.0, "right": 10.0, "left": 0.0}


def test_salt_needs_every_region(cast):
    with pytest.raises(DomainError) as refused:
        draft_assessment(
            cast.patient,
            cast.nurse,
            diagnosis="alopecia_areata",
            icd10_code="L63.9",
            stage_scale="salt",
            salt_loss={"vertex": 50},
        )
    assert (refused.value.field, refused.value.message) == (
        "salt_posterior",
        "Give the percentage of hair lost (0–100) in every SALT region.",
    )


def test_asfs_adds_up_the_eight_octants(cast):
    draft = draft_assessment(
        cast.patient, cast.nurse, seborrhoeic_dermatitis=True, asfs_octants=[1, 2, 3, 4, 5, 6, 7, 8]
    )
    assert (draft.asfs_total, draft.asfs_octants) == (36, [1, 2, 3, 4, 5, 6, 7, 8])


def test_update_records_which_fields_changed(cast, draft):
    services.assessment_update(
        actor=cast.practitioner,
        assessment=draft,
        data=assessment_data(stage_value="IV", hair_count_60s=30),
    )
    draft.refresh_from_db()
    assert (draft.stage_value, draft.hair_count_60s, draft.updated_by) == (
        "IV",
        30,
        cast.practitioner,
    )
    assert events(Action.UPDATE) == [{"fields": ["hair_count_60s", "stage_value"]}]


def test_an_update_that_changes_nothing_is_not_audited(cast, draft):
    services.assessment_update(actor=cast.nurse, assessment=draft, data=assessment_data())
    assert events(Action.UPDATE) == []


def test_a_practitioner_signs_and_the_screening_is_kept_with_it(cast, draft):
    signed_intake(cast.patient, cast.nurse, cast.practitioner)
    signed = services.assessment_sign(actor=cast.practitioner, assessment=draft)
    signed.refresh_from_db()
    assert (signed.status, signed.signed_by) == (AssessmentStatus.SIGNED, cast.practitioner)
    assert signed.signed_at is not None
    # The intake's ferritin of 18 ng/mL is below the default 30 µg/L (clinical_rules.md §5).
    assert any(flag["code"].startswith("ferritin") for flag in signed.lab_flags)
    assert {flag["code"] for flag in signed.lab_flags} <= {f["code"] for f in signed.screening}
    [detail] = events(Action.SIGN)
    assert (detail["diagnosis"], detail["icd10_code"], detail["stage"]) == (
        "aga_male",
        "L64.9",
        "Norwood III vertex",
    )


def test_a_nurse_cannot_sign(cast, draft):
    with pytest.raises(PermissionDenied) as refused:
        services.assessment_sign(actor=cast.nurse, assessment=draft)
    assert refused.value.message == "Only a practitioner can sign an assessment."
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"diagnosis": "", "icd10_code": "", "stage_scale": "", "stage_value": ""},
            "Choose a diagnosis before signing.",
        ),
        ({"icd10_code": ""}, "Choose the ICD-10 code before signing."),
        (
            {"stage_scale": "", "stage_value": ""},
            "Stage the hair loss on the Norwood–Hamilton scale before signing.",
        ),
        (
            {
                "diagnosis": "telogen_effluvium",
                "icd10_code": "L65.0",
                "stage_scale": "",
                "stage_value": "",
            },
            "Say whether the telogen effluvium is acute or chronic before signing.",
        ),
    ],
)
def test_signing_needs_a_complete_diagnosis(cast, overrides, message):
    draft = draft_assessment(cast.patient, cast.nurse, **overrides)
    assert refusal(services.assessment_sign, actor=cast.practitioner, assessment=draft) == message
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT
    assert events(Action.SIGN) == []


def test_a_signed_assessment_never_changes(cast, signed):
    assert (
        refusal(
            services.assessment_update,
            actor=cast.practitioner,
            assessment=signed,
            data=assessment_data(stage_value="VII"),
        )
        == "This assessment is signed and cannot be changed; add an addendum instead."
    )
    signed.notes = "changed"
    with pytest.raises(SignedAssessmentError):
        signed.save()
    with pytest.raises(SignedAssessmentError):
        signed.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Assessment.objects.filter(pk=signed.pk).update(notes="changed")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            Assessment.objects.filter(pk=signed.pk).delete()
    assert Assessment.objects.get(pk=signed.pk).notes == "Crown thinning for three years."


def test_signing_twice_is_refused(cast, signed):
    fresh = Assessment.objects.get(pk=signed.pk)
    assert refusal(services.assessment_sign, actor=cast.practitioner, assessment=fresh) == (
        "This assessment is already signed."
    )


def test_addenda_are_appended_to_a_signed_assessment(cast, signed):
    first = services.assessment_addendum_add(
        actor=cast.practitioner, assessment=signed, text="  Pull test was from the vertex.  "
    )
    services.assessment_addendum_add(
        actor=cast.practitioner, assessment=signed, text="Family history: father bald at 40."
    )
    assert [a.text for a in signed.addenda.order_by("id")] == [
        "Pull test was from the vertex.",
        "Family history: father bald at 40.",
    ]
    assert first.author == cast.practitioner
    assert events(Action.CREATE, "assessment.AssessmentAddendum") == [
        {"assessment": signed.pk},
        {"assessment": signed.pk},
    ]
    first.text = "rewritten"
    with pytest.raises(AppendOnlyRecordError):
        first.save()
    with pytest.raises(AppendOnlyRecordError):
        first.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentAddendum.objects.filter(pk=first.pk).update(text="rewritten")


def test_an_addendum_needs_a_signed_assessment_a_practitioner_and_text(cast, draft):
    assert (
        refusal(
            services.assessment_addendum_add, actor=cast.practitioner, assessment=draft, text="x"
        )
        == "Addenda are for signed assessments: edit the draft instead."
    )
    signed = services.assessment_sign(actor=cast.practitioner, assessment=draft)
    with pytest.raises(PermissionDenied) as refused:
        services.assessment_addendum_add(actor=cast.nurse, assessment=signed, text="A note.")
    assert refused.value.message == "Only a practitioner can add an addendum."
    assert (
        refusal(
            services.assessment_addendum_add, actor=cast.practitioner, assessment=signed, text="  "
        )
        == "Write the addendum."
    )
    assert not AssessmentAddendum.objects.exists()
