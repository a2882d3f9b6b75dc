import datetime as dt

from django.utils import timezone

from mesotrack.accounts.models import Role
from mesotrack.audit.models import AuditEvent
from mesotrack.formulary import services
from mesotrack.formulary.models import Lot, Product, RecipeVersion
from tests.factories import ClinicFactory, OrganisationFactory, staff_user
from tests.formulary.factories import lot, product, recipe

EXPIRY = (timezone.localdate() + dt.timedelta(days=200)).isoformat()


def test_the_catalogue_says_where_a_cap_exists_and_where_none_is_established(cast, api_for):
    response = api_for(cast.nurse).get("/api/v1/ingredients")
    rows = {row["code"]: row for row in response.json()}
    assert rows["dutasteride"]["max_per_session"] == "0.5"
    assert rows["lidocaine"]["max_per_kg"] == "4.5"
    assert rows["biotin"]["max_per_session"] is None
    assert rows["biotin"]["cap_note"].startswith("No per-session maximum is established")
    assert "minor_five_ari" in rows["dutasteride"]["contraindications"]


def test_a_product_is_added_and_bad_composition_names_the_field(cast, api_for):
    client = api_for(cast.practitioner)
    body = {
        "name": "Minoxidil 0.5% solution",
        "kind": "compounded",
        "composition": [{"ingredient": "minoxidil", "amount": "5", "unit": "mg"}],
    }
    created = client.post("/api/v1/products", body)
    assert created.status_code == 201
    assert created.json()["composition"] == [
        {"ingredient": "minoxidil", "amount": "5.0000", "unit": "mg"}
    ]
    wrong = client.post(
        "/api/v1/products",
        {
            **body,
            "name": "X",
            "composition": [{"ingredient": "botox", "amount": "1", "unit": "mg"}],
        },
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == [
        {"field": "composition.0", "message": "“botox” is not in the catalogue.", "code": "invalid"}
    ]
    missing = client.post("/api/v1/products", {"kind": "diluent"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "name"
    assert Product.objects.count() == 1


def test_stock_is_received_and_a_second_clinic_must_be_named(cast, api_for):
    dutasteride = product(cast)
    body = {
        "product": dutasteride.pk,
        "lot_number": "DUT-1",
        "expiry_date": EXPIRY,
        "supplier": "Northern Compounding",
        "quantity": "12.5",
    }
    response = api_for(cast.nurse).post("/api/v1/lots", body)
    assert response.status_code == 201
    assert (response.json()["on_hand"], response.json()["clinic"]) == ("12.50", "LDS")
    refused = api_for(cast.nurse).post("/api/v1/lots", {**body, "clinic": "YRK"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "clinic"


def test_waste_beyond_the_stock_is_refused_with_the_quantity_named(cast, api_for):
    held = lot(cast, quantity="3")
    client = api_for(cast.nurse)
    url = f"/api/v1/lots/{held.pk}/movements"
    done = client.post(url, {"kind": "waste", "quantity": "1", "reason": "Dropped"})
    assert done.status_code == 201 and done.json()["on_hand"] == "2.00"
    refused = client.post(url, {"kind": "adjust", "quantity": "-2.5", "reason": "Count"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "field": "quantity",
            "message": "Only 2 mL of lot L-001 is on hand; "
            "taking 2.5 mL would leave less than none.",
            "code": "insufficient_stock",
        }
    ]


def test_quarantine_and_recall_through_the_api(cast, api_for):
    held = lot(cast)
    response = api_for(cast.practitioner).post(
        f"/api/v1/lots/{held.pk}/quarantine", {"reason": "Cloudy"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "quarantined")
    assert (
        api_for(cast.nurse).post(f"/api/v1/lots/{held.pk}/recall", {"reason": "x"}).status_code
        == 403
    )
    recalled = api_for(cast.manager).post(f"/api/v1/lots/{held.pk}/recall", {"reason": "Notice"})
    assert recalled.json()["status"] == "recalled"
    again = api_for(cast.manager).post(f"/api/v1/lots/{held.pk}/release", {"reason": "x"})
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "status"


def test_the_recall_list_names_every_patient_and_is_audited(cast, api_for):
    held = lot(cast)
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1.5", patient=cast.patient, session_ref="demo:9"
    )
    response = api_for(cast.manager).get(f"/api/v1/lots/{held.pk}/recall")
    body = response.json()
    assert (body["count"], body["patients"], body["lot"]["lot_number"]) == (1, 1, "L-001")
    entry = body["entries"][0]
    assert (entry["patient"]["record_number"], entry["session_ref"], entry["quantity"]) == (
        cast.patient.record_number,
        "demo:9",
        "1.50",
    )
    event = AuditEvent.objects.get(action="view", object_type="formulary.Lot")
    assert event.detail["shown"] == "api" and event.detail["patient_ids"] == [cast.patient.pk]


def test_lots_are_listed_by_effective_status(cast, api_for):
    lot(cast, number="FRESH")
    old = lot(cast, number="OLD")
    Lot.objects.filter(pk=old.pk).update(expiry_date=timezone.localdate() - dt.timedelta(days=1))
    expired = api_for(cast.nurse).get("/api/v1/lots", status="expired").json()
    assert [item["lot_number"] for item in expired["items"]] == ["OLD"]
    assert expired["items"][0]["status"] == "active"


def test_a_recipe_reads_with_its_doses_and_takes_a_new_version(cast, api_for):
    made = recipe(cast)
    read = api_for(cast.nurse).get(f"/api/v1/recipes/{made.pk}").json()
    assert read["current"]["doses"][0] == {
        "ingredient": "dutasteride",
        "label": "Dutasteride",
        "amount": "0.1000",
        "unit": "mg",
        "concentration_per_ml": "0.0500",
        "max_per_session": "0.5",
    }
    url = f"/api/v1/recipes/{made.pk}/versions"
    strong = product(cast, "Dutasteride 0.05% solution")
    over = api_for(cast.practitioner).post(
        url, {"components": [{"product": strong.pk, "volume_ml": "2"}]}
    )
    assert over.status_code == 400 and over.json()["errors"][0]["field"] == "components"
    assert over.json()["detail"].startswith("Dutasteride: 1 mg a session is above the cap")
    saved = api_for(cast.practitioner).post(
        url, {"components": [{"product": product(cast).pk, "volume_ml": "2"}], "notes": "v2"}
    )
    assert saved.status_code == 201 and saved.json()["versions"] == 2
    assert RecipeVersion.objects.filter(recipe=made).count() == 2


def test_another_organisation_finds_nothing(cast, api_for):
    held = lot(cast)
    stranger = staff_user(
        ClinicFactory(organisation=OrganisationFactory(name="South")), Role.MANAGER
    )
    client = api_for(stranger)
    assert client.get(f"/api/v1/lots/{held.pk}").status_code == 404
    assert client.get(f"/api/v1/lots/{held.pk}/recall").status_code == 404
    assert client.get(f"/api/v1/products/{held.product_id}").status_code == 404
    assert client.get("/api/v1/lots").json()["count"] == 0
