"""POST data for the intake edit page, built from answers the way a browser would send them."""

from typing import Any

FORMSETS = ("prior_treatments", "medications", "allergies", "labs")
SECTIONS = {
    "hair_loss_history": "history",
    "medical_history": "medical",
    "reproductive": "reproductive",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def post_data(
    answers: dict[str, Any], existing_rows: dict[str, int] | None = None
) -> dict[str, Any]:
    """`existing_rows`: rows each list already had, as the page's INITIAL_FORMS says."""
    data: dict[str, Any] = {}
    for section, prefix in SECTIONS.items():
        for name, value in (answers.get(section) or {}).items():
            data[f"{prefix}-{name}"] = (
                [str(v) for v in value] if isinstance(value, list) else _text(value)
            )
    if answers.get("weight_kg") is not None:
        data["general-weight_kg"] = _text(answers["weight_kg"])
    if answers.get("no_known_allergies"):
        data["general-no_known_allergies"] = "on"
    for name in FORMSETS:
        rows = answers.get(name) or []
        data[f"{name}-TOTAL_FORMS"] = str(len(rows) + 1)
        data[f"{name}-INITIAL_FORMS"] = str((existing_rows or {}).get(name, 0))
        for index, row in enumerate(rows):
            for field, value in row.items():
                data[f"{name}-{index}-{field}"] = _text(value)
    return data
