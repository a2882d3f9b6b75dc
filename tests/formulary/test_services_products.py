from decimal import Decimal

import pytest

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services
from mesotrack.formulary.doses import CompositionLine
from mesotrack.formulary.models import Product


def _create(cast, actor=None, **changes):
    data = {
        "name": "Minoxidil 0.5% solution",
        "kind": "compounded",
        "unit": "mL",
        "composition": [CompositionLine("minoxidil", Decimal(5), "mg")],
        **changes,
    }
    return services.product_create(
        actor=actor or cast.practitioner, organisation=cast.clinic.organisation, **data
    )


def test_it_adds_a_product_with_its_composition_and_audits_it(cast):
    product = _create(cast, presentation=" 10 mL vial ")
    assert (product.name, product.kind, product.unit, product.presentation) == (
        "Minoxidil 0.5% solution",
        "compounded",
        "mL",
        "10 mL vial",
    )
    event = AuditEvent.objects.get(object_type="formulary.Product")
    assert event.detail["composition"] == [["minoxidil", "5", "mg"]]


@pytest.mark.parametrize("changes,field,message", [
    ({"name": " "}, "name", "Enter the product's name."),
    ({"kind": "tablet"}, "kind", "Choose what kind of product this is."),
    ({"unit": "vial"}, "unit", "Count stock in mL or g."),
    ({"composition": []}, "composition", "List what the product holds in each mL (or g)."),
    ({"composition": [CompositionLine("unicorn", Decimal(1), "mg")]}, "composition.0",
     "“unicorn” is not in the catalogue."),
    ({"composition": [CompositionLine("minoxidil", Decimal(1), "mg")] * 2}, "composition.1",
     "Minoxidil is listed twice."),
    ({"composition": [CompositionLine("minoxidil", Decimal("1.5"), "g")]}, "composition.0",
     "More than 1 g in each mL (or g) is not possible."),
    ({"composition": [CompositionLine("minoxidil", Decimal("0.00001"), "mg")]}, "composition.0",
     "Give the amount to at most four decimal places."),
])  # fmt: skip
def test_it_refuses_a_product_it_cannot_trust(cast, changes, field, message):
    with pytest.raises(DomainError) as refused:
        _create(cast, **changes)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Product.objects.exists()


def test_a_diluent_needs_no_composition_and_names_are_unique(cast):
    _create(cast, name="Sodium chloride 0.9%", kind="diluent", composition=[])
    with pytest.raises(DomainError, match="A product with this name already exists."):
        _create(cast, name="sodium chloride 0.9%", kind="diluent", composition=[])


def test_nurses_cannot_add_products(cast):
    with pytest.raises(PermissionDenied, match="Your role does not allow you to add products."):
        _create(cast, actor=cast.nurse)


def test_retiring_a_product_keeps_it_and_is_audited(cast):
    product = _create(cast)
    services.product_set_active(actor=cast.manager, product=product, is_active=False)
    product.refresh_from_db()
    assert not product.is_active
    assert AuditEvent.objects.filter(object_type="formulary.Product", action="update").exists()
