"""Writes to session charting, each atomic, checked and audited; importable from here."""

from mesotrack.charting.services.gate import ChecklistBlocked, TodayInput
from mesotrack.charting.services.records import (
    ZoneInput,
    injection_map_save,
    injection_record_remove,
    injection_record_set,
    lot_use_add,
    lot_use_remove,
)
from mesotrack.charting.services.signing import (
    follow_up_call_record,
    session_addendum_add,
    session_cosign,
    session_sign,
)
from mesotrack.charting.services.workflow import (
    numbing_ready_at,
    session_abandon,
    session_check_in,
    session_checklist_complete,
    session_post_procedure_record,
    session_procedure_end,
    session_procedure_start,
)

__all__ = [
    "ChecklistBlocked",
    "TodayInput",
    "ZoneInput",
    "follow_up_call_record",
    "injection_map_save",
    "injection_record_remove",
    "injection_record_set",
    "lot_use_add",
    "lot_use_remove",
    "numbing_ready_at",
    "session_abandon",
    "session_addendum_add",
    "session_check_in",
    "session_checklist_complete",
    "session_cosign",
    "session_post_procedure_record",
    "session_procedure_end",
    "session_procedure_start",
    "session_sign",
]
