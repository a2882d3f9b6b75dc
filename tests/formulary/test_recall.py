"""Recall completeness: the list holds every use of the lot — drawn directly or through a
prepared syringe — and nothing from any other lot."""

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesotrack.formulary import selectors, services
from mesotrack.patients.services import patient_soft_delete
from tests.factories import PatientFactory
from tests.formulary.factories import in_minutes, lot, recipe

EXAMPLES = itertools.count(1)


def _key(entry) -> tuple:
    return (entry.patient.id, entry.session_ref, entry.quantity)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(uses=st.lists(st.tuples(st.booleans(), st.integers(0, 4), st.integers(1, 3)), max_size=15))
def test_every_use_of_the_lot_appears_and_none_of_another(cast, uses):
    patients = [cast.patient, *(PatientFactory(clinic=cast.clinic) for _ in range(4))]
    tag = next(EXAMPLES)  # every example has its own lots (the cast is shared)
    recalled = lot(cast, number=f"R-{tag}", quantity="100")
    other = lot(cast, number=f"O-{tag}", quantity="100")
    expected = []
    for index, (in_recalled, who, ml) in enumerate(uses):
        target = recalled if in_recalled else other
        ref = f"demo:{tag}:{index}"
        services.stock_use(
            actor=cast.nurse, lot=target, quantity=str(ml), patient=patients[who], session_ref=ref
        )
        if in_recalled:
            expected.append((patients[who].pk, ref, Decimal(ml)))
    listed = selectors.lot_recall_list(user=cast.manager, lot=recalled)
    assert sorted(map(_key, listed)) == sorted(expected)
    assert all(entry.via == "" and entry.clinic == "Leeds" for entry in listed)


def test_patients_given_a_syringe_prepared_from_the_lot_are_listed(cast):
    dutasteride = lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = services.batch_prepare(
        actor=cast.nurse,
        version=recipe(cast).current_version(),
        clinic=cast.clinic,
        syringes=4,
        use_by=in_minutes(120),
    )
    services.batch_syringe_use(
        actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="courses.Appointment:9"
    )
    services.lot_recall(actor=cast.manager, lot=dutasteride, reason="Notice")
    [entry] = selectors.lot_recall_list(user=cast.manager, lot=dutasteride)
    assert (entry.patient.id, entry.session_ref, entry.quantity, entry.via) == (
        cast.patient.pk,
        "courses.Appointment:9",
        Decimal(1),
        f"Batch {batch.pk}, syringe 1",
    )
    [pending] = selectors.lot_recall_unused_syringes(lot=dutasteride)
    assert (pending.batch, pending.available) == (batch, 3)


def test_a_deleted_patient_is_still_listed_and_other_clinics_staff_see_nobody(cast):
    held = lot(cast)
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
    )
    patient_soft_delete(actor=cast.manager, patient=cast.patient, reason="Duplicate record")
    [entry] = selectors.lot_recall_list(user=cast.manager, lot=held)
    assert entry.patient.is_deleted and entry.patient.record_number == cast.patient.record_number
    assert selectors.lot_recall_list(user=cast.other_practitioner, lot=held) == []


def test_the_recall_list_runs_a_fixed_number_of_queries(cast, django_assert_num_queries):
    held = lot(cast, quantity="200")
    for number in range(30):
        services.stock_use(
            actor=cast.nurse,
            lot=held,
            quantity="1",
            patient=cast.patient,
            session_ref=f"s:{number}",
        )
    selectors.lot_recall_list(user=cast.manager, lot=held)  # the user's clinics, then cached
    with django_assert_num_queries(3):  # the uses, the batches (none), the patients
        assert len(selectors.lot_recall_list(user=cast.manager, lot=held)) == 30
