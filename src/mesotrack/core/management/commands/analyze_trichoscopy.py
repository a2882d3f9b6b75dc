"""Count hairs in trichoscopy images from the command line.

    python manage.py analyze_trichoscopy PATH... --px-per-mm 200 [--json] [--region-circle CX,CY,R]

Folders are searched (not recursively) for PNG, JPEG and TIFF files. With --json each image
gives one JSON object on its own line; otherwise a table. A file that cannot be analysed gets
a message on stderr and the batch goes on; the exit status is 1 if any file failed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from mesotrack.imaging import Analysis, Calibration, Circle, ImageRejected, analyze

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TABLE = "{file:<40} {hairs:>6} {density:>10} {diameter:>9} {vellus:>7} {area:>8} {seconds:>7}"


class Command(BaseCommand):
    help = "Count and measure hairs in trichoscopy images (one JSON line or table row each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="image files or folders")
        parser.add_argument("--px-per-mm", type=float, required=True, help="calibration")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--region-circle", help="count only hairs leaving the skin inside CX,CY,R (pixels)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calibration = Calibration(options["px_per_mm"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        region = _circle(options["region_circle"]) if options["region_circle"] else None
        files, missing = _expand(options["paths"])
        failures = len(missing)
        for path in missing:
            self.stderr.write(f"{path}: no such file or folder.")
        as_json = options["json"]
        if not as_json:
            self.stdout.write(_header())
        show_bar = any(path.is_dir() for path in options["paths"])
        for path in tqdm(files, desc="images", unit="", file=sys.stderr, disable=not show_bar):
            row = self._analyse(path, calibration, region)
            if row is None:
                failures += 1
                continue
            self.stdout.write(json.dumps(row) if as_json else _table_row(row))
        if failures:
            raise CommandError(
                f"{failures} of {len(files) + len(missing)} files could not be analysed."
            )

    def _analyse(
        self, path: Path, calibration: Calibration, region: Circle | None
    ) -> dict[str, Any] | None:
        started = time.perf_counter()
        try:
            analysis = analyze(path, calibration, region)
        except ImageRejected as error:
            self.stderr.write(f"{path}: {error.message}")
            return None
        except ValueError as error:
            self.stderr.write(f"{path}: {error}")
            return None
        return _summary(path, analysis, time.perf_counter() - started)


def _circle(text: str) -> Circle:
    try:
        cx, cy, r = (float(part) for part in text.split(","))
    except ValueError as error:
        raise CommandError("--region-circle takes three numbers: CX,CY,R (in pixels).") from error
    if r <= 0:
        raise CommandError("--region-circle needs a positive radius.")
    return Circle(cx, cy, r)


def _expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    files: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.iterdir()
                    if child.is_file() and child.suffix.lower() in IMAGE_SUFFIXES
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def _summary(path: Path, analysis: Analysis, seconds: float) -> dict[str, Any]:
    mean = analysis.mean_diameter_um
    return {
        "file": str(path),
        "hair_count": analysis.hair_count,
        "density_per_cm2": round(analysis.density_per_cm2, 1),
        "mean_diameter_um": None if mean is None else round(mean, 1),
        "vellus_fraction": round(analysis.vellus_fraction, 3),
        "terminal_count": analysis.terminal_count,
        "area_mm2": round(analysis.area_mm2, 3),
        "quality_ok": analysis.quality.ok,
        "quality_messages": list(analysis.quality.messages),
        "seconds": round(seconds, 3),
    }


def _header() -> str:
    return TABLE.format(
        file="file",
        hairs="hairs",
        density="per cm²",
        diameter="mean µm",
        vellus="vellus",
        area="mm²",
        seconds="s",
    )


def _table_row(row: dict[str, Any]) -> str:
    diameter = "–" if row["mean_diameter_um"] is None else f"{row['mean_diameter_um']:.1f}"
    name = row["file"] if len(row["file"]) <= 40 else "…" + row["file"][-39:]
    return TABLE.format(
        file=name,
        hairs=row["hair_count"],
        density=f"{row['density_per_cm2']:.1f}",
        diameter=diameter,
        vellus=f"{row['vellus_fraction']:.0%}",
        area=f"{row['area_mm2']:.2f}",
        seconds=f"{row['seconds']:.2f}",
    )
