"""The trichoscopy pages: upload, status fragment, overlay review and its corrections."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.outcomes.models import AnalysisCorrection, TrichoscopyAnalysis
from tests.outcomes.factories import TRICHOSCOPY_PX_PER_MM, trichoscopy_png

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def url(name: str, cast, **kwargs) -> str:
    return reverse(f"outcomes:{name}", kwargs={"patient_id": cast.patient.pk, **kwargs})


def test_an_uploaded_field_is_analysed_and_shown_for_review(cast, consented, client_for):
    data, _ = trichoscopy_png()
    client = client_for(cast.nurse)
    response = client.post(
        url("analysis-new", cast),
        {
            "image": SimpleUploadedFile("field.png", data, content_type="image/png"),
            "px_per_mm": str(TRICHOSCOPY_PX_PER_MM),
        },
    )
    analysis = TrichoscopyAnalysis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("analysis", cast, analysis_id=analysis.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Finished" in page
    assert page.count('class="hair auto') == analysis.auto_hair_count
    assert f'data-testid="corrected-count">{analysis.auto_hair_count}<' in page
    assert 'hx-trigger="every 2s"' not in page  # nothing left to poll


def test_a_missing_calibration_is_shown_on_its_field(cast, consented, client_for):
    data, _ = trichoscopy_png()
    response = client_for(cast.nurse).post(
        url("analysis-new", cast),
        {"image": SimpleUploadedFile("field.png", data, content_type="image/png")},
    )
    assert response.context["form"].errors == {
        "px_per_mm": ["Give the calibration: pixels per millimetre, or a saved device profile."]
    }
    assert not TrichoscopyAnalysis.objects.exists()


def test_half_a_region_is_refused_by_the_form(cast, consented, client_for):
    data, _ = trichoscopy_png()
    response = client_for(cast.nurse).post(
        url("analysis-new", cast),
        {
            "image": SimpleUploadedFile("field.png", data, content_type="image/png"),
            "px_per_mm": "100",
            "region_cx": "20",
        },
    )
    assert response.context["form"].errors == {
        "region_r": ["Give the circle's centre and radius, or leave all three empty."]
    }


def test_the_status_fragment_polls_while_running_and_refreshes_when_done(
    cast, finished, client_for
):
    client = client_for(cast.practitioner)
    status_url = url("analysis-status", cast, analysis_id=finished.pk)
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(
        status="running", progress=45, progress_message="Analysing the image (45%)"
    )
    running = client.get(status_url, HTTP_HX_REQUEST="true")
    fragment = running.content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="45"' in fragment
    assert "Analysing the image (45%)" in fragment
    assert "HX-Refresh" not in running
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(status="finished", progress=100)
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "Finished" in done.content.decode()
    event = AuditEvent.objects.filter(action=Action.VIEW).last()
    assert event.detail == {"page": "trichoscopy analysis status"}


def test_a_click_on_the_overlay_adds_a_hair_and_answers_with_the_new_review(
    cast, finished, client_for
):
    response = client_for(cast.nurse).post(
        url("analysis-corrections", cast, analysis_id=finished.pk),
        {"kind": "add", "x": "40.5", "y": "33.0", "is_vellus": ""},
        **FETCH,
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.startswith('<section class="card" id="review"')
    assert f'data-testid="corrected-count">{finished.auto_hair_count + 1}<' in fragment
    correction = AnalysisCorrection.objects.get()
    assert (correction.x, correction.y, correction.author) == (40.5, 33.0, cast.nurse)
    assert 'class="hair added"' in fragment


def test_a_click_on_a_hair_removes_it_and_a_second_click_brings_it_back(cast, finished, client_for):
    client = client_for(cast.practitioner)
    corrections = url("analysis-corrections", cast, analysis_id=finished.pk)
    ref = f"auto:{finished.result['hairs'][0]['id']}"
    removed = client.post(corrections, {"kind": "remove", "hair_ref": ref}, **FETCH)
    assert f'data-testid="corrected-count">{finished.auto_hair_count - 1}<' in (
        removed.content.decode()
    )
    assert 'class="hair auto removed"' in removed.content.decode() or (
        'removed" data-ref="' + ref in removed.content.decode()
    )
    restored = client.post(corrections, {"kind": "restore", "hair_ref": ref}, **FETCH)
    assert f'data-testid="corrected-count">{finished.auto_hair_count}<' in (
        restored.content.decode()
    )


def test_a_refused_click_answers_with_the_reason(cast, finished, client_for):
    response = client_for(cast.nurse).post(
        url("analysis-corrections", cast, analysis_id=finished.pk),
        {"kind": "remove", "hair_ref": "auto:99999"},
        **FETCH,
    )
    assert response.status_code == 400
    assert "That hair is not on the overlay" in response.content.decode()
    assert not AnalysisCorrection.objects.exists()


def test_the_form_without_a_script_corrects_by_coordinates(cast, finished, client_for):
    client = client_for(cast.nurse)
    corrections = url("analysis-corrections", cast, analysis_id=finished.pk)
    page = client.get(corrections)
    assert page.status_code == 200 and "auto:" in page.content.decode()
    response = client.post(corrections, {"kind": "add", "x": "10", "y": "10"})
    assert response.status_code == 302
    refused = client.post(corrections, {"kind": "add", "x": "5000", "y": "10"})
    assert refused.context["form"].errors == {"x": ["The point is outside the image."]}
    assert AnalysisCorrection.objects.count() == 1


def test_managers_review_but_cannot_correct(cast, finished, client_for):
    page = client_for(cast.manager).get(url("analysis", cast, analysis_id=finished.pk))
    assert page.status_code == 200
    assert "data-corrections-url" not in page.content.decode()
    refused = client_for(cast.manager).post(
        url("analysis-corrections", cast, analysis_id=finished.pk),
        {"kind": "add", "x": "10", "y": "10"},
    )
    assert refused.status_code == 403
    assert not AnalysisCorrection.objects.exists()


def test_the_image_and_the_overlay_are_served_privately(cast, finished, client_for):
    client = client_for(cast.practitioner)
    image = client.get(url("analysis-image", cast, analysis_id=finished.pk))
    overlay = client.get(url("analysis-image", cast, analysis_id=finished.pk) + "?overlay=1")
    assert image["Content-Type"] == overlay["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "private, no-store"
    assert image.content != overlay.content
    events = AuditEvent.objects.filter(action=Action.VIEW, object_id=str(finished.pk))
    assert sorted(e.detail["image"] for e in events) == ["image", "overlay"]


def test_a_failed_analysis_can_be_run_again_from_its_page(cast, finished, client_for):
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(status="failed", error="Boom.")
    client = client_for(cast.nurse)
    retry_url = url("analysis-retry", cast, analysis_id=finished.pk)
    assert "Boom." in client.get(retry_url).content.decode()
    assert client.post(retry_url).status_code == 302
    finished.refresh_from_db()
    assert finished.status == "finished"
