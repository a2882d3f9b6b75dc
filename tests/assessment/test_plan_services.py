import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from mesotrack.assessment import services
from mesotrack.assessment.models import (
    AppendOnlyRecordError,
    ClinicPrice,
    ClinicScreeningSettings,
    ScreeningOverride,
    TreatmentPlan,
)
from mesotrack.assessment.selectors import patient_screening
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from tests.assessment.factories import make_pregnant, plan

REASON = "Confirmed not pregnant today: negative urine test in clinic."


def events(action: Action, object_type: str) -> list[dict]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(action=action, object_type=object_type).order_by("id")
    ]


def a_block(cast):
    """Make the patient pregnant (a block for mesotherapy, clinical_rules.md §2.2) and return it."""
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    screening = patient_screening(patient=cast.patient, on_date=timezone.localdate())
    return next(flag for flag in screening.result.flags if flag.severity == "block")


def test_a_practitioner_records_a_plan_with_what_the_decision_aid_showed(cast, signed):
    recorded = plan(signed, cast.practitioner, goals=["slow_loss", "avoid_pills"])
    recorded.refresh_from_db()
    assert (recorded.chosen_modality, recorded.patient_decision) == ("mesotherapy", "accepted")
    assert (recorded.goals, recorded.ingredients) == (
        ["avoid_pills", "slow_loss"],
        ["biotin", "dexpanthenol"],
    )
    assert {o["modality"] for o in recorded.options_snapshot} >= {"mesotherapy"}
    assert [c["modality"] for c in recorded.costs_snapshot] == [
        o["modality"] for o in recorded.options_snapshot
    ]
    assert recorded.decision_history[0]["decision"] == "accepted"
    assert events(Action.CREATE, "assessment.TreatmentPlan") == [
        {"modality": "mesotherapy", "decision": "accepted", "goals": ["avoid_pills", "slow_loss"]}
    ]


def test_a_plan_needs_a_signed_assessment(cast, draft):
    with pytest.raises(DomainError) as refused:
        plan(draft, cast.practitioner)
    assert refused.value.message == "Sign the assessment before recording a plan."
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize("who", ["nurse", "manager", "other_practitioner"])
def test_only_a_practitioner_of_the_clinic_records_a_plan(cast, signed, who):
    with pytest.raises(PermissionDenied) as refused:
        plan(signed, getattr(cast, who))
    assert refused.value.message == "Only a practitioner can record a treatment plan."
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"chosen_modality": "homeopathy"},
            "chosen_modality",
            "Choose the treatment the patient is deciding on.",
        ),
        ({"patient_decision": "maybe"}, "patient_decision", "Record what the patient decided."),
        ({"goals": ["be_famous"]}, "goals", "Choose goals from the list."),
        ({"ingredients": ["snake_oil"]}, "ingredients", "Choose ingredients from the list."),
        (
            {"chosen_modality": "medical_therapy"},
            "ingredients",
            "Ingredients and anaesthetic apply to mesotherapy or PRP only.",
        ),
        (
            {"medical_options": ["finasteride"]},
            "medical_options",
            "Medicines apply to medical therapy only.",
        ),
    ],
)
def test_a_plan_with_bad_choices_is_refused(cast, signed, overrides, field, message):
    with pytest.raises(DomainError) as refused:
        plan(signed, cast.practitioner, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not TreatmentPlan.objects.exists()


def test_a_decision_thought_over_is_recorded_with_its_history(cast, signed):
    recorded = plan(signed, cast.practitioner, patient_decision="thinking_it_over")
    services.treatment_plan_decision_update(
        actor=cast.practitioner, plan=recorded, patient_decision="accepted"
    )
    recorded.refresh_from_db()
    assert recorded.patient_decision == "accepted"
    assert [entry["decision"] for entry in recorded.decision_history] == [
        "thinking_it_over",
        "accepted",
    ]
    assert events(Action.UPDATE, "assessment.TreatmentPlan") == [
        {"decision": "accepted", "previous": "thinking_it_over"}
    ]


def test_a_practitioner_overrides_a_block_with_a_reason(cast):
    block = a_block(cast)
    override = services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        reason=f"  {REASON} ",
        ingredient=block.ingredient or "",
    )
    assert (override.flag_code, override.reason, override.practitioner) == (
        block.code,
        REASON,
        cast.practitioner,
    )
    assert override.valid_until == timezone.localdate()
    assert override.flag_message == block.message
    assert events(Action.CREATE, "assessment.ScreeningOverride") == [
        {
            "flag_code": block.code,
            "ingredient": block.ingredient or "",
            "reason": REASON,
            "valid_until": timezone.localdate().isoformat(),
        }
    ]
    override.reason = "changed"
    with pytest.raises(AppendOnlyRecordError):
        override.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ScreeningOverride.objects.filter(pk=override.pk).update(reason="changed")


def test_an_override_lasts_as_long_as_the_clinic_says(cast):
    block = a_block(cast)
    ClinicScreeningSettings.objects.create(clinic=cast.clinic, override_valid_days=14)
    override = services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        reason=REASON,
        ingredient=block.ingredient or "",
    )
    assert override.valid_until == timezone.localdate() + dt.timedelta(days=14)


