import datetime as dt

from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_is_valid, consent_status_for_patient
from mesotrack.consent.validity import ConsentState
from tests.consent.factories import sign, withdraw


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def test_a_consent_counts_from_the_day_it_is_signed(cast):
    sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 3, 10))
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 3, 9))
    assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 3, 10))
    assert consent_is_valid(cast.patient, ConsentKind.MESOTHERAPY, dt.date(2025, 9, 1))


def test_it_uses_the_clinics_calendar_day_not_utc(cast):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    sign(
        patient=cast.patient, witness=cast.nurse, at=dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)
    )
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 6, 30))
    assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 7, 1))


def test_a_withdrawal_ends_consent_from_the_day_it_is_recorded(cast):
    consent = sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 3, 10))
    withdraw(consent, actor=cast.receptionist, at=at(2025, 5, 1, 15))
    assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 4, 30))
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 5, 1))
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 8, 1))


def test_a_mesotherapy_consent_lapses_after_twelve_months(cast):
    sign(patient=cast.patient, witness=cast.nurse, at=at(2024, 1, 31))
    assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 1, 30))
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 1, 31))


def test_a_photography_consent_lasts_until_withdrawn(cast):
    sign(patient=cast.patient, witness=cast.nurse, kind="clinical_photography", at=at(2020, 2, 1))
    assert consent_is_valid(cast.patient, "clinical_photography", dt.date(2030, 1, 1))


def test_a_consent_of_another_kind_does_not_count(cast):
    sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 3, 10))
    assert not consent_is_valid(cast.patient, "prp", dt.date(2025, 4, 1))
    assert not consent_is_valid(cast.other_patient, "mesotherapy", dt.date(2025, 4, 1))


def test_signing_again_after_a_withdrawal_restores_consent(cast):
    first = sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 3, 10))
    withdraw(first, actor=cast.nurse, at=at(2025, 4, 1))
    sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 6, 1))
    assert not consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 5, 1))
    assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 6, 1))


def test_the_validity_check_is_one_query(cast, django_assert_num_queries):
    for month in range(1, 6):
        sign(patient=cast.patient, witness=cast.nurse, at=at(2025, month, 1))
    with django_assert_num_queries(1):
        assert consent_is_valid(cast.patient, "mesotherapy", dt.date(2025, 6, 1))


def test_status_gives_one_state_per_kind(cast):
    sign(patient=cast.patient, witness=cast.nurse, at=at(2024, 1, 10))
    photos = sign(
        patient=cast.patient, witness=cast.nurse, kind="clinical_photography", at=at(2024, 1, 10)
    )
    withdraw(photos, actor=cast.nurse, at=at(2024, 6, 1))
    data = sign(
        patient=cast.patient, witness=cast.nurse, kind="data_processing", at=at(2024, 1, 10)
    )
    statuses = consent_status_for_patient(cast.patient, on_date=dt.date(2025, 3, 1))
    assert [(s.kind, s.state) for s in statuses] == [
        (ConsentKind.MESOTHERAPY, ConsentState.EXPIRED),
        (ConsentKind.PRP, ConsentState.MISSING),
        (ConsentKind.CLINICAL_PHOTOGRAPHY, ConsentState.WITHDRAWN),
        (ConsentKind.DATA_PROCESSING, ConsentState.VALID),
    ]
    assert statuses[3].consent == data
    assert statuses[1].consent is None and statuses[1].history == ()


def test_status_on_a_past_day_ignores_later_signatures(cast):
    old = sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 1, 10))
    new = sign(patient=cast.patient, witness=cast.nurse, at=at(2025, 5, 10))
    (mesotherapy, *_) = consent_status_for_patient(cast.patient, on_date=dt.date(2025, 2, 1))
    assert mesotherapy.consent == old
    assert mesotherapy.history == (new, old)


def test_status_takes_one_query_however_long_the_history(cast, django_assert_num_queries):
    for month in range(1, 10):
        sign(patient=cast.patient, witness=cast.nurse, at=at(2025, month, 1))
        sign(patient=cast.patient, witness=cast.nurse, kind="prp", at=at(2025, month, 2))
    with django_assert_num_queries(1):
        statuses = consent_status_for_patient(cast.patient)
        assert [len(s.history) for s in statuses] == [9, 9, 0, 0]
        assert [c.template.version for c in statuses[0].history] == [1] * 9
        assert statuses[0].consent.withdrawal_or_none is None
