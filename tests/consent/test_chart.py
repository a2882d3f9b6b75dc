from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.consent.factories import sign, withdraw

ALERT = "No valid mesotherapy consent"


def _chart(client, cast):
    return client.get(reverse("patients:chart", args=[cast.patient.pk]))


def test_the_chart_warns_when_there_is_no_mesotherapy_consent(cast, client_for):
    body = _chart(client_for(cast.nurse), cast).content.decode()
    assert ALERT in body
    assert reverse("consent:sign", args=[cast.patient.pk, "mesotherapy"]) in body


def test_the_chart_does_not_warn_once_signed_and_lists_it_in_the_timeline(cast, client_for):
    consent = sign(patient=cast.patient, witness=cast.nurse)
    body = _chart(client_for(cast.nurse), cast).content.decode()
    assert ALERT not in body
    assert "Mesotherapy consent signed (version 1)" in body
    assert reverse("consent:detail", args=[cast.patient.pk, consent.pk]) in body


def test_the_chart_warns_again_after_a_withdrawal(cast, client_for):
    withdraw(sign(patient=cast.patient, witness=cast.nurse), actor=cast.nurse)
    body = _chart(client_for(cast.nurse), cast).content.decode()
    assert ALERT in body
    assert "Mesotherapy consent withdrawn" in body


def test_the_chart_runs_the_same_queries_however_long_the_history(cast, client_for):
    client = client_for(cast.nurse)
    sign(patient=cast.patient, witness=cast.nurse)
    _chart(client, cast)
    with CaptureQueriesContext(connection) as short:
        _chart(client, cast)
    for kind in ["mesotherapy", "prp", "clinical_photography", "data_processing"] * 5:
        withdraw(sign(patient=cast.patient, witness=cast.nurse, kind=kind), actor=cast.nurse)
    with CaptureQueriesContext(connection) as long:
        _chart(client, cast)
    assert len(long) == len(short)
