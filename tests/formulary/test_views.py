import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.models import Role
from mesotrack.audit.models import AuditEvent
from mesotrack.formulary import services
from mesotrack.formulary.models import FormularySettings, Lot, LotStatus, Product, StockMovement
from mesotrack.formulary.selectors import lot_on_hand
from tests.factories import ClinicFactory, OrganisationFactory, staff_user
from tests.formulary.factories import lot, product


def _receive_data(cast, **changes):
    return {
        "clinic": cast.clinic.pk,
        "lot_number": "DUT-9",
        "expiry_date": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
        "quantity": "25",
        "supplier": "Northern Compounding",
        "received_on": timezone.localdate().isoformat(),
        "storage_notes": "",
        **changes,
    }


def test_the_formulary_lists_stock_and_expiring_lots(cast, client_for):
    lot(cast, number="SOON", expires_in_days=10)
    response = client_for(cast.nurse).get(reverse("formulary:home"))
    assert response.status_code == 200
    assert "Dutasteride 0.01% solution" in response.text and "in 10 days" in response.text
    assert client_for(cast.receptionist).get(reverse("formulary:home")).status_code == 403


def test_the_formulary_page_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.manager)
    client.get(reverse("formulary:home"))
    for number in range(10):
        name = ["Dutasteride 0.01% solution", "Minoxidil 0.5% solution", "Biotin vial"][number % 3]
        lot(cast, name, number=f"N{number}", expires_in_days=15 + number)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("formulary:home")).status_code == 200


def test_receiving_stock_creates_the_lot_and_its_first_movement(cast, client_for):
    url = reverse("formulary:receive", args=[product(cast).pk])
    response = client_for(cast.nurse).post(url, _receive_data(cast))
    received = Lot.objects.get(lot_number="DUT-9")
    assert response.status_code == 302 and response["Location"] == f"/formulary/lots/{received.pk}/"
    assert lot_on_hand(lot=received) == Decimal(25)


def test_bad_receive_input_keeps_the_entries_and_writes_nothing(cast, client_for):
    url = reverse("formulary:receive", args=[product(cast).pk])
    expired = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = client_for(cast.nurse).post(url, _receive_data(cast, expiry_date=expired))
    assert response.status_code == 200
    assert "do not receive it." in response.text and 'value="DUT-9"' in response.text
    other = client_for(cast.nurse).post(url, _receive_data(cast, clinic=cast.other_clinic.pk))
    assert "Select a valid choice." in other.text
    assert not Lot.objects.exists() and not StockMovement.objects.exists()


def test_a_lot_of_another_organisation_is_not_found(cast, client_for):
    held = lot(cast)
    stranger = staff_user(
        ClinicFactory(organisation=OrganisationFactory(name="South")), Role.MANAGER
    )
    client = client_for(stranger)
    for name in ("lot", "recall", "recall-csv", "lot-movement", "lot-status"):
        assert client.get(reverse(f"formulary:{name}", args=[held.pk])).status_code == 404
    assert client.get(reverse("formulary:product", args=[held.product_id])).status_code == 404


def test_staff_of_another_clinic_read_the_lot_but_cannot_change_it(cast, client_for):
    held = lot(cast, quantity="5")
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:4"
    )
    client = client_for(cast.other_practitioner)
    page = client.get(reverse("formulary:lot", args=[held.pk]))
    assert page.status_code == 200 and "A patient at Leeds" in page.text
    assert cast.patient.record_number not in page.text and "Change status" not in page.text
    refused = client.post(
        reverse("formulary:lot-movement", args=[held.pk]),
        {"kind": "waste", "quantity": "1", "reason": "x"},
    )
    assert refused.status_code == 302
    assert lot_on_hand(lot=held) == Decimal(4)


def test_waste_is_recorded_and_too_much_is_refused_keeping_the_entries(cast, client_for):
    held = lot(cast, quantity="5")
    url = reverse("formulary:lot-movement", args=[held.pk])
    client = client_for(cast.nurse)
    ok = client.post(url, {"kind": "waste", "quantity": "1.5", "reason": "Dropped"})
    assert ok.status_code == 302
    too_much = client.post(url, {"kind": "adjust", "quantity": "-9", "reason": "Count 2"})
    assert too_much.status_code == 200
    assert "Only 3.5 mL of lot L-001 is on hand; taking 9 mL would leave less than none." in (
        too_much.text
    )
    assert 'value="-9"' in too_much.text and "Count 2" in too_much.text
    assert lot_on_hand(lot=held) == Decimal("3.5")


