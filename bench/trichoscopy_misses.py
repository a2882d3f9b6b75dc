"""Where the analyser loses hairs: every missed hair of a synthetic set, sorted into kinds.

    .venv/bin/python bench/trichoscopy_misses.py [--fields 50] [--seed-offset 5000] [--jobs 2]

Renders the first capture of each field exactly as the tuning runs do (`field_spec` and seeds
from bench/trichoscopy.py), analyses it, pairs exits with the truth as the benchmark does, and
puts each missed hair in the first kind that fits:

- exit at the border: its opening lies within 0.05 mm of the image edge;
- under a found line: three quarters of its shaft lie within 0.6 shaft widths of one found
  hair's line. That line's dark shape may be two shafts wide (side by side); the line may run
  on past the missed hair's opening (an end-to-end join); its exit may have gone to another
  true hair; or it may have the missed hair's exit and tip swapped;
- exit placed off: a found hair that matched nothing has its exit 0.1–0.35 mm away;
- no line: under a quarter of its shaft lies near any found line (vellus or terminal);
- other.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from mesotrack.imaging.model import Analysis, Hair
    from mesotrack.imaging.preprocess import Prepared
    from mesotrack.imaging.synthetic import TrueHair

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

BORDER_MM = 0.05
NEAR_WIDTHS = 0.6
UNDER_SHARE = 0.75
NO_LINE_SHARE = 0.25
WIDE_WIDTHS = 1.6
OFF_MM = 0.35
KINDS = (
    "exit at the border",
    "under a found line: two shafts wide",
    "under a found line: runs on past its opening",
    "under a found line: its exit went to another hair",
    "under a found line: exit and tip swapped",
    "exit placed 0.1–0.35 mm off",
    "no line: vellus",
    "no line: terminal",
    "other",
)


def classify_field(task: tuple[int, int, int]) -> tuple[Counter[str], int, int, int]:
    import cv2
    import numpy as np

    cv2.setNumThreads(1)
    from trichoscopy import field_spec

    from mesotrack.imaging import Calibration, analyze
    from mesotrack.imaging.preprocess import prepare
    from mesotrack.imaging.synthetic import make_pair
    from mesotrack.imaging.synthetic.scoring import matched_pairs

    index, fields, offset = task
    spec = field_spec(index, fields, offset)
    image, truth = next(iter(make_pair(spec, seed=offset + index)))
    analysis = analyze(image, Calibration(spec.px_per_mm))
    pairs = matched_pairs(analysis, truth)
    found_matched = {id(hair) for hair, _ in pairs}
    missed = [hair for hair in truth.counted if all(hair is not ref for _, ref in pairs)]
    prepared = prepare(image, spec.px_per_mm, np.zeros(image.shape[:2], dtype=bool))
    context = _Context(analysis, prepared, found_matched, spec.px_per_mm, image.shape[:2])
    kinds = Counter(context.kind(hair) for hair in missed)
    return kinds, truth.count, len(analysis.hairs), len(pairs)


class _Context:
    """One analysed field: found lines as points, the shaft width and the darkness map."""

    def __init__(
        self,
        analysis: Analysis,
        prepared: Prepared,
        found_matched: set[int],
        px_per_mm: float,
        shape: tuple[int, int],
    ) -> None:
        import numpy as np
        from scipy.spatial import cKDTree

        self.analysis, self.prepared, self.ppm, self.shape = analysis, prepared, px_per_mm, shape
        self.found_matched = found_matched
        diameters = [hair.diameter_um for hair in analysis.hairs if not hair.is_vellus]
        self.width = float(np.median(diameters or [70.0])) / 1000.0 * px_per_mm
        paths = [_dense(np.asarray(hair.path, dtype=float)) for hair in analysis.hairs]
        self.tree = cKDTree(np.vstack(paths)) if paths else None
        self.owner = np.repeat(np.arange(len(paths)), [len(path) for path in paths])

    def kind(self, hair: TrueHair) -> str:
        import numpy as np

        exit_point = np.asarray(hair.exit_point)
        height, width = self.shape
        border = min(exit_point[0], exit_point[1], width - exit_point[0], height - exit_point[1])
        if border <= BORDER_MM * self.ppm:
            return KINDS[0]
        path = _dense(np.asarray(hair.path, dtype=float))
        near = np.zeros(len(path), dtype=bool)
        owners = np.zeros(len(path), dtype=int)
        if self.tree is not None:
            distance, nearest = self.tree.query(path)
            near = distance <= NEAR_WIDTHS * self.width
            owners = self.owner[nearest]
        if near.mean() >= UNDER_SHARE:
            host = self.analysis.hairs[int(np.bincount(owners[near]).argmax())]
            return self._under(host, path, exit_point)
        if self._exit_off(exit_point):
            return KINDS[5]
        if near.mean() < NO_LINE_SHARE:
            return KINDS[6] if hair.is_vellus else KINDS[7]
        return KINDS[8]

    def _under(self, host: Hair, path: np.ndarray, exit_point: np.ndarray) -> str:
        import numpy as np

        if self._extent(np.asarray(host.path, dtype=float), path[len(path) // 2]) >= WIDE_WIDTHS:
            return KINDS[1]
        tolerance = 0.1 * self.ppm
        if np.hypot(*(np.asarray(host.exit_point) - exit_point)) <= tolerance:
            return KINDS[3]
        if np.hypot(*(np.asarray(host.tip_point) - exit_point)) <= tolerance:
            return KINDS[4]
        return KINDS[2]

    def _exit_off(self, exit_point: np.ndarray) -> bool:
        import numpy as np

        for hair in self.analysis.hairs:
            gap = float(np.hypot(*(np.asarray(hair.exit_point) - exit_point)))
            if id(hair) not in self.found_matched and gap <= OFF_MM * self.ppm:
                return True
        return False

    def _extent(self, host_path: np.ndarray, point: np.ndarray) -> float:
        """Width of the whole dark shape (seams and all) across the host line, in shaft widths."""
        import numpy as np

        from mesotrack.imaging.profiles import cross_sections, half_max_widths

        nearest = int(np.argmin(np.hypot(*(host_path - point).T)))
        before = host_path[max(nearest - 1, 0)]
        after = host_path[min(nearest + 1, len(host_path) - 1)]
        along = (after - before) / max(float(np.hypot(*(after - before))), 1e-9)
        scale = self.prepared.scale
        centre = host_path[nearest][::-1] * scale  # (row, col) at work scale
        normal = np.array([along[0], -along[1]])  # (row, col) of the (x, y) normal
        profile = cross_sections(
            self.prepared.darkness, centre[None, :], normal[None, :], 3.0 * self.width * scale
        )
        extent, _ = half_max_widths(profile, core_px=self.width * scale / 2, stop_at_seams=False)
        return float(extent[0]) / (self.width * scale)


def _dense(path: np.ndarray) -> np.ndarray:
    """A polyline resampled every pixel, so distances to it are distances to the line."""
    import numpy as np

    if len(path) < 2:
        return path.reshape(-1, 2)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])
    steps = np.arange(0.0, arc[-1] + 1e-9, 1.0)
    return np.column_stack([np.interp(steps, arc, path[:, 0]), np.interp(steps, arc, path[:, 1])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fields", type=int, default=50)
    parser.add_argument("--seed-offset", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from tqdm import tqdm

    tasks = [(index, args.fields, args.seed_offset) for index in range(args.fields)]
    kinds: Counter[str] = Counter()
    true = found = matched = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for field_kinds, field_true, field_found, field_matched in tqdm(
            pool.map(classify_field, tasks), total=len(tasks), desc="fields", file=sys.stderr
        ):
            kinds.update(field_kinds)
            true, found, matched = true + field_true, found + field_found, matched + field_matched
    missed = true - matched
    print(
        f"{args.fields} fields (seed offset {args.seed_offset}, first capture): {true} hairs, "
        f"{found} found, {matched} matched, {missed} missed, {found - matched} false positives."
    )
    print("\n| Missed hair | Count | Share of missed |\n|---|---|---|")
    for kind in KINDS:
        print(f"| {kind} | {kinds[kind]} | {kinds[kind] / max(missed, 1):.0%} |")


if __name__ == "__main__":
    main()
