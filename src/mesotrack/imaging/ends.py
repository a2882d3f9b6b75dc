"""Which end of a hair is its exit point (the follicle opening) and which is its cut tip.

Cues, strongest first:
- an end shared by several hairs is their common opening (a follicular unit);
- an end cut by the image border or a device overlay is not seen, so it cannot be judged,
  unless the blue-grey shaft under the skin shows right there: then the opening is at the edge;
- the shaft runs on under the skin past its opening as a soft blue-grey shadow, while the cut
  tip ends sharply on bare skin: the end with more shadow beyond it is the exit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from mesotrack.imaging.graph import Graph, direction_from
from mesotrack.imaging.strands import MAX_TURN_DEG, normals
from mesotrack.imaging.topology import turning_angle

SHADOW_REACH_MM = 0.12
DEFAULT_SHADOW_THRESHOLD = 0.015
# Shadow difference between the two ends below which the shadow does not decide.
SHADOW_MARGIN = 0.01
# How much the stream of neighbouring hairs and a shared opening weigh, in shadow margins.
STREAM_WEIGHT = 2.0
SHARED_WEIGHT = 1.0
# A free end's centre line fainter than this share of the hair's peak darkness runs on into
# the shadow beyond the opening, not along the shaft.
FAINT_END_SHARE = 0.6
MAX_FAINT_END_SHARE = 0.5
# The cut end is where the darkness along the axis falls to half the peak, searched up to this
# far beyond the node's own radius.
TIP_DARKNESS_SHARE = 0.5
TIP_SEARCH_PX = 3.0


@dataclass
class HairEnd:
    point: np.ndarray  # (row, col) at work scale
    outward: np.ndarray  # unit vector pointing out of the hair
    shared: bool
    cut: bool
    shadow: float = 0.0


@dataclass
class TracedHair:
    points: np.ndarray  # (row, col) from one end to the other
    ends: tuple[HairEnd, HairEnd]
    width_px: float
    peak: float
    attached: int = 0  # how many of its ends sit on other hairs rather than free on the skin
    edges: frozenset[int] = frozenset()  # skeleton edges it runs along
    exit_index: int = 0  # which of `ends` is the exit
    exit_visible: bool = True


@dataclass(frozen=True)
class Stem:
    edge_id: int
    pixels: np.ndarray  # from the fork out to the open end


def fan_stem(graph: Graph, node_id: int, edge_id: int, reach: float) -> Stem | None:
    """If a hair stops where it branches off a stem, the stem out to its open end.

    Hairs of one follicular unit leave the opening together and part further out; the skeleton
    shows a stem that forks. The hair that did not get the stem shares its opening anyway.
    """
    node = graph.nodes[node_id]
    if node.kind == "end" or len(node.edges) < 3:
        return None
    best: tuple[float, int] | None = None
    for other_id in set(node.edges):
        if other_id == edge_id:
            continue
        turn = turning_angle(graph, node_id, edge_id, other_id, reach)
        if turn <= MAX_TURN_DEG and (best is None or turn < best[0]):
            best = (turn, other_id)
    if best is None:
        return None
    stem = graph.edges[best[1]]
    if len(graph.nodes[stem.other(node_id)].edges) != 1:
        return None
    pixels = stem.from_node(node_id)
    # The hair lies along the side of the stem it branches off to.
    blade = direction_from(node, graph.edges[edge_id], reach)
    side = float(np.sign(normals(pixels)[0] @ blade)) or 1.0
    return Stem(edge_id=stem.id, pixels=pixels + side * stem.extent / 4.0 * normals(pixels))


def without_faint_end(
    points: np.ndarray, graph: Graph, node_id: int, darkness: np.ndarray, peak: float
) -> np.ndarray:
    """Drop the faint run at a free end (points[0]): the centre line wandering on into the
    shadow beyond an opening. Never more than MAX_FAINT_END_SHARE of the hair."""
    if len(graph.nodes[node_id].edges) != 1 or len(points) < 4:
        return points
    values = ndimage.map_coordinates(darkness, points.T, order=1, mode="nearest")
    dark = np.flatnonzero(values >= FAINT_END_SHARE * peak)
    if not len(dark) or dark[0] > MAX_FAINT_END_SHARE * len(points):
        return points
    return points[max(0, int(dark[0]) - 1) :]


def end_point(
    graph: Graph,
    node_id: int,
    start: np.ndarray,
    outward: np.ndarray,
    darkness: np.ndarray,
    peak: float,
) -> np.ndarray:
    """Where the shaft ends beyond `start`, the last centre-line point.

    A free end's node sits about one shaft radius inside the blunt end. The end is the
    outermost point along the axis, within that radius and a little more, where the darkness
    is still half the hair's peak: the half-maximum of the blurred edge.
    """
    node = graph.nodes[node_id]
    if len(node.edges) != 1:
        return node.position
    steps = np.arange(node.radius + TIP_SEARCH_PX, -0.01, -0.5)
    samples = start[None, :] + steps[:, None] * outward[None, :]
    values = ndimage.map_coordinates(darkness, samples.T, order=1, mode="nearest")
    dark = np.flatnonzero(values >= TIP_DARKNESS_SHARE * peak)
    return samples[int(dark[0])] if len(dark) else start


def hair_length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0.0


def move_exit(hair: TracedHair, point: np.ndarray) -> None:
    """Put the hair's exit at `point`, its centre line running on to it."""
    hair.ends[hair.exit_index].point = point
    if hair.exit_index == 0:
        hair.points = np.vstack([point, hair.points])
    else:
        hair.points = np.vstack([hair.points, point])


