from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesotrack.intake import services
from mesotrack.intake.chart import intake_chart_section, intake_timeline
from tests.intake.conftest import TAKEN_ON, full_answers


def chart(cast, client_for, who="practitioner"):
    path = reverse("patients:chart", kwargs={"patient_id": cast.patient.pk})
    return client_for(getattr(cast, who)).get(path).content.decode()


def test_the_chart_shows_the_intake_with_allergy_and_pregnancy_alerts(cast, client_for, signed):
    page = chart(cast, client_for)
    assert 'id="section-intake"' in page
    assert "Allergy: amide local anaesthetics (lidocaine) — hives" in page
    assert "Could become pregnant" in page
    assert "Widening parting" in page


def test_pregnancy_and_breastfeeding_are_danger_alerts(cast, draft):
    answers = full_answers(allergies=[], no_known_allergies=True)
    answers["reproductive"] = {"pregnant": True, "breastfeeding": True}
    services.intake_update(actor=cast.nurse, intake=draft, answers=answers)
    section = intake_chart_section(cast.patient, cast.nurse)
    assert section is not None
    assert [(a.level, a.text) for a in section.alerts] == [
        ("danger", "Pregnant, or might be (draft intake, not yet signed)"),
        ("danger", "Breastfeeding (draft intake, not yet signed)"),
    ]


def test_low_lab_values_raise_no_alert_here(cast, draft):
    labs = [{"test": "ferritin", "value": "4", "unit": "µg/L", "taken_on": TAKEN_ON}]
    answers = full_answers(labs=labs, allergies=[], reproductive={})
    services.intake_update(actor=cast.nurse, intake=draft, answers=answers)
    section = intake_chart_section(cast.patient, cast.nurse)
    assert section is not None and section.alerts == ()


def test_receptionists_get_no_intake_section_or_entries(cast, client_for, signed):
    assert intake_chart_section(cast.patient, cast.receptionist) is None
    assert intake_timeline(cast.patient, cast.receptionist) == []
    page = chart(cast, client_for, "receptionist")
    assert 'id="section-intake"' not in page
    assert "lidocaine" not in page


def test_the_timeline_shows_versions_started_and_signed(cast, signed):
    services.intake_start(actor=cast.nurse, patient=cast.patient)
    titles = [entry.title for entry in intake_timeline(cast.patient, cast.practitioner)]
    assert titles == ["Intake v2 started", "Intake v1 started", "Intake v1 signed"]


def test_the_chart_runs_the_same_queries_however_long_the_history(cast, client_for, signed):
    client = client_for(cast.practitioner)
    path = reverse("patients:chart", kwargs={"patient_id": cast.patient.pk})
    client.get(path)
    with CaptureQueriesContext(connection) as short_history:
        client.get(path)
    for _ in range(4):
        version = services.intake_start(actor=cast.nurse, patient=cast.patient)
        services.intake_sign(actor=cast.practitioner, intake=version)
    with CaptureQueriesContext(connection) as long_history:
        client.get(path)
    assert len(long_history) == len(short_history)


def test_an_allergy_of_another_kind_is_named_by_its_substance(cast, draft):
    allergies = [{"allergy_class": "other", "substance": "penicillin", "reaction": "rash"}]
    services.intake_update(
        actor=cast.nurse, intake=draft, answers=full_answers(allergies=allergies, reproductive={})
    )
    section = intake_chart_section(cast.patient, cast.nurse)
    assert section is not None
    assert [a.text for a in section.alerts] == [
        "Allergy: penicillin — rash (draft intake, not yet signed)"
    ]