@pytest.mark.parametrize("who", ["nurse", "manager", "other_practitioner"])
def test_only_a_practitioner_of_the_clinic_overrides(cast, who):
    block = a_block(cast)
    with pytest.raises(PermissionDenied) as refused:
        services.screening_override_record(
            actor=getattr(cast, who), patient=cast.patient, flag_code=block.code, reason=REASON
        )
    assert refused.value.message == "Only a practitioner can override a screening block."
    assert not ScreeningOverride.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_an_override_needs_a_reason(cast, reason):
    block = a_block(cast)
    with pytest.raises(DomainError) as refused:
        services.screening_override_record(
            actor=cast.practitioner,
            patient=cast.patient,
            flag_code=block.code,
            reason=reason,
            ingredient=block.ingredient or "",
        )
    assert (refused.value.field, refused.value.message) == (
        "reason",
        "Give the reason for going ahead despite this block (at least 10 characters).",
    )
    assert not ScreeningOverride.objects.exists()


def test_only_a_standing_block_can_be_overridden(cast):
    with pytest.raises(DomainError) as refused:
        services.screening_override_record(
            actor=cast.practitioner, patient=cast.patient, flag_code="pregnancy", reason=REASON
        )
    assert refused.value.message == "There is no such block to override for this patient today."
    block = a_block(cast)
    services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        reason=REASON,
        ingredient=block.ingredient or "",
    )
    with pytest.raises(DomainError) as again:
        services.screening_override_record(
            actor=cast.practitioner,
            patient=cast.patient,
            flag_code=block.code,
            reason=REASON,
            ingredient=block.ingredient or "",
        )
    today = timezone.localdate()
    assert again.value.message == f"This block is already overridden until {today:%d %b %Y}."
    assert ScreeningOverride.objects.count() == 1


def test_a_manager_sets_the_price_list(cast):
    services.clinic_prices_set(
        actor=cast.manager,
        clinic=cast.clinic,
        prices={"mesotherapy_session": Decimal("180"), "prp_session": Decimal("350.50")},
        currency="gbp",
    )
    services.clinic_prices_set(
        actor=cast.manager,
        clinic=cast.clinic,
        prices={"mesotherapy_session": Decimal("190"), "prp_session": None},
        currency="GBP",
    )
    assert [(p.item, p.amount, p.currency) for p in ClinicPrice.objects.all()] == [
        ("mesotherapy_session", Decimal("190.00"), "GBP")
    ]
    assert [e.detail for e in AuditEvent.objects.filter(clinic=cast.clinic).order_by("id")] == [
        {"prices": {"mesotherapy_session": "180 GBP", "prp_session": "350.50 GBP"}},
        {"prices": {"mesotherapy_session": "190 GBP", "prp_session": None}},
    ]


@pytest.mark.parametrize(
    "prices,currency,field,message",
    [
        ({"prp_session": Decimal("-1")}, "GBP", "prp_session", "A price cannot be negative."),
        ({}, "£", "currency", "Give the currency as a three-letter code, such as GBP."),
    ],
)
def test_bad_prices_are_refused(cast, prices, currency, field, message):
    with pytest.raises(DomainError) as refused:
        services.clinic_prices_set(
            actor=cast.manager, clinic=cast.clinic, prices=prices, currency=currency
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ClinicPrice.objects.exists()


@pytest.mark.parametrize("who", ["practitioner", "other_practitioner"])
def test_only_a_manager_of_the_clinic_sets_prices(cast, who):
    with pytest.raises(PermissionDenied) as refused:
        services.clinic_prices_set(
            actor=getattr(cast, who), clinic=cast.clinic, prices={}, currency="GBP"
        )
    assert refused.value.message == "Only a manager of this clinic can change its settings."


def test_a_manager_changes_a_lab_threshold_and_only_the_change_is_stored(cast):
    from mesotrack.assessment.selectors import clinic_lab_thresholds
    from mesotrack.screening.labs import default_lab_thresholds

    thresholds = {**vars(default_lab_thresholds()), "ferritin_low": 40.0}
    settings = services.clinic_screening_settings_set(
        actor=cast.manager, clinic=cast.clinic, lab_thresholds=thresholds, override_valid_days=7
    )
    assert (settings.lab_thresholds, settings.override_valid_days) == ({"ferritin_low": 40.0}, 7)
    assert clinic_lab_thresholds(clinic_id=cast.clinic.pk).ferritin_low == 40.0
    assert clinic_lab_thresholds(clinic_id=cast.other_clinic.pk).ferritin_low == 30.0
    [event] = AuditEvent.objects.filter(object_type="assessment.ClinicScreeningSettings")
    assert event.detail["after"] == {"lab_thresholds": {"ferritin_low": 40.0}, "days": 7}


def test_a_threshold_outside_its_allowed_range_is_refused(cast):
    from mesotrack.screening.labs import default_lab_thresholds

    thresholds = {**vars(default_lab_thresholds()), "ferritin_low": 90.0}
    with pytest.raises(DomainError) as refused:
        services.clinic_screening_settings_set(
            actor=cast.manager,
            clinic=cast.clinic,
            lab_thresholds=thresholds,
            override_valid_days=0,
        )
    assert (refused.value.field, refused.value.message) == (
        "ferritin_low",
        "Ferritin: low for hair below — choose a value from 15 to 70 µg/L.",
    )


def test_thresholds_out_of_order_are_refused(cast):
    from mesotrack.screening.labs import default_lab_thresholds

    thresholds = {
        **vars(default_lab_thresholds()),
        "ferritin_deficient": 20.0,
        "ferritin_low": 18.0,
    }
    with pytest.raises(DomainError) as refused:
        services.clinic_screening_settings_set(
            actor=cast.manager,
            clinic=cast.clinic,
            lab_thresholds=thresholds,
            override_valid_days=0,
        )
    assert (refused.value.field, refused.value.message) == (
        "ferritin_deficient",
        "The deficient ferritin level must be below the low one.",
    )
    assert not ClinicScreeningSettings.objects.exists()
