"""Hair by hair against the FDU boxes: which boxed hairs the analyser finds, which it adds.

A count can be right while its hairs are wrong (one missed, one invented), so the real-image
benchmark also matches each counted hair to a box. A hair's box is the bounding box of its
traced path; it matches a dataset box when the two, each grown by MATCH_PAD_PX, overlap by at
least MATCH_IOU (intersection over union), each box and hair used once (Hungarian
assignment). The dataset's boxes are drawn around the whole visible hair, often thin and
long, hence the padding.

Used by `trichoscopy_real.py --match`.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET  # noqa: S405 - local, trusted annotation files
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment

MATCH_PAD_PX = 10.0  # 0.03 mm at 360 px/mm
MATCH_IOU = 0.3
NEAR_IOU = MATCH_IOU / 2
# A box or hair this close to the image edge counts as cut by it.
EDGE_PX = 8
WIDTH, HEIGHT = 1280, 1024
SHORT_MM = 0.25
FINE_CLASSES = ("undersize", "abnormal")

Box = tuple[float, float, float, float]


class Boxed(NamedTuple):
    label: str  # the dataset's class: premium, single, undersize or abnormal
    box: Box


class FoundHair(NamedTuple):
    box: Box  # bounding box of the traced path
    touches_border: bool
    length_mm: float
    diameter_um: float


class HairRow(NamedTuple):
    """One counted hair, as the rule what-ifs in trichoscopy_rules.py see it."""

    length_mm: float
    diameter_um: float
    width_share: float  # diameter against the median of the image's counted hairs
    touches_border: bool  # the analyser's own flag: an end cut by the image border
    matched: bool
    beside: int  # unmatched boxes whose nearest hair this is, when it matched a box


class Tally(NamedTuple):
    year: str
    error: int  # the dataset's rule: hairs counted less boxes
    boxes: Counter[str]  # per dataset class
    found: Counter[str]  # boxes matched, per class
    missed_beside: Counter[str]  # unmatched boxes overlapping a hair matched to another box
    hairs: int
    extra_inside: int  # hairs matching no box, clear of the border
    extra_at_border: int
    extra_short: int  # of those inside, shorter than SHORT_MM
    missed_fine_alone: int  # undersize or abnormal boxes with no hair near them
    rows: tuple[HairRow, ...] = ()


def dataset_boxes(dataset: Path, name: str) -> list[Boxed]:
    root = ET.parse(dataset / "Annotations" / f"{name}.xml").getroot()  # noqa: S314
    boxes = []
    for item in root.findall("object"):
        edges = [
            float(item.findtext(f"bndbox/{key}", "0")) for key in ("xmin", "ymin", "xmax", "ymax")
        ]
        x0, x1 = sorted(edges[0::2])
        y0, y1 = sorted(edges[1::2])
        boxes.append(Boxed(item.findtext("class", ""), (x0, y0, x1, y1)))
    return boxes


def path_box(path: tuple[tuple[float, float], ...]) -> Box:
    points = np.asarray(path, dtype=float)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def overlap(a: Box, b: Box) -> float:
    """Intersection over union of the two boxes, each grown by MATCH_PAD_PX."""
    a = _grown(a)
    b = _grown(b)
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = _area(a) + _area(b) - inter
    return inter / union if union > 0 else 0.0


def tally(name: str, boxes: list[Boxed], hairs: list[FoundHair], counted: int) -> Tally:
    """Match `hairs` to `boxes`; `counted` is the image's count by the dataset's rule."""
    scores = np.array([[overlap(hair.box, boxed.box) for boxed in boxes] for hair in hairs])
    pairs: list[tuple[int, int]] = []
    if scores.size:
        rows, cols = linear_sum_assignment(-scores)
        pairs = [(i, j) for i, j in zip(rows, cols, strict=True) if scores[i, j] >= MATCH_IOU]
    matched_hairs = {i for i, _ in pairs}
    matched_boxes = {j for _, j in pairs}
    found: Counter[str] = Counter(boxes[j].label for j in matched_boxes)
    beside: Counter[str] = Counter()
    beside_hair: Counter[int] = Counter()
    fine_alone = 0
    for j, boxed in enumerate(boxes):
        if j in matched_boxes:
            continue
        nearest = _nearest_hair(scores[:, j]) if scores.size else None
        if nearest is None:
            fine_alone += boxed.label in FINE_CLASSES
        elif nearest in matched_hairs:
            beside[boxed.label] += 1
            beside_hair[nearest] += 1
    extra = [hair for i, hair in enumerate(hairs) if i not in matched_hairs]
    at_border = [hair.touches_border or _at_edge(hair.box) for hair in extra]
    median_um = statistics.median(hair.diameter_um for hair in hairs) if hairs else 1.0
    rows = tuple(
        HairRow(
            length_mm=hair.length_mm,
            diameter_um=hair.diameter_um,
            width_share=hair.diameter_um / max(median_um, 1e-9),
            touches_border=hair.touches_border,
            matched=i in matched_hairs,
            beside=beside_hair[i],
        )
        for i, hair in enumerate(hairs)
    )
    return Tally(
        year=capture_year(name),
        error=counted - len(boxes),
        boxes=Counter(boxed.label for boxed in boxes),
        found=found,
        missed_beside=beside,
        hairs=len(hairs),
        extra_inside=len(extra) - sum(at_border),
        extra_at_border=sum(at_border),
        extra_short=sum(
            hair.length_mm < SHORT_MM and not edge
            for hair, edge in zip(extra, at_border, strict=True)
        ),
        missed_fine_alone=fine_alone,
        rows=rows,
    )


def print_tallies(tallies: list[Tally]) -> None:
    """Recall per dataset class and where the unmatched hairs are, per capture year."""
    print("\nHair by hair (each counted hair matched to one box; see bench/trichoscopy_boxes.py)\n")
    print(
        "| Capture year | Boxes | Precision | Recall | Recall by class (premium, single, "
        "undersize, abnormal) | Missed beside a found hair | Extra hairs per image, "
        "inside / at the border |"
    )
    print("|---|---|---|---|---|---|---|")
    for year, batch in by_year(tallies):
        boxes = sum((item.boxes for item in batch), Counter())
        found = sum((item.found for item in batch), Counter())
        beside = sum(sum(item.missed_beside.values()) for item in batch)
        hairs = sum(item.hairs for item in batch)
        matched = sum(found.values())
        by_class = ", ".join(
            f"{found[label] / boxes[label]:.2f}" if boxes[label] else "–"
            for label in ("premium", "single", "undersize", "abnormal")
        )
        inside = statistics.fmean(item.extra_inside for item in batch)
        border = statistics.fmean(item.extra_at_border for item in batch)
        print(
            f"| {year} | {sum(boxes.values())} | {matched / max(hairs, 1):.2f} "
            f"| {matched / max(sum(boxes.values()), 1):.2f} | {by_class} "
            f"| {beside / max(sum(boxes.values()) - matched, 1):.0%} of misses "
            f"| {inside:.2f} / {border:.2f} |"
        )


WHAT_IF = (
    ("as it is", lambda item: item.error),
    (
        "every fine hair found that nothing was found near",
        lambda item: item.error + item.missed_fine_alone,
    ),
    (
        "every hair missed beside a found one found",
        lambda item: item.error + sum(item.missed_beside.values()),
    ),
    ("no extra hair at the border", lambda item: item.error - item.extra_at_border),
    (
        f"no extra hair inside shorter than {SHORT_MM} mm",
        lambda item: item.error - item.extra_short,
    ),
    (
        "all four at once",
        lambda item: (
            item.error
            + item.missed_fine_alone
            + sum(item.missed_beside.values())
            - item.extra_at_border
            - item.extra_short
        ),
    ),
)


def print_what_if(tallies: list[Tally]) -> None:
    """MAE (bias) per capture year if one kind of error were put right with perfect aim:
    what fixing it could be worth at most, not what a rule would reach."""
    print_error_table("If (an upper bound)", WHAT_IF, tallies)


def print_error_table(
    title: str, rows: Sequence[tuple[str, Callable[[Tally], int]]], tallies: list[Tally]
) -> None:
    """One row per way of reckoning an image's count error: MAE (bias) per capture year."""
    batches = by_year(tallies)
    print(f"\n| {title} | {' | '.join(year for year, _ in batches)} |")
    print(f"|---|{'---|' * len(batches)}")
    for label, error_of in rows:
        cells = []
        for _, batch in batches:
            errors = [error_of(item) for item in batch]
            mae = statistics.fmean(abs(error) for error in errors)
            cells.append(f"{mae:.2f} ({statistics.fmean(errors):+.2f})")
        print(f"| {label} | {' | '.join(cells)} |")


def capture_year(name: str) -> str:
    """The capture batch's year: FDU file names start with the capture date, YYMMDD."""
    return f"20{name[:2]}"


def by_year(tallies: list[Tally]) -> list[tuple[str, list[Tally]]]:
    """Each capture year's tallies, then all of them."""
    years = sorted({item.year for item in tallies})
    return [(year, [item for item in tallies if item.year == year]) for year in years] + [
        ("all", tallies)
    ]


def _nearest_hair(column: np.ndarray) -> int | None:
    """The hair overlapping a box most, if it overlaps it at all (half the match threshold)."""
    best = int(np.argmax(column))
    return best if column[best] >= NEAR_IOU else None


def _at_edge(box: Box) -> bool:
    x0, y0, x1, y1 = box
    return x0 < EDGE_PX or y0 < EDGE_PX or x1 > WIDTH - EDGE_PX or y1 > HEIGHT - EDGE_PX


def _grown(box: Box) -> Box:
    x0, y0, x1, y1 = box
    return (x0 - MATCH_PAD_PX, y0 - MATCH_PAD_PX, x1 + MATCH_PAD_PX, y1 + MATCH_PAD_PX)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])
