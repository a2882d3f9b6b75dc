import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mesotrack.audit.models import AuditEvent
from mesotrack.formulary import services
from mesotrack.formulary.models import PreparedBatch, Recipe, RecipeVersion, StockMovement
from tests.formulary.factories import in_minutes, lot, product, recipe


def _rows(*parts: tuple[object, str], total: int = 5) -> dict[str, object]:
    data: dict[str, object] = {
        "components-TOTAL_FORMS": str(total),
        "components-INITIAL_FORMS": "0",
    }
    for index in range(total):
        name, ml = parts[index] if index < len(parts) else ("", "")
        data[f"components-{index}-product"] = name
        data[f"components-{index}-volume_ml"] = ml
    return data


def test_a_recipe_page_shows_the_dose_of_each_ingredient_and_its_versions(cast, client_for):
    made = recipe(cast)
    response = client_for(cast.nurse).get(reverse("formulary:recipe", args=[made.pk]))
    assert response.status_code == 200
    assert "0.1 mg" in response.text and "0.05 mg/mL" in response.text
    assert "Version 1" in response.text and "New version" not in response.text


def test_a_new_version_is_saved_and_the_old_one_stays_readable(cast, client_for):
    made = recipe(cast)
    url = reverse("formulary:recipe-version-create", args=[made.pk])
    data = {"notes": "Moftah volume", **_rows((product(cast).pk, "2"))}
    response = client_for(cast.practitioner).post(url, data)
    assert response["Location"] == reverse("formulary:recipe", args=[made.pk])
    assert made.current_version().version == 2
    old = client_for(cast.practitioner).get(
        reverse("formulary:recipe", args=[made.pk]) + "?version=1"
    )
    assert "version 1" in old.text and "(version 2 is the current one)" in old.text


def test_a_version_over_a_cap_is_refused_with_the_entries_kept(cast, client_for):
    made = recipe(cast)
    strong = product(cast, "Dutasteride 0.05% solution")
    url = reverse("formulary:recipe-version-create", args=[made.pk])
    response = client_for(cast.practitioner).post(
        url, {"notes": "Stronger", **_rows((strong.pk, "2"))}
    )
    assert response.status_code == 200
    assert "Dutasteride: 1 mg a session is above the cap of 0.5 mg a session." in response.text
    assert "Stronger" in response.text and 'value="2"' in response.text
    assert RecipeVersion.objects.count() == 1


def test_the_htmx_preview_shows_doses_and_checks_without_saving(cast, client_for):
    made = recipe(cast)
    url = reverse("formulary:recipe-version-create", args=[made.pk])
    data = _rows((product(cast).pk, "1"), (product(cast, "Finasteride 0.05% solution").pk, "1"))
    response = client_for(cast.practitioner).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.text.lstrip().startswith(
        '<div id="dose-preview">'
    )
    assert "duplicate therapy" in response.text and "0.5 mg" in response.text
    assert RecipeVersion.objects.count() == 1


def test_a_recipe_is_created_and_bad_input_writes_nothing(cast, client_for):
    url = reverse("formulary:recipe-create")
    client = client_for(cast.manager)
    empty = client.post(url, {"name": "Minoxidil", "modality": "mesotherapy", **_rows()})
    assert "Add at least one product to the recipe." in empty.text and not Recipe.objects.exists()
    minoxidil = product(cast, "Minoxidil 0.5% solution")
    made = client.post(
        url, {"name": "Minoxidil", "modality": "mesotherapy", **_rows((minoxidil.pk, "2"))}
    )
    assert made.status_code == 302 and Recipe.objects.get().name == "Minoxidil"
    assert client_for(cast.nurse).get(url).status_code == 403


def test_a_nurse_prepares_a_batch_and_bad_input_writes_nothing(cast, client_for):
    made = recipe(cast)
    lot(cast)
    url = reverse("formulary:batch-create", args=[made.pk])
    use_by = timezone.localtime(in_minutes(180)).strftime("%Y-%m-%dT%H:%M")
    data = {"clinic": cast.clinic.pk, "syringes": "3", "use_by": use_by, "notes": "Morning"}
    short = client_for(cast.nurse).post(url, data)
    assert "No usable lot of Sodium chloride 0.9% at Leeds holds 3 mL." in short.text
    assert 'value="Morning"' in short.text or "Morning" in short.text
    assert not PreparedBatch.objects.exists() and StockMovement.objects.count() == 1
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    done = client_for(cast.nurse).post(url, data)
    batch = PreparedBatch.objects.get()
    assert done["Location"] == reverse("formulary:batch", args=[batch.pk])
    assert batch.syringes == 3 and batch.movements.count() == 2


def test_the_batch_page_audits_the_patients_it_names(cast, client_for):
    made = recipe(cast)
    lot(cast)
    lot(cast, "Sodium chloride 0.9%", number="NS-1")
    batch = services.batch_prepare(
        actor=cast.nurse,
        version=made.current_version(),
        clinic=cast.clinic,
        syringes=2,
        use_by=timezone.now() + dt.timedelta(hours=2),
    )
    services.batch_syringe_use(
        actor=cast.nurse, batch=batch, patient=cast.patient, session_ref="s:1"
    )
    response = client_for(cast.nurse).get(reverse("formulary:batch", args=[batch.pk]))
    assert cast.patient.record_number in response.text
    event = AuditEvent.objects.get(action="view", object_type="formulary.PreparedBatch")
    assert event.detail["patient_ids"] == [cast.patient.pk]
    other = client_for(cast.other_practitioner).get(reverse("formulary:batch", args=[batch.pk]))
    assert cast.patient.record_number not in other.text and "A patient at Leeds" in other.text
