"""Hair counts on real trichoscopy images: the public FDU / BSRL hair-follicle dataset.

    .venv/bin/python bench/trichoscopy_real.py DATASET [--split val] [--limit N] [--jobs 2]
                                               [--details] [--by-year] [--match [--rules]]

DATASET is a local copy of the `data` folder of the GitHub repository
roshan-k-patel/hair-follicle-density-estimation-209b (Images/*.jpg, Annotations/*.xml,
ImageSets/Main/{train,val,test}.txt). The dataset has no licence: it is used here only to
evaluate, is never copied into this repository, and only `train` (for tuning) and `val` (for
reporting) are read. Each image is 1280×1024 at 70× (a 1 mm scale bar in some images spans
360 px); the truth is the number of boxes (one box per visible hair).

Prints a Markdown table: mean absolute count error per image against the baseline that
predicts the mean count of `train` for every image. The first row follows the dataset's rule
(every clearly visible hair): the hairs whose exit is in view, less the stubs at the border
that the annotators leave unboxed, plus those that run in from the border or from under an
overlay with at least a few shaft widths showing (`passing_hairs`). The second row is the
analyser's own count (exit in view), which the dataset does not annotate. With --match, each
counted hair is also matched to a box (bench/trichoscopy_boxes.py): precision, recall per
dataset class, and where the misses and the extra hairs are; --rules adds how often each
kind of counted hair is extra or hides a second one, and screens simple counting rules on
them (bench/trichoscopy_rules.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from trichoscopy_boxes import (
    FoundHair,
    capture_year,
    dataset_boxes,
    path_box,
    print_tallies,
    print_what_if,
    tally,
)
from trichoscopy_rules import print_rule_tables

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PX_PER_MM = 360.0
# Where the capture software draws over the picture (full-resolution pixels, x0, y0, x1, y1),
# in some images but not all: a dark text banner across the top, a light grey bar across the
# bottom, and a 1 mm scale bar (two lines and a dark label) in the bottom-left corner.
BANNER = (0, 0, 1280, 46)
BOTTOM_BAR = (0, 990, 1280, 1024)
SCALE_BAR = ((28, 560, 50, 932), (28, 916, 400, 932), (400, 890, 540, 945))
# The annotators leave a hair cut by the border unboxed when less than this many shaft widths
# of it show (fitted on `train`): the analyser counts such stubs when their exit is in view.
BORDER_STUB_WIDTHS = 3.0


def device_overlays(image) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """The overlays this image shows, told apart by their flat grey boxes."""
    import numpy as np

    grey = image.mean(axis=2)
    found = []
    if np.median(grey[8:38, 40:1100]) < 100:
        found.append(BANNER)
    bar = grey[996:1020]
    if bar.std() < 6 and np.ptp(image[996:1020].astype(int), axis=2).mean() < 6:
        found.append(BOTTOM_BAR)
    label = grey[900:935, 410:530]
    if np.median(label) < 100:
        found.extend(SCALE_BAR)
    return found


def split_names(dataset: Path, split: str) -> list[str]:
    text = (dataset / "ImageSets" / "Main" / f"{split}.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def true_count(dataset: Path, name: str) -> int:
    return len(dataset_boxes(dataset, name))


class Counts(NamedTuple):
    name: str
    exit_in_view: int  # the analyser's own count
    seen: int  # the dataset's rule: every hair seen
    inside: int  # exit in view and no end cut by the border
    seconds: float
    found: tuple[FoundHair, ...]  # the hairs counted by the dataset's rule, less passing ones


def predict(task: tuple[str, str]) -> Counts:
    import cv2

    cv2.setNumThreads(1)
    from mesotrack.imaging import DeviceProfile, Polygon, analyze, load_image

    dataset, name = task
    image = load_image((Path(dataset) / "Images" / f"{name}.jpg").read_bytes())
    device = DeviceProfile(
        name="FDU 70x",
        px_per_mm=PX_PER_MM,
        overlays=tuple(
            Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1)))
            for x0, y0, x1, y1 in device_overlays(image)
        ),
    )
    started = time.process_time()
    analysis = analyze(image, device)
    seconds = time.process_time() - started
    counted = [
        hair
        for hair in analysis.hairs
        if not hair.touches_border
        or hair.length_px >= BORDER_STUB_WIDTHS * hair.diameter_um / 1000.0 * PX_PER_MM
    ]
    seen = len(counted) + analysis.passing_hairs
    inside = sum(not hair.touches_border for hair in analysis.hairs)
    found = tuple(
        FoundHair(
            path_box(hair.path),
            hair.touches_border,
            hair.length_px / PX_PER_MM,
            hair.diameter_um,
        )
        for hair in counted
    )
    return Counts(name, analysis.hair_count, seen, inside, seconds, found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--split", default="val", choices=["train", "val"])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--details", action="store_true", help="print each image's counts")
    parser.add_argument(
        "--by-year", action="store_true", help="MAE and bias per capture year, three rules"
    )
    parser.add_argument(
        "--match", action="store_true", help="match each counted hair to a box, per year"
    )
    parser.add_argument(
        "--rules",
        action="store_true",
        help="with --match: extra and missed hairs by kind, and simple rules screened on them",
    )
    args = parser.parse_args()
    dataset = args.dataset
    train_mean = statistics.fmean(
        true_count(dataset, name) for name in split_names(dataset, "train")
    )
    names = split_names(dataset, args.split)
    if args.limit:
        names = names[: args.limit]
    truth = {name: true_count(dataset, name) for name in names}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(predict, [(str(dataset), name) for name in names], chunksize=4))
    by_exit = [counts.exit_in_view - truth[counts.name] for counts in results]
    visible = [counts.seen - truth[counts.name] for counts in results]
    baseline = [train_mean - truth[name] for name in names]
    seconds = [counts.seconds for counts in results]
    if args.details:
        for counts, error in zip(results, visible, strict=True):
            print(
                f"{counts.name}\t{truth[counts.name]}\t{counts.exit_in_view}\t{counts.seen}"
                f"\t{error:+d}"
            )
    mean_true = statistics.fmean(truth.values())
    print(
        f"\nFDU `{args.split}` split, {len(names)} images (mean {mean_true:.1f} hairs per image)\n"
    )
    print("| Method | MAE (hairs/image) | Mean error (bias) | MAPE | Median CPU s/image |")
    print("|---|---|---|---|---|")
    baseline_mae = statistics.fmean(abs(error) for error in baseline)
    print(
        f"| Predict the train mean ({train_mean:.2f}) | {baseline_mae:.2f} "
        f"| {statistics.fmean(baseline):+.2f} | {_mape(baseline, names, truth):.0%} | – |"
    )
    for label, errors in (
        ("mesotrack.imaging, every hair seen (the dataset's rule)", visible),
        ("mesotrack.imaging, hairs whose exit is in view", by_exit),
    ):
        print(
            f"| {label} | {statistics.fmean(abs(error) for error in errors):.2f} "
            f"| {statistics.fmean(errors):+.2f} | {_mape(errors, names, truth):.0%} "
            f"| {statistics.median(seconds):.2f} |"
        )
    if args.by_year:
        _print_by_year(results, truth)
    if args.match:
        tallies = [
            tally(counts.name, dataset_boxes(dataset, counts.name), list(counts.found), counts.seen)
            for counts in results
        ]
        print_tallies(tallies)
        print_what_if(tallies)
        if args.rules:
            print_rule_tables(tallies)


def _print_by_year(results: list[Counts], truth: dict[str, int]) -> None:
    """The annotators' rule changed between capture batches: file names start with YYMMDD."""
    print("\n| Capture year | Images | Every hair seen | Exit in view | Touching no border |")
    print("|---|---|---|---|---|")
    for year in sorted({capture_year(counts.name) for counts in results}):
        batch = [counts for counts in results if capture_year(counts.name) == year]
        cells = []
        for rule in ("seen", "exit_in_view", "inside"):
            errors = [getattr(counts, rule) - truth[counts.name] for counts in batch]
            mae = statistics.fmean(abs(error) for error in errors)
            cells.append(f"{mae:.2f} ({statistics.fmean(errors):+.2f})")
        print(f"| {year} | {len(batch)} | {' | '.join(cells)} |")


def _mape(errors: list[float] | list[int], names: list[str], truth: dict[str, int]) -> float:
    return statistics.fmean(
        abs(error) / max(truth[name], 1) for error, name in zip(errors, names, strict=True)
    )


if __name__ == "__main__":
    main()
