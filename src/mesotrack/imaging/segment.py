"""Where the hairs are: a hair mask, then the centre line of every shaft, as a graph.

The mask (hysteresis on darkness) says which pixels are hair but merges touching hairs.
Centre lines come from a ridge filter tuned to the typical shaft width of this image, which
keeps two shafts lying side by side apart; a finer ridge filter picks up thin vellus hairs.
Where a centre line breaks off at a crossing, it is extended along its own direction to the
hair it runs into, so that the graph shows the crossing.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from mesotrack.imaging.graph import Graph, build_graph, direction_from
from mesotrack.imaging.morphology import fill_holes, hysteresis, label_shapes, skeletonize_shapes
from mesotrack.imaging.ridges import ridge_at, suppress_non_maxima
from mesotrack.imaging.topology import (
    dissolve_pass_through,
    drop_small_loops,
    drop_specks,
    merge_close_junctions,
    prune_spurs,
    split_openings,
)

# Darkness (0 = skin, 1 = black) a pixel needs to start a hair, and to be part of one.
STRONG_DARKNESS = 0.22
WEAK_DARKNESS = 0.10
# Shortest visible piece of hair worth a look; vellus hairs can be as short as this.
MIN_HAIR_MM = 0.06
# Ridge scale as a share of the typical shaft width: one ridge for a shaft up to ~1.4 times
# the typical width, two ridges for two typical shafts side by side.
RIDGE_SIGMA_SHARE = 0.5
VELLUS_WIDTH_MM = 0.02
# Thin-ridge hysteresis: floors, and multiples of the skin texture's strongest ridges.
THIN_LOW, THIN_HIGH = 0.04, 0.07
THIN_LOW_SHARE, THIN_HIGH_SHARE = 1.5, 3.0
THIN_RADIUS_SHARE = 0.3
# A seam between a fine ridge and a thick shaft: looked for a sixth to half the way across, at
# least this much lighter than the ridge (share of its darkness).
SEAM_SAMPLES = (0.15, 0.3, 0.45)
SEAM_DEPTH_SHARE = 0.3
DEFAULT_WIDTH_MM = 0.07
WIDTH_SCAN_MM = tuple(round(0.015 + 0.01 * step, 3) for step in range(12))


def thresholds(darkness: np.ndarray) -> tuple[float, float]:
    """Raise the fixed thresholds on grainy images so that skin texture does not join in."""
    sample = darkness[::4, ::4]
    typical = float(np.median(sample))
    spread = float(np.median(np.abs(sample - typical))) * 1.4826
    low = max(WEAK_DARKNESS, typical + 4.0 * spread)
    high = max(STRONG_DARKNESS, low + 0.1)
    return low, high


def hair_mask(darkness: np.ndarray, px_per_mm: float) -> np.ndarray:
    low, high = thresholds(darkness)
    mask = hysteresis(darkness, low, high)
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    mask = cv2.medianBlur(mask, 3)
    count, labels, stats = label_shapes(mask)
    min_area = max(6.0, (MIN_HAIR_MM * px_per_mm) * 2.0)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return keep[labels]


def typical_width(darkness: np.ndarray, mask: np.ndarray, px_per_mm: float) -> float:
    """Width of a typical shaft in this image: the median over dark shapes of their thickness.

    Shapes are cut at half the hairs' darkness and their holes (light reflections on the
    shaft) filled; a shape's thickness is twice the distance from its skeleton to its edge,
    taken at the upper quartile along the skeleton so that tapering ends do not count. Most
    shapes are single hairs, so the length-weighted median is a single shaft's width.
    """
    if not mask.any():
        return DEFAULT_WIDTH_MM * px_per_mm
    level = 0.5 * float(np.percentile(darkness[mask], 90))
    strict = fill_holes((darkness > level) & mask)
    radius = cv2.distanceTransform(strict.astype(np.uint8), cv2.DIST_L2, 5)
    count, labels, _ = label_shapes(strict)
    skeleton = skeletonize_shapes(strict)
    on_skeleton = labels[skeleton]
    radii = radius[skeleton]
    widths, lengths = [], []
    for label in range(1, count):
        values = radii[on_skeleton == label]
        width = 2.0 * float(np.percentile(values, 75)) if values.size else 0.0
        # Only elongated shapes are shafts; flakes and skin texture are not.
        if values.size >= max(5, int(MIN_HAIR_MM * px_per_mm), 2 * width):
            widths.append(width)
            lengths.append(values.size)
    if len(widths) < 3:
        return DEFAULT_WIDTH_MM * px_per_mm
    order = np.argsort(widths)
    cumulative = np.cumsum(np.asarray(lengths, dtype=float)[order])
    return float(np.asarray(widths)[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def centre_lines(
    darkness: np.ndarray, mask: np.ndarray, single_width: float, px_per_mm: float
) -> np.ndarray:
    low, high = thresholds(darkness)
    lines = _ridge_lines(darkness, mask, RIDGE_SIGMA_SHARE * single_width, low, high)
    thin_sigma = max(1.0, RIDGE_SIGMA_SHARE * VELLUS_WIDTH_MM * px_per_mm)
    if thin_sigma < 0.6 * RIDGE_SIGMA_SHARE * single_width:
        thin = _ridge_lines(darkness, mask, thin_sigma, None, None)
        claimed = cv2.dilate(lines.astype(np.uint8), _disc(1.3 * single_width)) > 0
        # Inside a thick shaft the fine filter answers to its edges and glints: only narrow
        # dark shapes can hold a vellus hair, and next to a thick shaft only one that a
        # lighter seam parts from it.
        radius = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
        thin &= radius <= THIN_RADIUS_SHARE * single_width
        beside = _beyond_a_seam(thin & claimed, lines, darkness)
        lines |= _without_specks((thin & ~claimed) | beside, MIN_HAIR_MM * px_per_mm)
    return lines | _unexplained(mask, lines, single_width, px_per_mm)


def _beyond_a_seam(candidates: np.ndarray, lines: np.ndarray, darkness: np.ndarray) -> np.ndarray:
    """The candidate pixels with a lighter seam between them and the nearest thick centre line."""
    found = np.zeros_like(candidates)
    points, thick = np.argwhere(candidates), np.argwhere(lines)
    if not len(points) or not len(thick):
        return found
    _, nearest = cKDTree(thick).query(points)
    start, towards = points.astype(float), thick[nearest].astype(float) - points
    own = ndimage.map_coordinates(darkness, start.T, order=1)
    lightest = np.min(
        [
            ndimage.map_coordinates(darkness, (start + share * towards).T, order=1)
            for share in SEAM_SAMPLES
        ],
        axis=0,
    )
    seam = own - lightest >= SEAM_DEPTH_SHARE * own
    found[points[seam, 0], points[seam, 1]] = True
    return found


def _unexplained(
    mask: np.ndarray, lines: np.ndarray, single_width: float, px_per_mm: float
) -> np.ndarray:
    """Centre lines for dark shapes no ridge accounts for: a hair hidden beside another."""
    distance = cv2.distanceTransform((~lines).astype(np.uint8), cv2.DIST_L2, 5)
    far = (mask & (distance > 0.75 * single_width)).astype(np.uint8)
    opened = cv2.morphologyEx(far, cv2.MORPH_OPEN, _disc(max(3.0, 0.4 * single_width)))
    count, labels, stats = label_shapes(opened)
    min_area = 0.5 * single_width * MIN_HAIR_MM * px_per_mm
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return skeletonize_shapes(keep[labels])


def _ridge_lines(
    darkness: np.ndarray, mask: np.ndarray, sigma: float, low: float | None, high: float | None
) -> np.ndarray:
    """Centre lines of bars at this scale; without thresholds, set them from the skin's own
    ridges (faint vellus shafts are far weaker than terminal ones, but stronger than skin)."""
    strength, normal = ridge_at(darkness, sigma)
    peaks = suppress_non_maxima(strength, normal)
    if low is None or high is None:
        low, high = _skin_ridge_thresholds(strength, peaks, mask)
    peaks &= mask
    lines = hysteresis(np.where(peaks, strength, 0.0), low, high)
    lines = cv2.dilate(lines.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
    return skeletonize_shapes(lines & mask)


def _without_specks(lines: np.ndarray, min_length: float) -> np.ndarray:
    count, labels, stats = label_shapes(lines)
    extent = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep = extent >= min_length
    keep[0] = False
    return keep[labels]


def _skin_ridge_thresholds(
    strength: np.ndarray, peaks: np.ndarray, mask: np.ndarray
) -> tuple[float, float]:
    skin = peaks[::2, ::2] & ~mask[::2, ::2]
    level = float(np.percentile(strength[::2, ::2][skin], 99.9)) if skin.sum() > 100 else 0.05
    return max(THIN_LOW, THIN_LOW_SHARE * level), max(THIN_HIGH, THIN_HIGH_SHARE * level)


def _disc(diameter: float) -> np.ndarray:
    size = max(3, int(round(diameter)) | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))


def skeleton_graph(
    centre: np.ndarray,
    radius: np.ndarray,
    darkness: np.ndarray,
    single_width: float,
    px_per_mm: float,
) -> Graph:
    """The cleaned graph of the centre lines, with gaps at crossings bridged."""
    graph = _clean_graph(centre, radius, single_width, px_per_mm)
    bridged = centre.copy()
    if _bridge_gaps(graph, bridged, darkness, single_width):
        graph = _clean_graph(skeletonize_shapes(bridged), radius, single_width, px_per_mm)
    reach = max(4.0, 0.8 * single_width)
    split_openings(graph, 1.5 * single_width, reach)
    drop_specks(graph, MIN_HAIR_MM * px_per_mm)
    return graph


def _clean_graph(
    centre: np.ndarray, radius: np.ndarray, single_width: float, px_per_mm: float
) -> Graph:
    graph = build_graph(centre, radius)
    drop_small_loops(graph, 2.0 * single_width)
    prune_spurs(graph, min_length_px=max(0.02 * px_per_mm, 0.6 * single_width))
    merge_close_junctions(graph, 0.8 * single_width, reach=max(4.0, single_width))
    dissolve_pass_through(graph)
    return graph


def _bridge_gaps(
    graph: Graph, canvas: np.ndarray, darkness: np.ndarray, single_width: float
) -> bool:
    """Extend loose ends along their direction, across dark pixels, into another centre line."""
    owner = np.zeros(canvas.shape, dtype=np.int32)
    for edge in graph.edges.values():
        rows, cols = _pixel_indices(edge.pixels, canvas.shape)
        owner[rows, cols] = edge.id
    reach = 1.6 * single_width
    floor = thresholds(darkness)[0]
    bridged = False
    for node in list(graph.nodes.values()):
        if len(node.edges) != 1:
            continue
        edge = graph.edges[node.edges[0]]
        outward = -direction_from(node, edge, max(4.0, single_width))
        hit = _cast(node.position, outward, reach, owner, edge.id, darkness, floor)
        if hit is not None:
            start = (int(round(node.position[1])), int(round(node.position[0])))
            cv2.line(canvas.view(np.uint8), start, (int(hit[1]), int(hit[0])), 1, 1)
            bridged = True
    return bridged


def _cast(
    origin: np.ndarray,
    outward: np.ndarray,
    reach: float,
    owner: np.ndarray,
    own_edge: int,
    darkness: np.ndarray,
    edge_floor: float,
) -> tuple[int, int] | None:
    height, width = owner.shape
    for step in range(2, int(math.ceil(reach)) + 1):
        row = int(round(origin[0] + outward[0] * step))
        col = int(round(origin[1] + outward[1] * step))
        if not (0 <= row < height and 0 <= col < width):
            return None
        if darkness[row, col] < edge_floor:
            return None
        found = owner[max(0, row - 1) : row + 2, max(0, col - 1) : col + 2]
        others = found[(found > 0) & (found != own_edge)]
        if others.size:
            return (row, col)
    return None


def _pixel_indices(pixels: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.clip(np.round(pixels[:, 0]).astype(int), 0, shape[0] - 1)
    cols = np.clip(np.round(pixels[:, 1]).astype(int), 0, shape[1] - 1)
    return rows, cols
