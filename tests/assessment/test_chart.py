from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesotrack.assessment.chart import assessment_chart_section, assessment_timeline
from tests.assessment.factories import make_pregnant, plan
from tests.assessment.history import add


def chart(cast, client_for, who="practitioner") -> str:
    path = reverse("patients:chart", kwargs={"patient_id": cast.patient.pk})
    return client_for(getattr(cast, who)).get(path).content.decode()


def test_the_chart_shows_the_signed_assessment_plan_and_screening(cast, client_for, signed):
    plan(signed, cast.practitioner, patient_decision="thinking_it_over")
    page = chart(cast, client_for, "nurse")
    assert 'id="section-assessment"' in page
    assert "Norwood–Hamilton III vertex" in page
    assert "assessment/stages/norwood-III-vertex.svg" in page
    assert "Mesotherapy</a> — thinking it over" in page
    assert 'data-testid="screening-panel"' in page


def test_receptionists_get_no_assessment_section_or_entries(cast, client_for, signed):
    assert assessment_chart_section(cast.patient, cast.receptionist) is None
    assert assessment_timeline(cast.patient, cast.receptionist) == []
    assert 'id="section-assessment"' not in chart(cast, client_for, "receptionist")


def test_an_unresolved_block_raises_a_chart_alert(cast):
    make_pregnant(cast.patient, cast.nurse, cast.practitioner)
    section = assessment_chart_section(cast.patient, cast.nurse)
    assert section is not None
    assert [(a.level, a.text) for a in section.alerts] == [
        ("danger", "Screening: 1 unresolved block for mesotherapy (no ingredients chosen yet)")
    ]


def test_the_timeline_shows_assessments_addenda_and_plans(cast, signed):
    from mesotrack.assessment.services import assessment_addendum_add

    assessment_addendum_add(actor=cast.practitioner, assessment=signed, text="Checked again.")
    plan(signed, cast.practitioner)
    titles = [entry.title for entry in assessment_timeline(cast.patient, cast.practitioner)]
    assert titles[:2] == [
        "Assessment started",
        "Assessment signed: Male androgenetic alopecia, Norwood III vertex",
    ]
    assert titles[2].startswith("Addendum to the assessment of")
    assert titles[3] == "Plan: Mesotherapy — Accepted"


def test_the_chart_runs_the_same_queries_however_long_the_history(cast, client_for):
    client = client_for(cast.practitioner)
    path = reverse("patients:chart", kwargs={"patient_id": cast.patient.pk})
    client.get(path)
    with CaptureQueriesContext(connection) as short_history:
        client.get(path)
    add(cast, entries=6)
    with CaptureQueriesContext(connection) as long_history:
        client.get(path)
    assert len(long_history) == len(short_history)
