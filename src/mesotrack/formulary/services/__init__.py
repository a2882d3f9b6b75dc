"""Writes to the formulary, each atomic, checked and audited; importable from here."""

from mesotrack.formulary.services.batches import (
    batch_discard_remaining,
    batch_prepare,
    batch_syringe_use,
)
from mesotrack.formulary.services.lots import (
    lot_mark_expired,
    lot_quarantine,
    lot_recall,
    lot_release,
    lot_status_change,
)
from mesotrack.formulary.services.products import product_create, product_set_active
from mesotrack.formulary.services.recipes import (
    ComponentInput,
    recipe_create,
    recipe_set_active,
    recipe_version_create,
)
from mesotrack.formulary.services.settings import (
    formulary_settings_set,
    recall_list_record_access,
)
from mesotrack.formulary.services.stock import (
    lot_receive,
    stock_adjust,
    stock_return,
    stock_use,
    stock_waste,
)

__all__ = [
    "ComponentInput",
    "batch_discard_remaining",
    "batch_prepare",
    "batch_syringe_use",
    "formulary_settings_set",
    "lot_mark_expired",
    "lot_quarantine",
    "lot_recall",
    "lot_receive",
    "lot_release",
    "lot_status_change",
    "product_create",
    "product_set_active",
    "recall_list_record_access",
    "recipe_create",
    "recipe_set_active",
    "recipe_version_create",
    "stock_adjust",
    "stock_return",
    "stock_use",
    "stock_waste",
]
