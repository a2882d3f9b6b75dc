import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.outcomes.models import (
    ClinicalPhoto,
    MeasurementSite,
    MeasurementVisit,
    SiteMeasurement,
)
from tests.outcomes.conftest import stored_files
from tests.outcomes.factories import jpeg_bytes, photo, site, visit
from tests.outcomes.test_uploads import SVG_WITH_SCRIPT


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


def url(name: str, cast, **kwargs) -> str:
    return reverse(f"outcomes:{name}", kwargs={"patient_id": cast.patient.pk, **kwargs})


def views_of(patient) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(patient_id=patient.pk, action=Action.VIEW))


def test_the_outcomes_page_shows_each_measure_with_its_chart(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    visit(
        cast.patient,
        cast.nurse,
        today() - dt.timedelta(days=90),
        sites=[(vertex, {"density_per_cm2": 150})],
    )
    visit(
        cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 165})], asfs_total=4
    )
    response = client_for(cast.manager).get(url("home", cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="measure-density_per_cm2"' in page
    assert page.count('class="point"') >= 3
    assert "150.0 hairs/cm²" in page and "+15.0 (+10.0%)" in page
    assert "Measurement noise unknown" in page
    assert "Record measurements" not in page  # managers read only
    assert views_of(cast.patient)[-1].detail == {"page": "outcomes"}


def test_receptionists_are_refused_and_other_clinics_see_nothing(cast, client_for):
    assert client_for(cast.receptionist).get(url("home", cast)).status_code == 403
    assert client_for(cast.other_practitioner).get(url("home", cast)).status_code == 404


def test_a_nurse_adds_a_site(cast, client_for):
    response = client_for(cast.nurse).post(
        url("site-new", cast),
        {
            "label": "Vertex A",
            "region": "vertex",
            "landmark": "vertex_whorl",
            "offset_back_mm": "15",
        },
    )
    assert response.status_code == 302
    added = MeasurementSite.objects.get()
    assert (added.label, added.offset_back_mm, added.created_by) == ("Vertex A", 15.0, cast.nurse)


def test_a_site_nobody_could_find_again_is_refused_on_the_form(cast, client_for):
    response = client_for(cast.nurse).post(
        url("site-new", cast), {"label": "Somewhere", "region": "vertex"}
    )
    assert response.status_code == 200
    assert "Say how to find the site again" in response.content.decode()
    assert not MeasurementSite.objects.exists()


def test_managers_cannot_open_the_recording_pages(cast, client_for):
    for name in ("site-new", "visit-new", "photo-new", "analysis-new"):
        assert client_for(cast.manager).get(url(name, cast)).status_code == 403


def visit_post(vertex, **overrides) -> dict:
    data = {
        "measured_on": today().isoformat(),
        "label": "Baseline",
        "hair_count_60s": "14",
        "global_photographic_score": "",
        "self_assessment_score": "",
        f"s{vertex.pk}_hair_count": "130",
        f"s{vertex.pk}_area_mm2": "100",
    }
    data.update(overrides)
    return data


def test_a_practitioner_records_a_visit_with_its_site_measures(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    response = client_for(cast.practitioner).post(url("visit-new", cast), visit_post(vertex))
    recorded = MeasurementVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("visit", cast, visit_id=recorded.pk)
    capture = SiteMeasurement.objects.get()
    assert (capture.hair_count, capture.density_per_cm2) == (130, 130.0)
    page = client_for(cast.nurse).get(response["Location"]).content.decode()
    assert "130.0" in page and "Baseline" in page


def test_a_site_value_out_of_range_shows_on_its_field_and_saves_nothing(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    response = client_for(cast.nurse).post(
        url("visit-new", cast), visit_post(vertex, **{f"s{vertex.pk}_mean_diameter_um": "900"})
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        f"s{vertex.pk}_mean_diameter_um": ["Mean shaft diameter must be from 5 to 200 µm."]
    }
    assert not MeasurementVisit.objects.exists()


def test_typing_letters_in_a_number_field_is_refused(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    response = client_for(cast.nurse).post(
        url("visit-new", cast), visit_post(vertex, hair_count_60s="lots")
    )
    assert response.context["form"].errors == {"hair_count_60s": ["Enter a whole number."]}
    assert not MeasurementVisit.objects.exists()


def test_a_visit_is_edited_and_a_repeat_capture_added(cast, client_for):
    vertex = site(cast.patient, cast.nurse)
    day = visit(cast.patient, cast.nurse, today(), sites=[(vertex, {"density_per_cm2": 150})])
    client = client_for(cast.nurse)
    edited = client.post(
        url("visit-edit", cast, visit_id=day.pk),
        {"measured_on": today().isoformat(), "label": "Baseline", "asfs_total": "6"},
    )
    assert edited.status_code == 302
    day.refresh_from_db()
    assert (day.asfs_total, day.label) == (6, "Baseline")
    added = client.post(
        url("capture-new", cast, visit_id=day.pk), {"site": vertex.pk, "density_per_cm2": "155"}
    )
    assert added.status_code == 302
    assert list(SiteMeasurement.objects.values_list("capture", flat=True)) == [1, 2]


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_nurse_uploads_a_photograph(cast, consented, client_for):
    response = client_for(cast.nurse).post(
        url("photo-new", cast),
        {"view": "vertex", "image": upload("IMG_0001.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert response.status_code == 302
    assert ClinicalPhoto.objects.get().view == "vertex"


def test_a_script_bearing_svg_is_refused_on_the_page_and_nothing_is_stored(
    cast, consented, client_for, private_media
):
    response = client_for(cast.nurse).post(
        url("photo-new", cast),
        {"view": "vertex", "image": upload("scalp.png", SVG_WITH_SCRIPT, "image/png")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "image": [
            "The file is an SVG or other markup document; only PNG, JPEG and TIFF images "
            "are accepted."
        ]
    }
    assert not ClinicalPhoto.objects.exists()
    assert stored_files(private_media) == []


def test_an_upload_without_consent_says_so(cast, client_for):
    response = client_for(cast.nurse).post(
        url("photo-new", cast),
        {"view": "vertex", "image": upload("a.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert "no valid consent to clinical photography" in response.content.decode()
    assert not ClinicalPhoto.objects.exists()


def test_the_photograph_is_served_privately_to_clinical_staff_with_an_audit_event(
    cast, consented, client_for
):
    stored = photo(cast.patient, cast.nurse)
    image_url = url("photo-image", cast, photo_id=stored.pk)
    response = client_for(cast.manager).get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content[:3] == b"\xff\xd8\xff"
    event = views_of(cast.patient)[-1]
    assert (event.actor, event.object_id, event.detail) == (
        cast.manager,
        str(stored.pk),
        {"page": "photograph image", "size": "full"},
    )
    thumb = client_for(cast.nurse).get(image_url + "?size=thumb")
    assert thumb.status_code == 200 and thumb["Cache-Control"] == "private, no-store"
    assert client_for(cast.receptionist).get(image_url).status_code == 403
    assert client_for(cast.other_practitioner).get(image_url).status_code == 404
    anonymous = client_for(None).get(image_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_no_url_outside_the_audited_view_serves_the_files(cast, consented, client_for):
    stored = photo(cast.patient, cast.nurse)
    for guess in (
        f"/media/{stored.image.name}",
        f"/static/{stored.image.name}",
        f"/{stored.image.name}",
    ):
        assert client_for(cast.practitioner).get(guess).status_code == 404


def test_one_view_is_compared_across_visits(cast, consented, client_for):
    first = photo(cast.patient, cast.nurse, taken_on=today() - dt.timedelta(days=180))
    latest = photo(cast.patient, cast.nurse, taken_on=today())
    photo(cast.patient, cast.nurse, view="frontal")
    response = client_for(cast.practitioner).get(url("photo-compare", cast) + "?view=vertex")
    page = response.content.decode()
    assert response.context["before"] == first and response.context["after"] == latest
    assert 'data-testid="side-by-side"' in page and 'id="ghost-opacity"' in page
    assert views_of(cast.patient)[-1].detail == {
        "page": "compare photographs",
        "view": "vertex",
        "photos": [first.pk, latest.pk],
    }


def test_the_photo_list_renders_with_a_fixed_number_of_queries(
    cast, consented, client_for, django_assert_max_num_queries
):
    for number in range(6):
        photo(cast.patient, cast.nurse, view=["frontal", "vertex"][number % 2])
    client = client_for(cast.practitioner)
    with django_assert_max_num_queries(10):
        response = client.get(url("photos", cast))
    assert response.content.decode().count("?size=thumb") == 6


@pytest.fixture
def settings_url(cast) -> str:
    return reverse("cohort:settings", kwargs={"clinic_id": cast.clinic.pk})


def test_a_manager_sets_the_vellus_threshold_and_the_responder_rule(cast, client_for, settings_url):
    response = client_for(cast.manager).post(
        settings_url,
        {
            "form": "settings",
            "vellus_threshold_um": "40",
            "responder_gain_percent": "15",
            "responder_after_months": "6",
            "responder_window_days": "30",
        },
    )
    assert response.status_code == 302
    settings = cast.clinic.outcome_settings
    assert (settings.vellus_threshold_um, settings.responder_gain_percent) == (40.0, 15.0)
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="outcomes.OutcomeSettings")
    assert event.detail["after"]["vellus_threshold_um"] == 40.0


def test_a_threshold_out_of_range_is_refused(cast, client_for, settings_url):
    response = client_for(cast.manager).post(
        settings_url,
        {
            "form": "settings",
            "vellus_threshold_um": "5",
            "responder_gain_percent": "10",
            "responder_after_months": "6",
            "responder_window_days": "45",
        },
    )
    assert response.context["settings_form"].errors == {
        "vellus_threshold_um": ["The vellus threshold is from 10 to 80 µm (30 or 40 usual)."]
    }


def test_a_manager_adds_and_retires_a_device_profile(cast, client_for, settings_url):
    client = client_for(cast.manager)
    client.post(settings_url, {"form": "profile", "name": "Scope 20×", "px_per_mm": "105.5"})
    profile = cast.clinic.device_profiles.get()
    assert (profile.px_per_mm, profile.is_active) == (105.5, True)
    client.post(settings_url, {"form": "profile", "retire": str(profile.pk)})
    profile.refresh_from_db()
    assert not profile.is_active


def test_other_clinics_settings_are_not_found(cast, client_for):
    other = reverse("cohort:settings", kwargs={"clinic_id": cast.other_clinic.pk})
    assert client_for(cast.manager).get(other).status_code == 404


def test_an_oversized_upload_is_refused_on_the_page(cast, consented, client_for):
    big = upload("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (26 * 1024 * 1024), "image/jpeg")
    response = client_for(cast.nurse).post(url("photo-new", cast), {"view": "vertex", "image": big})
    assert response.context["form"].errors == {
        "image": ["The file is 26.0 MB; the limit is 25.0 MB."]
    }
    assert not ClinicalPhoto.objects.exists()