def outward_direction(points: np.ndarray, reach: float) -> np.ndarray:
    """Unit vector out of the hair at points[0]."""
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    index = min(int(np.searchsorted(arc, reach)), len(points) - 1)
    vector = points[0] - points[index]
    norm = float(np.hypot(*vector))
    return vector / norm if norm > 1e-6 else np.array([0.0, 1.0])


def is_cut(point: np.ndarray, radius: float, shape: tuple[int, int], blocked: np.ndarray) -> bool:
    height, width = shape
    margin = 2.5
    row, col = float(point[0]), float(point[1])
    if row < margin or col < margin or row > height - 1 - margin or col > width - 1 - margin:
        return True
    margin = radius + 2.0
    r0, c0 = max(0, int(row - margin)), max(0, int(col - margin))
    window = blocked[r0 : int(row + margin) + 1, c0 : int(col + margin) + 1]
    return bool(window.any())


def shadow_beyond(shadow: np.ndarray, end: HairEnd, half_width: float, px_per_mm: float) -> float:
    """Mean blue-grey shadow in a strip running out from the end along the hair's axis."""
    reach = SHADOW_REACH_MM * px_per_mm
    along = np.linspace(2.0, 2.0 + reach, 10)
    across = np.linspace(-half_width, half_width, 5)
    normal = np.array([-end.outward[1], end.outward[0]])
    grid = (
        end.point[None, None, :]
        + along[:, None, None] * end.outward
        + across[None, :, None] * normal
    )
    rows, cols = grid[..., 0].ravel(), grid[..., 1].ravel()
    values = ndimage.map_coordinates(shadow, [rows, cols], order=1, mode="nearest")
    return float(values.mean())


def shadow_threshold(hairs: list[TracedHair]) -> float:
    """Midway between typical exit and tip shadows of the hairs seen whole in this image."""
    exits, tips = [], []
    for hair in hairs:
        first, second = hair.ends
        if first.cut or second.cut or first.shared or second.shared:
            continue
        exits.append(max(first.shadow, second.shadow))
        tips.append(min(first.shadow, second.shadow))
    if len(exits) < 5:
        return DEFAULT_SHADOW_THRESHOLD
    return (float(np.median(exits)) + float(np.median(tips))) / 2.0


def choose_exit(hair: TracedHair, threshold: float, flow: np.ndarray) -> None:
    """Weigh the shadow beyond each end, a shared opening, and the stream the hairs follow.

    `flow` is the mean exit-to-tip direction of this image's hairs (zero if there is none).
    """
    first, second = hair.ends
    if first.cut and second.cut:
        hair.exit_index, hair.exit_visible = 0, False
        return
    margin = decision_margin(threshold)
    along = float(hair_axis(hair) @ flow) * STREAM_WEIGHT  # > 0: ends[0] is upstream, the exit
    if first.cut or second.cut:
        inner = 1 if first.cut else 0
        end = hair.ends[inner]
        floor = threshold / 2 if end.shared else threshold
        evidence = (end.shadow - floor) / margin + (along if inner == 0 else -along)
        hair.exit_index, hair.exit_visible = inner, evidence >= 0.0
        if evidence < 0.0 and hair.ends[1 - inner].shadow >= threshold + margin:
            # The shaft under the skin shows at the border: the opening is right at the edge.
            hair.exit_index, hair.exit_visible = 1 - inner, True
        return
    evidence = (first.shadow - second.shadow) / margin + along
    evidence += SHARED_WEIGHT * (int(first.shared) - int(second.shared))
    hair.exit_index = 0 if evidence >= 0.0 else 1


def decision_margin(threshold: float) -> float:
    return max(SHADOW_MARGIN, threshold / 2.0)


def hair_axis(hair: TracedHair) -> np.ndarray:
    """Unit vector from ends[0] to ends[1]."""
    vector = hair.ends[1].point - hair.ends[0].point
    norm = float(np.hypot(*vector))
    return vector / norm if norm > 1e-6 else np.zeros(2)
