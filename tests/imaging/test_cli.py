import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mesotrack.imaging.synthetic import write_sample
from tests.imaging.scenes import hair, scene


def _run(*args: str) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("analyze_trichoscopy", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    one, truth_one = scene(hair((0.5, 0.75), 0))
    two, truth_two = scene(
        hair((0.4, 0.4), 30, length_mm=1.2), hair((0.4, 1.1), -30, length_mm=1.2)
    )
    write_sample(tmp_path, "a_one", one, truth_one)
    write_sample(tmp_path, "b_two", two, truth_two)
    return tmp_path


def test_json_mode_prints_one_object_per_image(folder: Path) -> None:
    out, err, error = _run(str(folder), "--px-per-mm", "200", "--json")

    assert error is None
    rows = [json.loads(line) for line in out.splitlines()]
    assert [Path(row["file"]).name for row in rows] == ["a_one.png", "b_two.png"]
    assert [row["hair_count"] for row in rows] == [1, 2]
    for row in rows:
        assert set(row) >= {
            "file",
            "hair_count",
            "density_per_cm2",
            "mean_diameter_um",
            "vellus_fraction",
            "area_mm2",
            "seconds",
        }
    assert rows[0]["area_mm2"] == 3.0


def test_a_bad_file_is_reported_and_the_batch_goes_on(folder: Path) -> None:
    (folder / "c_notes.png").write_text("not an image")

    out, err, error = _run(str(folder), "--px-per-mm", "200", "--json")

    assert len(out.splitlines()) == 2
    assert f"{folder / 'c_notes.png'}: The file is not a PNG, JPEG or TIFF image." in err
    assert error is not None
    assert str(error) == "1 of 3 files could not be analysed."


def test_a_missing_path_is_reported(folder: Path) -> None:
    out, err, error = _run(
        str(folder / "a_one.png"), str(folder / "gone.png"), "--px-per-mm", "200"
    )

    assert f"{folder / 'gone.png'}: no such file or folder." in err
    assert str(error) == "1 of 2 files could not be analysed."
    assert "a_one.png" in out


def test_without_json_a_table_is_printed(folder: Path) -> None:
    out, _, error = _run(str(folder / "b_two.png"), "--px-per-mm", "200")

    assert error is None
    header, row = out.splitlines()
    assert header.split()[:3] == ["file", "hairs", "per"]
    assert row.split()[1] == "2"


def test_a_circle_region_limits_the_count(folder: Path) -> None:
    out, _, _ = _run(
        str(folder / "b_two.png"), "--px-per-mm", "200", "--json", "--region-circle", "80,80,40"
    )

    row = json.loads(out)
    assert row["hair_count"] == 1
    assert row["area_mm2"] == pytest.approx(3.1416 * 40**2 / 200**2, rel=0.03)


def test_bad_options_get_clear_messages(folder: Path) -> None:
    _, _, error = _run(str(folder), "--px-per-mm", "200", "--region-circle", "1,2")
    assert str(error) == "--region-circle takes three numbers: CX,CY,R (in pixels)."

    _, _, error = _run(str(folder), "--px-per-mm", "0")
    assert str(error) == "The calibration must be a positive number of pixels per millimetre."
