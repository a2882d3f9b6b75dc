from mesotrack.assessment.forms import AssessmentForm
from tests.assessment.factories import draft_assessment


def bound(initial: dict) -> AssessmentForm:
    """The form as the browser would send back what the edit page showed."""
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            continue
        data[name] = value if isinstance(value, list) else str(value)
    return AssessmentForm(data)


def test_salt_entries_survive_a_round_trip(cast):
    loss = {"vertex": 30.0, "posterior": 50.0, "right": 0.0, "left": 12.5}
    assessment = draft_assessment(
        cast.patient,
        cast.nurse,
        diagnosis="alopecia_areata",
        icd10_code="L63.9",
        stage_scale="salt",
        stage_value="",
        salt_loss=loss,
    )
    form = bound(AssessmentForm.initial_from(assessment))
    assert form.is_valid(), form.errors
    entries = form.entries()
    assert (entries["stage_scale"], entries["stage_value"]) == ("salt", "")
    assert entries["salt_loss"] == loss


def test_asfs_octants_survive_a_round_trip(cast):
    octants = [0, 1, 2, 3, 10, 9, 8, 7]
    assessment = draft_assessment(
        cast.patient, cast.nurse, seborrhoeic_dermatitis=True, asfs_octants=octants
    )
    form = bound(AssessmentForm.initial_from(assessment))
    assert form.is_valid(), form.errors
    assert form.entries()["asfs_octants"] == octants
    assert form.entries()["seborrhoeic_dermatitis"] is True


def test_a_staged_assessment_round_trips_its_stage(cast):
    assessment = draft_assessment(cast.patient, cast.nurse)
    initial = AssessmentForm.initial_from(assessment)
    assert initial["stage"] == "norwood:III vertex"
    entries = bound(initial)
    assert entries.is_valid(), entries.errors
    assert (entries.entries()["stage_scale"], entries.entries()["stage_value"]) == (
        "norwood",
        "III vertex",
    )


def test_no_asfs_scores_means_no_asfs():
    form = AssessmentForm({"assessed_on": "2025-01-02"})
    assert form.is_valid(), form.errors
    assert form.entries()["asfs_octants"] == []
    assert form.entries()["salt_loss"] == {}
