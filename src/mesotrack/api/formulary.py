"""`/api/v1/ingredients`, `/products`, `/lots`, `/recipes`: the formulary, with the same roles,
scoping and audit trail as the pages (mesotrack.formulary).

Quantities and doses are decimal strings ("2.50"), never floats, so nothing is lost in rounding.
Stock is read across the organisation; changing it needs a role at the lot's clinic. The recall
list (`GET /lots/{lot_id}/recall`) names patients, so each call is audited.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from pydantic_core import to_json

from mesotrack.accounts.models import Clinic, User
from mesotrack.accounts.selectors import clinics_for
from mesotrack.api.access import api_staff_required
from mesotrack.api.auth import api_user
from mesotrack.api.errors import ErrorOut
from mesotrack.api.formulary_schemas import (
    ComponentIn,
    IngredientOut,
    LotListParams,
    LotOut,
    LotPageOut,
    MovementIn,
    MovementOut,
    ProductIn,
    ProductOut,
    RecallOut,
    ReceiveIn,
    RecipeDetailOut,
    RecipeIn,
    RecipeOut,
    StatusIn,
    VersionIn,
)
from mesotrack.audit.models import Action
from mesotrack.core.errors import DomainError
from mesotrack.formulary import selectors, services
from mesotrack.formulary.catalogue import CatalogueIngredient, ingredient_catalogue
from mesotrack.formulary.doses import CompositionLine, DoseReport
from mesotrack.formulary.models import (
    Lot,
    LotStatus,
    Product,
    Recipe,
    RecipeVersion,
    StockMovement,
)
from mesotrack.formulary.roles import FORMULARY_ROLES, MANAGING_ROLES, STOCK_ROLES
from mesotrack.formulary.services import ComponentInput

router = Router(tags=["formulary"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
FOUND: dict[int, Any] = {404: ErrorOut, **ERRORS}
READ = tuple(FORMULARY_ROLES)
JSON = "application/json; charset=utf-8"
MANAGE = tuple(MANAGING_ROLES)
STOCK = tuple(STOCK_ROLES)


def _lot_out(lot: Lot, on_hand: Decimal | None = None) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "product": lot.product_id,
        "product_name": lot.product.name,
        "clinic": lot.clinic.code,
        "lot_number": lot.lot_number,
        "expiry_date": lot.expiry_date,
        "supplier": lot.supplier,
        "received_on": lot.received_on,
        "storage_notes": lot.storage_notes,
        "status": lot.status,
        "effective_status": lot.effective_status(timezone.localdate()),
        "status_reason": lot.status_reason,
        "on_hand": on_hand if on_hand is not None else selectors.lot_on_hand(lot=lot),
        "unit": lot.product.unit,
    }


def _ingredient_out(entry: CatalogueIngredient) -> dict[str, Any]:
    return {
        **{name: getattr(entry, name) for name in IngredientOut.model_fields},
        "contraindications": list(entry.contraindications),
    }


@router.get("/ingredients", response={200: list[IngredientOut], **ERRORS}, summary="The catalogue")
@api_staff_required(*READ)
def ingredient_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_ingredient_out(entry) for entry in ingredient_catalogue().values()]


@router.get("/products", response={200: list[ProductOut], **ERRORS}, summary="List products")
@api_staff_required(*READ)
def product_list(request: HttpRequest) -> list[Product]:
    return list(selectors.product_queryset_for_user(user=request.user))


@router.post("/products", response={201: ProductOut, **ERRORS}, summary="Add a product")
@api_staff_required(*MANAGE)
def product_create(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    user = api_user(request)
    clinics = clinics_for(user, MANAGING_ROLES)
    product = services.product_create(
        actor=user,
        organisation=min(clinics, key=lambda clinic: clinic.pk).organisation,
        composition=[
            CompositionLine(line.ingredient, line.amount, line.unit) for line in payload.composition
        ],
        **payload.model_dump(exclude={"composition"}),
    )
    return Status(201, selectors.product_get_for_user(user=user, product_id=product.pk))


@router.get("/products/{int:product_id}", response={200: ProductOut, **FOUND}, summary="A product")
@api_staff_required(*READ)
def product_read(request: HttpRequest, product_id: int) -> Product:
    return selectors.product_get_for_user(user=request.user, product_id=product_id)


@router.get("/lots", response={200: LotPageOut, **ERRORS}, summary="List lots with their stock")
@api_staff_required(*READ)
def lot_list(request: HttpRequest, params: Query[LotListParams]) -> dict[str, Any]:
    lots = selectors.lot_queryset_for_user(user=request.user)
    if params.product is not None:
        lots = lots.filter(product_id=params.product)
    if params.clinic:
        lots = lots.filter(clinic__code__iexact=params.clinic)
    today = timezone.localdate()
    rows = list(selectors.with_on_hand(lots).order_by("expiry_date", "id"))
    if params.status is not None:
        rows = [lot for lot in rows if lot.effective_status(today) == params.status]
    page = rows[params.offset : params.offset + params.limit]
    return {
        "count": len(rows),
        "limit": params.limit,
        "offset": params.offset,
        "items": [_lot_out(lot, lot.on_hand) for lot in page],  # type: ignore[attr-defined]
    }


def _receiving_clinic(user: User, requested: str | None) -> Clinic:
    clinics = clinics_for(user, STOCK_ROLES)
    if requested is None:
        if len(clinics) == 1:
            return clinics[0]
        codes = ", ".join(sorted(c.code for c in clinics))
        raise DomainError(f"You work at several clinics: say which one ({codes}).", field="clinic")
    for clinic in clinics:
        if requested.casefold() in {clinic.code.casefold(), str(clinic.pk)}:
            return clinic
    raise DomainError("You cannot receive stock at a clinic with that code.", field="clinic")


@router.post("/lots", response={201: LotOut, **FOUND}, summary="Receive stock into a lot")
@api_staff_required(*STOCK)
def lot_receive(request: HttpRequest, payload: ReceiveIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    product = selectors.product_get_for_user(user=user, product_id=payload.product)
    lot = services.lot_receive(
        actor=user,
        product=product,
        clinic=_receiving_clinic(user, payload.clinic),
        **payload.model_dump(exclude={"product", "clinic"}),
    )
    return Status(201, _lot_out(lot))


@router.get("/lots/{int:lot_id}", response={200: LotOut, **FOUND}, summary="A lot")
@api_staff_required(*READ)
def lot_read(request: HttpRequest, lot_id: int) -> dict[str, Any]:
    return _lot_out(selectors.lot_get_for_user(user=request.user, lot_id=lot_id))


@router.post(
    "/lots/{int:lot_id}/movements",
    response={201: MovementOut, **FOUND},
    summary="Record waste, a count correction or a return",
)
@api_staff_required(*STOCK)
def lot_movement(request: HttpRequest, lot_id: int, payload: MovementIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    lot = selectors.lot_get_for_user(user=user, lot_id=lot_id)
    record = {
        "adjust": services.stock_adjust,
        "waste": services.stock_waste,
        "return": services.stock_return,
    }[payload.kind]
    movement: StockMovement = record(
        actor=user, lot=lot, quantity=payload.quantity, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": movement.pk,
            "lot_id": lot.pk,
            "kind": movement.kind,
            "quantity": movement.quantity,
            "occurred_at": movement.occurred_at,
            "reason": movement.reason,
            "on_hand": selectors.lot_on_hand(lot=lot),
        },
    )


def _status_change(request: HttpRequest, lot_id: int, to: LotStatus, reason: str) -> Any:
    user = api_user(request)
    lot = selectors.lot_get_for_user(user=user, lot_id=lot_id)
    return _lot_out(services.lot_status_change(actor=user, lot=lot, to=to, reason=reason))


@router.post("/lots/{int:lot_id}/quarantine", response={200: LotOut, **FOUND}, summary="Quarantine")
@api_staff_required(*MANAGE)
def lot_quarantine(request: HttpRequest, lot_id: int, payload: StatusIn) -> Any:
    return _status_change(request, lot_id, LotStatus.QUARANTINED, payload.reason)


@router.post("/lots/{int:lot_id}/release", response={200: LotOut, **FOUND}, summary="Release")
@api_staff_required(*MANAGE)
def lot_release(request: HttpRequest, lot_id: int, payload: StatusIn) -> Any:
    return _status_change(request, lot_id, LotStatus.ACTIVE, payload.reason)


@router.post("/lots/{int:lot_id}/recall", response={200: LotOut, **FOUND}, summary="Recall a lot")
@api_staff_required(*MANAGE)
def lot_recall(request: HttpRequest, lot_id: int, payload: StatusIn) -> Any:
    return _status_change(request, lot_id, LotStatus.RECALLED, payload.reason)


@router.get(
    "/lots/{int:lot_id}/recall",
    response={200: RecallOut, **FOUND},
    summary="Every patient and session that received a lot",
)
@api_staff_required(*MANAGE)
def lot_recall_list(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = selectors.lot_get_for_user(user=request.user, lot_id=lot_id)
    entries = selectors.lot_recall_list(user=request.user, lot=lot)
    services.recall_list_record_access(
        actor=request.user, lot=lot, entries=entries, action=Action.VIEW, shown="api"
    )
    unused = selectors.lot_recall_unused_syringes(lot=lot)
    body = {
        "lot": _lot_out(lot),
        "count": len(entries),
        "patients": len({entry.patient.id for entry in entries}),
        "entries": entries,
        "unused_syringes": [
            {"batch": u.batch.pk, "available": u.available, "use_by": u.batch.use_by}
            for u in unused
        ],
    }
    # Serialised in one pass by pydantic-core: a lot given in 10,000 sessions answers in well
    # under 200 ms (bench/formulary_recall.py); the shape is RecallOut, as documented.
    return HttpResponse(to_json(body), content_type=JSON)


def _version_out(version: RecipeVersion, report: DoseReport) -> dict[str, Any]:
    return {
        "version": version.version,
        "total_volume_ml": version.total_volume_ml,
        "created_at": version.created_at,
        "notes": version.notes,
        "components": [
            {"product": c.product_id, "product_name": c.product.name, "volume_ml": c.volume_ml}
            for c in version.components.all()
        ],
        "doses": [
            {
                "ingredient": d.code,
                "label": d.label,
                "amount": d.amount.quantize(Decimal("0.0001")),
                "unit": d.unit,
                "concentration_per_ml": d.concentration.quantize(Decimal("0.0001")),
                "max_per_session": d.ingredient.max_per_session,
            }
            for d in report.doses
        ],
        "checks": report.checks,
    }


def _recipe_out(recipe: Recipe) -> dict[str, Any]:
    count = recipe.version_count  # type: ignore[attr-defined]
    current = selectors.recipe_version_get(recipe=recipe, version=count)
    report = selectors.recipe_version_doses(version=current)
    return {
        "id": recipe.pk,
        "name": recipe.name,
        "modality": recipe.modality,
        "is_active": recipe.is_active,
        "versions": count,
        "current": _version_out(current, report),
    }


@router.get("/recipes", response={200: list[RecipeOut], **ERRORS}, summary="List recipes")
@api_staff_required(*READ)
def recipe_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "name": r.name,
            "modality": r.modality,
            "is_active": r.is_active,
            "versions": r.version_count,  # type: ignore[attr-defined]
        }
        for r in selectors.recipe_queryset_for_user(user=request.user).order_by("name")
    ]


def _components(user: User, components: list[ComponentIn]) -> list[ComponentInput]:
    products = {p.pk: p for p in selectors.product_queryset_for_user(user=user)}
    found = []
    for index, component in enumerate(components):
        if component.product not in products:
            raise DomainError("There is no such product.", field=f"components.{index}.product")
        found.append(ComponentInput(products[component.product], component.volume_ml))
    return found


@router.post("/recipes", response={201: RecipeDetailOut, **ERRORS}, summary="Write a recipe")
@api_staff_required(*MANAGE)
def recipe_create(request: HttpRequest, payload: RecipeIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    recipe = services.recipe_create(
        actor=user,
        organisation=min(clinics_for(user, MANAGING_ROLES), key=lambda c: c.pk).organisation,
        name=payload.name,
        modality=payload.modality,
        components=_components(user, payload.components),
        notes=payload.notes,
    )
    return Status(201, _recipe_out(selectors.recipe_get_for_user(user=user, recipe_id=recipe.pk)))


@router.get(
    "/recipes/{int:recipe_id}", response={200: RecipeDetailOut, **FOUND}, summary="A recipe"
)
@api_staff_required(*READ)
def recipe_read(request: HttpRequest, recipe_id: int) -> dict[str, Any]:
    return _recipe_out(selectors.recipe_get_for_user(user=request.user, recipe_id=recipe_id))


@router.post(
    "/recipes/{int:recipe_id}/versions",
    response={201: RecipeDetailOut, **FOUND},
    summary="Save a new version of a recipe",
)
@api_staff_required(*MANAGE)
def recipe_version_create(
    request: HttpRequest, recipe_id: int, payload: VersionIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    recipe = selectors.recipe_get_for_user(user=user, recipe_id=recipe_id)
    services.recipe_version_create(
        actor=user,
        recipe=recipe,
        components=_components(user, payload.components),
        notes=payload.notes,
    )
    return Status(201, _recipe_out(selectors.recipe_get_for_user(user=user, recipe_id=recipe_id)))
