"""Input and output shapes of the formulary API (mesotrack.api.formulary)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from mesotrack.formulary.models import (
    AmountUnit,
    LotStatus,
    MovementKind,
    Product,
    ProductKind,
    RecipeModality,
    StockUnit,
)


class _In(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IngredientOut(Schema):
    code: str
    label: str
    ingredient_class: str
    group: str
    unit: str = Field(description="Doses, caps and concentrations (per mL) are in this unit.")
    usual_low: Decimal | None = Field(description="Lowest published concentration, per mL.")
    usual_high: Decimal | None
    concentration_note: str
    max_per_session: Decimal | None = Field(description="null: no source establishes a cap.")
    max_per_kg: Decimal | None
    cap_note: str
    contraindications: list[str] = Field(description="Screening rule codes about it.")
    source: str
    evidence: str


class CompositionOut(Schema):
    ingredient: str
    amount: Decimal
    unit: AmountUnit


class ProductOut(Schema):
    id: int
    name: str
    kind: ProductKind
    unit: StockUnit
    manufacturer: str
    presentation: str
    storage: str
    is_active: bool
    composition: list[CompositionOut] = Field(description="What 1 mL (or 1 g) holds.")

    @staticmethod
    def resolve_composition(product: Product) -> list[dict[str, Any]]:
        return [
            {"ingredient": c.ingredient_code, "amount": c.amount, "unit": c.amount_unit}
            for c in product.composition.all()
        ]


class CompositionIn(_In):
    ingredient: str = Field(min_length=1, description="An ingredient code (GET /ingredients).")
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=4)
    unit: AmountUnit


class ProductIn(_In):
    name: str = Field(min_length=1, max_length=200)
    kind: ProductKind
    unit: StockUnit = StockUnit.ML
    manufacturer: str = Field("", max_length=200)
    presentation: str = Field("", max_length=100)
    storage: str = Field("", max_length=200)
    notes: str = ""
    composition: list[CompositionIn] = Field([], max_length=30)


class LotOut(Schema):
    id: int
    product: int = Field(description="The product's id.")
    product_name: str
    clinic: str = Field(description="The clinic's code.")
    lot_number: str
    expiry_date: dt.date
    supplier: str
    received_on: dt.date
    storage_notes: str
    status: LotStatus = Field(description="As recorded.")
    effective_status: LotStatus = Field(description="`expired` once past the expiry date.")
    status_reason: str
    on_hand: Decimal = Field(description="The sum of the lot's ledger, in the product's unit.")
    unit: StockUnit


class LotPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LotOut]


class LotListParams(Schema):
    product: int | None = Field(None, description="Only lots of this product id.")
    clinic: str | None = Field(None, description="Only lots of this clinic (code).")
    status: LotStatus | None = Field(None, description="Effective status.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class ReceiveIn(_In):
    product: int = Field(description="The product's id.")
    clinic: str | None = Field(
        None, description="Code of the clinic receiving; may be left out by staff of one clinic."
    )
    lot_number: str = Field(min_length=1, max_length=60)
    expiry_date: dt.date
    supplier: str = Field(min_length=1, max_length=200)
    quantity: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    received_on: dt.date | None = None
    storage_notes: str = ""


class MovementIn(_In):
    kind: Literal["adjust", "waste", "return"]
    quantity: Decimal = Field(
        max_digits=10,
        decimal_places=2,
        description="Positive; for `adjust` the sign says which way the count moves.",
    )
    reason: str = Field(min_length=1)


class MovementOut(Schema):
    id: int
    lot: int = Field(alias="lot_id")
    kind: MovementKind
    quantity: Decimal
    occurred_at: dt.datetime
    reason: str
    on_hand: Decimal = Field(description="The lot's balance after this movement.")


class StatusIn(_In):
    reason: str = Field(min_length=1)


class RecallPatientOut(Schema):
    id: int
    record_number: str
    name: str
    phone: str
    email: str
    is_deleted: bool


class RecallEntryOut(Schema):
    patient: RecallPatientOut
    session_ref: str
    quantity: Decimal
    occurred_at: dt.datetime
    clinic: str
    via: str = Field(description='"" when drawn from the lot, else the prepared syringe.')


class UnusedSyringesOut(Schema):
    batch: int
    available: int
    use_by: dt.datetime


class RecallOut(Schema):
    lot: LotOut
    count: int
    patients: int
    entries: list[RecallEntryOut]
    unused_syringes: list[UnusedSyringesOut]


class ComponentOut(Schema):
    product: int
    product_name: str
    volume_ml: Decimal


class DoseOut(Schema):
    ingredient: str
    label: str
    amount: Decimal
    unit: str
    concentration_per_ml: Decimal
    max_per_session: Decimal | None


class CheckOut(Schema):
    severity: Literal["block", "warn", "info"]
    code: str
    message: str
    source: str
    ingredient: str | None


class VersionOut(Schema):
    version: int
    total_volume_ml: Decimal
    created_at: dt.datetime
    notes: str
    components: list[ComponentOut]
    doses: list[DoseOut]
    checks: list[CheckOut]


class RecipeOut(Schema):
    id: int
    name: str
    modality: RecipeModality
    is_active: bool
    versions: int = Field(description="How many versions; the highest is the current one.")


class RecipeDetailOut(RecipeOut):
    current: VersionOut


class ComponentIn(_In):
    product: int = Field(description="The product's id.")
    volume_ml: Decimal = Field(gt=0, max_digits=6, decimal_places=2)


class VersionIn(_In):
    components: list[ComponentIn] = Field(min_length=1, max_length=10)
    notes: str = ""


class RecipeIn(VersionIn):
    name: str = Field(min_length=1, max_length=200)
    modality: RecipeModality