def test_a_practitioner_recalls_a_lot_and_lands_on_its_recall_list(cast, client_for):
    held = lot(cast)
    url = reverse("formulary:lot-status", args=[held.pk])
    missing = client_for(cast.practitioner).post(url, {"action": "recall", "reason": ""})
    assert "Say why the lot is recalled" in missing.text
    response = client_for(cast.practitioner).post(url, {"action": "recall", "reason": "Notice 7"})
    assert response["Location"] == reverse("formulary:recall", args=[held.pk])
    held.refresh_from_db()
    assert (held.status, held.status_reason) == (LotStatus.RECALLED, "Notice 7")
    assert client_for(cast.nurse).post(url, {"action": "release", "reason": "x"}).status_code == 403


def test_the_recall_page_lists_patients_and_audits_the_view(cast, client_for):
    held = lot(cast)
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:12"
    )
    response = client_for(cast.manager).get(reverse("formulary:recall", args=[held.pk]))
    assert response.status_code == 200
    assert cast.patient.record_number in response.text and "demo:12" in response.text
    event = AuditEvent.objects.filter(action="view", object_type="formulary.Lot").get()
    assert event.detail["patient_ids"] == [cast.patient.pk] and event.detail["shown"] == "page"
    assert (
        client_for(cast.nurse).get(reverse("formulary:recall", args=[held.pk])).status_code == 403
    )


def test_the_recall_csv_holds_every_patient_and_is_audited_as_an_export(cast, client_for):
    held = lot(cast)
    cast.patient.given_name = "=HYPERLINK"
    cast.patient.save()
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="2", patient=cast.patient, session_ref="demo:3"
    )
    response = client_for(cast.practitioner).get(reverse("formulary:recall-csv", args=[held.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="recall-LDS-L-001.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("record_number,patient,phone,email,clinic,session,given_at")
    assert lines[1].startswith(f"{cast.patient.record_number},'=HYPERLINK ")
    assert ",demo:3," in lines[1] and ",2.00,mL,," in lines[1]
    event = AuditEvent.objects.get(action="export")
    assert event.detail["patient_ids"] == [cast.patient.pk] and event.detail["shown"] == "csv"


def test_staff_of_another_clinic_see_no_patient_on_the_recall_list(cast, client_for):
    held = lot(cast)
    services.stock_use(
        actor=cast.nurse, lot=held, quantity="1", patient=cast.patient, session_ref="demo:1"
    )
    response = client_for(cast.other_practitioner).get(reverse("formulary:recall", args=[held.pk]))
    assert "Only staff of Leeds see the patients" in response.text
    assert cast.patient.record_number not in response.text
    assert not AuditEvent.objects.filter(action="view", object_type="formulary.Lot").exists()


def test_a_product_is_added_with_its_composition(cast, client_for):
    data = {
        "name": "Biotin 5 mg/mL",
        "kind": "ready_made",
        "unit": "mL",
        "composition-TOTAL_FORMS": "2",
        "composition-INITIAL_FORMS": "0",
        "composition-0-ingredient": "biotin",
        "composition-0-amount": "5",
        "composition-0-unit": "mg",
        "composition-1-ingredient": "",
        "composition-1-amount": "",
        "composition-1-unit": "mg",
    }
    response = client_for(cast.practitioner).post(reverse("formulary:product-create"), data)
    created = Product.objects.get(name="Biotin 5 mg/mL")
    assert response["Location"] == reverse("formulary:product", args=[created.pk])
    missing = {**data, "name": "Other", "composition-0-amount": ""}
    refused = client_for(cast.practitioner).post(reverse("formulary:product-create"), missing)
    assert "Enter how much of it is in 1 mL (or 1 g)." in refused.text
    assert 'value="Other"' in refused.text and Product.objects.count() == 1


def test_expiry_warning_days_are_set_per_clinic_by_managers(cast, client_for):
    url = reverse("formulary:settings")
    prefix = f"clinic{cast.clinic.pk}"
    bad = client_for(cast.manager).post(
        url, {"clinic": cast.clinic.pk, f"{prefix}-expiry_warning_days": "0"}
    )
    assert "Ensure this value is greater than or equal to 1." in bad.text
    assert not FormularySettings.objects.exists()
    client_for(cast.manager).post(
        url, {"clinic": cast.clinic.pk, f"{prefix}-expiry_warning_days": "45"}
    )
    assert FormularySettings.objects.get(clinic=cast.clinic).expiry_warning_days == 45
    assert client_for(cast.nurse).get(url).status_code == 403
