"""Write the stage reference drawings into static/assessment/stages/ (the output is committed)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mesotrack.assessment.drawings import write_all

STAGES_DIR = Path(__file__).resolve().parents[3] / "static" / "assessment" / "stages"


class Command(BaseCommand):
    help = "Draw the Norwood, Ludwig, Sinclair, Olsen and SALT reference pictures as SVG files."

    def handle(self, *args: Any, **options: Any) -> None:
        written = write_all(STAGES_DIR)
        self.stdout.write(f"Wrote {len(written)} drawings to {STAGES_DIR}")
