import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from scipy.stats import binomtest

from mesotrack.accounts.models import Role
from mesotrack.charting import services as charting
from mesotrack.charting.models import SessionLotUse, SessionStatus, TreatmentSession
from mesotrack.safety.models import AdverseEvent
from mesotrack.safety.signals import safety_signal_report
from tests.charting.factories import ready_to_sign
from tests.factories import PatientFactory, staff_user
from tests.formulary.factories import lot, recipe

TODAY = dt.date(2026, 11, 1)


def _sessions(cast, practitioner, count, with_event, *, version=None, lot_used=None, days_ago=10):
    moment = timezone.now() - dt.timedelta(days=days_ago)
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            patient=cast.patient,
            clinic_id=cast.patient.clinic_id,
            modality="mesotherapy",
            recipe_version=version,
            practitioner=practitioner,
            status=SessionStatus.SIGNED,
            checked_in_at=moment,
            checked_in_by=practitioner,
            signed_at=moment,
            signed_by=practitioner,
        )
        for _ in range(count)
    )
    if lot_used is not None:
        SessionLotUse.objects.bulk_create(
            SessionLotUse(
                session=s,
                lot=lot_used,
                volume_ml=Decimal(1),
                signed_clinic_id=s.clinic_id,
                signed_at=s.signed_at,
            )
            for s in sessions
        )
    AdverseEvent.objects.bulk_create(
        AdverseEvent(
            patient=cast.patient,
            clinic_id=cast.patient.clinic_id,
            session=s,
            term="bruising",
            grade=1,
            onset_at=moment,
            causality="possible",
            reported_by=practitioner,
        )
        for s in sessions[:with_event]
    )
    return sessions


@pytest.fixture
def clinic_history(cast):
    colleague = staff_user(cast.clinic, Role.PRACTITIONER, "doctor3")
    raised = lot(cast, number="RAISED")
    usual = lot(cast, number="USUAL")
    version = recipe(cast).current_version()
    _sessions(cast, cast.practitioner, 20, 6, version=version, lot_used=raised)
    _sessions(cast, colleague, 200, 4, lot_used=usual)
    _sessions(cast, cast.practitioner, 50, 50, days_ago=400)  # outside the period
    return colleague


def _report(user, grouping):
    today = timezone.localdate()
    return safety_signal_report(
        user=user, start=today - dt.timedelta(days=90), end=today, grouping=grouping
    )


def test_it_flags_the_practitioner_with_a_raised_rate(cast, clinic_history) -> None:
    report = _report(cast.manager, "practitioner")
    by_label = {row.label: row for row in report.rows}
    raised = by_label[cast.practitioner.get_full_name()]
    assert (raised.result.events, raised.result.sessions) == (6, 20)
    assert raised.result.rate_per_100 == pytest.approx(30.0)
    assert raised.result.baseline_per_100 == pytest.approx(100 * 10 / 220)
    expected = binomtest(6, 20, 10 / 220, alternative="greater").pvalue
    assert raised.result.p_value == pytest.approx(expected)
    assert raised.result.flagged is True
    assert by_label[clinic_history.get_full_name()].result.flagged is False
    assert report.rows[0] is raised


def test_it_flags_the_lot_with_a_raised_rate(cast, clinic_history) -> None:
    rows = {row.label: row for row in _report(cast.manager, "lot").rows}
    assert rows["Dutasteride 0.01% solution lot RAISED"].result.flagged is True
    assert rows["Dutasteride 0.01% solution lot USUAL"].result.sessions == 200
    assert rows["Dutasteride 0.01% solution lot USUAL"].result.flagged is False


def test_recipe_and_ingredient_rates_come_from_the_recipe_version(cast, clinic_history) -> None:
    recipes = {row.label: row.result for row in _report(cast.manager, "recipe").rows}
    assert recipes["Dutasteride 0.01% + saline"].sessions == 20
    assert recipes["No recipe (e.g. PRP)"].sessions == 200
    ingredients = {row.label: row.result for row in _report(cast.manager, "ingredient").rows}
    assert (ingredients["Dutasteride"].events, ingredients["Dutasteride"].sessions) == (6, 20)


def test_the_clinic_rate_is_tested_against_every_clinic_in_view(cast, clinic_history) -> None:
    (row,) = _report(cast.manager, "clinic").rows
    assert (row.result.events, row.result.sessions, row.result.flagged) == (10, 220, False)


def test_a_practitioner_sees_only_their_own_rates_against_the_clinic(cast, clinic_history) -> None:
    report = _report(cast.practitioner, "practitioner")
    assert report.own_only is True
    assert [row.label for row in report.rows] == [cast.practitioner.get_full_name()]
    assert report.rows[0].result.baseline_per_100 == pytest.approx(100 * 10 / 220)


def test_another_clinic_sees_nothing_of_this_one(cast, clinic_history) -> None:
    assert _report(cast.other_practitioner, "practitioner").rows == []


def test_the_query_count_does_not_grow_with_the_data(
    cast, clinic_history, django_assert_max_num_queries
) -> None:
    for grouping in ("practitioner", "recipe", "ingredient", "lot", "clinic"):
        with django_assert_max_num_queries(8):
            _report(cast.manager, grouping)


def test_patients_in_many_sessions_do_not_change_the_counting(cast) -> None:
    PatientFactory(clinic=cast.clinic)
    assert _report(cast.manager, "practitioner").rows == []


def test_a_session_signed_in_the_workflow_counts_for_the_lot_it_drew(cast) -> None:
    session, drawn = ready_to_sign(cast)
    charting.session_sign(session=session, signed_by=cast.practitioner)
    today = timezone.localdate()
    report = safety_signal_report(user=cast.manager, start=today, end=today, grouping="lot")
    [row] = report.rows
    assert row.key == str(drawn.pk)
    assert (row.result.sessions, row.result.events) == (1, 0)
    before = safety_signal_report(
        user=cast.manager,
        start=today - dt.timedelta(days=9),
        end=today - dt.timedelta(days=1),
        grouping="lot",
    )
    assert before.rows == []
