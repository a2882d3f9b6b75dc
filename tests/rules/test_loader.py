import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from mesotrack.rules import loader
from mesotrack.rules.loader import load_table, parse_table_file, table_names, validate_all_tables
from mesotrack.rules.schemas import LabTestRow

GOOD_ROW = {"code": "a", "label": "A", "source": "https://example.org/a"}


def write_table(folder: Path, name: str, rows: list[dict], **header: object) -> Path:
    path = folder / f"{name}.json"
    table = {"table": name, "description": "Test table.", "rows": rows, **header}
    path.write_text(json.dumps(table), encoding="utf-8")
    return path


def test_every_shipped_table_loads_and_every_row_cites_a_source() -> None:
    tables = validate_all_tables()
    assert set(tables) >= {
        "medical_history_conditions",
        "medication_classes",
        "allergy_classes",
        "hair_loss_triggers",
        "hair_loss_patterns",
        "prior_treatments",
        "treatment_responses",
        "lab_tests",
    }
    for name in table_names():
        raw = json.loads((loader.DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert all(row.get("source", "").strip() for row in raw["rows"]), name


def test_it_rejects_a_row_without_a_source_naming_file_and_row(tmp_path: Path) -> None:
    path = write_table(tmp_path, "bad", [GOOD_ROW, {"code": "b", "label": "B", "source": " "}])
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_table_file(path)
    assert str(refused.value) == (
        "Rule table bad.json, row 2 (code 'b'): source: String should have at least 1 character"
    )


def test_it_rejects_a_row_with_no_source_field(tmp_path: Path) -> None:
    path = write_table(tmp_path, "bad", [{"code": "b", "label": "B"}])
    with pytest.raises(ImproperlyConfigured, match=r"row 1 \(code 'b'\): source: Field required"):
        parse_table_file(path)


def test_it_rejects_a_code_used_twice(tmp_path: Path) -> None:
    path = write_table(tmp_path, "bad", [GOOD_ROW, dict(GOOD_ROW, label="Again")])
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_table_file(path)
    assert str(refused.value) == (
        "Rule table bad.json, row 2 (code 'a'): code is used by an earlier row."
    )


def test_it_rejects_a_file_whose_table_name_differs(tmp_path: Path) -> None:
    path = write_table(tmp_path, "bad", [GOOD_ROW], table="other")
    with pytest.raises(ImproperlyConfigured, match="table is 'other' but the file is named 'bad'"):
        parse_table_file(path)


def test_it_rejects_unreadable_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="Rule table broken.json cannot be read"):
        parse_table_file(path)


def test_checked_tables_refuse_unknown_columns(tmp_path: Path) -> None:
    row = dict(GOOD_ROW, group="bleeding", severity="high")
    path = write_table(tmp_path, "medical_history_conditions", [row])
    with pytest.raises(ImproperlyConfigured, match=r"row 1 \(code 'a'\): severity: Extra inputs"):
        parse_table_file(path)


def test_a_lab_test_must_list_its_canonical_unit(tmp_path: Path) -> None:
    row = dict(
        GOOD_ROW,
        canonical_unit="µg/L",
        units=[{"unit": "ng/mL", "per_canonical": 1}],
        plausible_min=1,
        plausible_max=10,
    )
    path = write_table(tmp_path, "lab_tests", [row])
    with pytest.raises(
        ImproperlyConfigured, match="units must list the canonical unit with per_canonical 1"
    ):
        parse_table_file(path)


def test_it_names_a_table_that_does_not_exist() -> None:
    with pytest.raises(ImproperlyConfigured, match="There is no rule table named 'nope'"):
        load_table("nope")


def test_vitamin_d_in_nmol_per_litre_converts_with_factor_2_496() -> None:
    row = load_table("lab_tests").get("vitamin_d_25oh")
    assert isinstance(row, LabTestRow)
    unit = row.unit_named("nmol/l")
    assert unit is not None
    assert row.to_canonical(Decimal("50"), unit) == Decimal("20.0")
    assert row.canonical_unit == "ng/mL"


def test_unit_spellings_are_matched_ignoring_case_and_spaces() -> None:
    row = load_table("lab_tests").get("zinc")
    assert isinstance(row, LabTestRow)
    unit = row.unit_named(" umol / L ")
    assert unit is not None and unit.unit == "µmol/L"
    assert row.to_canonical(Decimal("11"), unit) == Decimal("72")


def test_start_up_refuses_a_bad_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_table(tmp_path, "broken", [{"code": "x", "label": "X", "source": ""}])
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    load_table.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"broken.json, row 1 \(code 'x'\)"):
            apps.get_app_config("intake").ready()
    finally:
        load_table.cache_clear()
