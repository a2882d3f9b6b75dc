import datetime as dt

from django.utils import timezone

from mesotrack.assessment import services
from mesotrack.assessment.models import ScreeningOverride
from mesotrack.assessment.selectors import (
    DEFAULT_PROPOSED,
    patient_screening,
    screening_blocks_for_patient,
)
from mesotrack.screening.adapters import TodayAnswers
from mesotrack.screening.profile import ProposedTreatment
from tests.assessment.factories import signed_intake
from tests.assessment.test_plan_services import REASON, a_block

TODAY = dt.date(2026, 3, 2)


def test_no_blocks_for_a_patient_with_nothing_against_treatment(cast):
    assert screening_blocks_for_patient(cast.patient, DEFAULT_PROPOSED, timezone.localdate()) == []


def test_a_block_stands_until_a_practitioner_overrides_it(cast):
    block = a_block(cast)
    today = timezone.localdate()
    assert block in screening_blocks_for_patient(cast.patient, DEFAULT_PROPOSED, today)
    services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        ingredient=block.ingredient or "",
        reason=REASON,
    )
    assert block not in screening_blocks_for_patient(cast.patient, DEFAULT_PROPOSED, today)


def test_an_override_counts_only_while_it_is_valid(cast):
    block = a_block(cast)
    today = timezone.localdate()
    services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        reason=REASON,
        ingredient=block.ingredient or "",
    )
    tomorrow = today + dt.timedelta(days=1)
    assert block.code in {
        f.code for f in screening_blocks_for_patient(cast.patient, DEFAULT_PROPOSED, tomorrow)
    }
    yesterday = today - dt.timedelta(days=1)
    assert block.code in {
        f.code for f in screening_blocks_for_patient(cast.patient, DEFAULT_PROPOSED, yesterday)
    }


def test_an_override_of_one_ingredient_leaves_another_blocked(cast):
    # A woman who could become pregnant: finasteride and dutasteride are each blocked (§2.1).
    signed_intake(
        cast.patient, cast.nurse, cast.practitioner, allergies=[], no_known_allergies=True
    )
    cast.patient.sex_at_birth = "female"
    cast.patient.save()
    proposed = ProposedTreatment("mesotherapy", ("dutasteride", "finasteride"))
    today = timezone.localdate()
    blocks = screening_blocks_for_patient(cast.patient, proposed, today)
    by_ingredient = {f.ingredient: f for f in blocks if f.ingredient}
    assert {"dutasteride", "finasteride"} <= set(by_ingredient)
    services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=by_ingredient["dutasteride"].code,
        ingredient="dutasteride",
        reason=REASON,
        proposed=proposed,
    )
    left = {f.ingredient for f in screening_blocks_for_patient(cast.patient, proposed, today)}
    assert "finasteride" in left and "dutasteride" not in left


def test_a_postponement_is_never_overridden(cast):
    block = a_block(cast)
    today = timezone.localdate()
    services.screening_override_record(
        actor=cast.practitioner,
        patient=cast.patient,
        flag_code=block.code,
        reason=REASON,
        ingredient=block.ingredient or "",
    )
    blocks = screening_blocks_for_patient(
        cast.patient, DEFAULT_PROPOSED, today, today=TodayAnswers(fever=True)
    )
    assert [f.severity for f in blocks] == ["postpone"]
    assert ScreeningOverride.objects.count() == 1


def test_the_screening_reads_the_clinics_lab_thresholds(cast):
    from mesotrack.assessment.models import ClinicScreeningSettings

    signed_intake(cast.patient, cast.nurse, cast.practitioner)  # ferritin 18
    today = timezone.localdate()
    codes = {f.code for f in patient_screening(patient=cast.patient, on_date=today).lab_flags}
    assert "ferritin_low" in codes
    ClinicScreeningSettings.objects.create(
        clinic=cast.clinic, lab_thresholds={"ferritin_low": 16.0, "ferritin_deficient": 10.0}
    )
    codes = {f.code for f in patient_screening(patient=cast.patient, on_date=today).lab_flags}
    assert not codes & {"ferritin_low", "ferritin_deficient"}


def test_the_latest_plan_decides_what_is_screened(cast, signed):
    from tests.assessment.factories import plan

    plan(signed, cast.practitioner, ingredients=["dutasteride"])
    screening = patient_screening(patient=cast.patient, on_date=timezone.localdate())
    assert screening.proposed.ingredients == ("dutasteride",)
    assert screening.panel.proposed_label == "mesotherapy with dutasteride"
