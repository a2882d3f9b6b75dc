"""The outcomes API: measures, photographs, analyses and corrections, as on the pages."""

import base64
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from PIL import Image

from mesotrack.audit.models import Action, AuditEvent
from mesotrack.outcomes.models import ClinicalPhoto, MeasurementVisit, TrichoscopyAnalysis
from tests.api.conftest import ApiClient, token_for
from tests.outcomes.conftest import stored_files
from tests.outcomes.factories import jpeg_bytes, photo, site, trichoscopy_png
from tests.outcomes.test_uploads import SVG_WITH_SCRIPT


def today() -> dt.date:
    """Read at each use: a run that crosses midnight must not compare with yesterday."""
    return timezone.localdate()


@pytest.fixture
def api_for(cast):
    return lambda user: ApiClient(token_for(user) if user else None)


def base(cast) -> str:
    return f"/api/v1/patients/{cast.patient.pk}"


def test_a_nurse_records_and_lists_measures(cast, api_for):
    vertex = site(cast.patient, cast.nurse)
    client = api_for(cast.nurse)
    created = client.post(
        f"{base(cast)}/outcomes/measures",
        {
            "measured_on": (today() - dt.timedelta(days=1)).isoformat(),
            "label": "Baseline",
            "hair_count_60s": 12,
            "sites": [{"site_id": vertex.pk, "hair_count": 150, "area_mm2": 100}],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["label"] == "Baseline"
    assert body["sites"][0]["density_per_cm2"] == 150.0
    listed = api_for(cast.manager).get(f"{base(cast)}/outcomes/measures").json()
    assert [v["id"] for v in listed] == [body["id"]]
    event = AuditEvent.objects.filter(action=Action.VIEW, actor=cast.manager).last()
    assert event.detail == {"api": "outcome measures", "visits": [body["id"]]}


def test_a_bad_measure_names_its_field(cast, api_for):
    vertex = site(cast.patient, cast.nurse)
    response = api_for(cast.nurse).post(
        f"{base(cast)}/outcomes/measures",
        {"sites": [{"site_id": vertex.pk, "density_per_cm2": 900}]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "sites.0.density_per_cm2",
            "message": "Density must be from 0 to 600 hairs/cm².",
            "code": "invalid",
        }
    ]
    assert not MeasurementVisit.objects.exists()


def test_another_patients_site_is_refused(cast, api_for):
    foreign = site(cast.other_patient, cast.other_practitioner)
    response = api_for(cast.nurse).post(
        f"{base(cast)}/outcomes/measures", {"sites": [{"site_id": foreign.pk, "hair_count": 9}]}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "sites.0.site_id"


def test_sites_are_listed_and_added(cast, api_for):
    created = api_for(cast.practitioner).post(
        f"{base(cast)}/outcomes/sites",
        {"label": "Occiput", "region": "occipital", "tattoo_dot": True},
    )
    assert created.status_code == 201
    assert created.json()["is_reference"] is True
    listed = api_for(cast.nurse).get(f"{base(cast)}/outcomes/sites").json()
    assert [s["label"] for s in listed] == ["Occiput"]


def multipart(client: ApiClient, path: str, data: dict):
    return client.client.post(path, data)


def test_a_photograph_is_uploaded_and_fetched_as_base64(cast, consented, api_for):
    upload = io.BytesIO(jpeg_bytes(captured="2026:01:02 09:30:00"))
    upload.name = "front.jpg"
    created = multipart(
        api_for(cast.nurse), f"{base(cast)}/photos", {"file": upload, "view": "frontal"}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["view"], body["taken_on"]) == ("frontal", "2026-01-02")
    image = api_for(cast.manager).get(f"{base(cast)}/photos/{body['id']}/image")
    assert image["Content-Type"] == "application/json; charset=utf-8"
    data = base64.b64decode(image.json()["data_base64"])
    assert Image.open(io.BytesIO(data)).size == (96, 64)
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_id=str(body["id"]), detail__api="photograph image"
    ).exists()


def test_a_hostile_upload_through_the_api_is_refused_and_nothing_stored(
    cast, consented, api_for, private_media
):
    upload = io.BytesIO(SVG_WITH_SCRIPT)
    upload.name = "scalp.png"
    response = multipart(
        api_for(cast.nurse), f"{base(cast)}/photos", {"file": upload, "view": "vertex"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "image"
    assert "SVG" in response.json()["detail"]
    assert not ClinicalPhoto.objects.exists() and stored_files(private_media) == []


def test_an_upload_without_a_file_says_so(cast, consented, api_for):
    response = multipart(api_for(cast.nurse), f"{base(cast)}/photos", {"view": "vertex"})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "file",
        "message": "Attach the image as `file`.",
        "code": "invalid",
    }


def test_photos_are_listed_by_view(cast, consented, api_for):
    photo(cast.patient, cast.nurse, view="vertex")
    photo(cast.patient, cast.nurse, view="left")
    listed = api_for(cast.practitioner).get(f"{base(cast)}/photos", view="left").json()
    assert [p["view"] for p in listed] == ["left"]


def test_an_analysis_is_submitted_polled_read_and_corrected(cast, consented, api_for):
    data, _ = trichoscopy_png()
    upload = io.BytesIO(data)
    upload.name = "field.png"
    region = json.dumps({"kind": "circle", "cx": 240, "cy": 180, "r": 170})
    submitted = multipart(
        api_for(cast.nurse),
        f"{base(cast)}/analyses",
        {"file": upload, "px_per_mm": "100", "region": region},
    )
    assert submitted.status_code == 201, submitted.json()
    analysis_id = submitted.json()["id"]
    status = api_for(cast.manager).get(f"{base(cast)}/analyses/{analysis_id}").json()
    assert status["status"] == "finished" and status["progress"] == 100
    assert status["region"]["kind"] == "circle"
    result = api_for(cast.manager).get(f"{base(cast)}/analyses/{analysis_id}/result").json()
    automatic = status["automatic"]["hair_count"]
    assert len(result["hairs"]) == automatic == result["automatic_result"]["hair_count"]
    first = result["hairs"][0]["ref"]
    corrected = api_for(cast.nurse).post(
        f"{base(cast)}/analyses/{analysis_id}/corrections", {"kind": "remove", "hair_ref": first}
    )
    assert corrected.status_code == 201
    assert corrected.json()["corrected"]["hair_count"] == automatic - 1
    assert corrected.json()["automatic"]["hair_count"] == automatic
    history = api_for(cast.practitioner).get(f"{base(cast)}/analyses/{analysis_id}/corrections")
    assert [(c["kind"], c["hair_ref"], c["author"]) for c in history.json()] == [
        ("remove", first, cast.nurse.username)
    ]


def test_a_bad_region_is_refused(cast, consented, api_for):
    upload = io.BytesIO(trichoscopy_png()[0])
    upload.name = "field.png"
    response = multipart(
        api_for(cast.nurse),
        f"{base(cast)}/analyses",
        {"file": upload, "px_per_mm": "100", "region": "{not json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "region",
        "message": "Give the region as JSON.",
        "code": "invalid",
    }
    assert not TrichoscopyAnalysis.objects.exists()


def test_an_unfinished_analysis_has_no_result_yet(cast, finished, api_for):
    TrichoscopyAnalysis.objects.filter(pk=finished.pk).update(status="running")
    response = api_for(cast.nurse).get(f"{base(cast)}/analyses/{finished.pk}/result")
    assert response.status_code == 400
    assert response.json()["detail"] == "The analysis is not finished (analysing)."


def test_managers_read_but_do_not_write_and_other_clinics_get_404(cast, finished, api_for):
    refused = api_for(cast.manager).post(
        f"{base(cast)}/analyses/{finished.pk}/corrections", {"kind": "add", "x": 1, "y": 1}
    )
    assert refused.status_code == 403
    hidden = api_for(cast.other_practitioner).get(f"{base(cast)}/analyses/{finished.pk}")
    assert hidden.status_code == 404
    assert api_for(cast.receptionist).get(f"{base(cast)}/photos").status_code == 403
