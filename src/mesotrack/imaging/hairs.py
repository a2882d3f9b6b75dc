"""Turn traced strands into counted hairs: exit points, diameters, follicular units."""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mesotrack.imaging.ends import (
    HairEnd,
    TracedHair,
    choose_exit,
    decision_margin,
    end_point,
    fan_stem,
    is_cut,
    outward_direction,
    shadow_beyond,
    shadow_threshold,
    without_faint_end,
)
from mesotrack.imaging.flow import stream
from mesotrack.imaging.glare import exits_under_glare, glare_spots, join_across_glare
from mesotrack.imaging.graph import Graph
from mesotrack.imaging.measure import hair_width
from mesotrack.imaging.preprocess import Prepared
from mesotrack.imaging.strands import Strand

# Openings closer than this belong to one follicular unit.
UNIT_RADIUS_MM = 0.12


def trace_hairs(graph: Graph, strands: list[Strand], prepared: Prepared) -> list[TracedHair]:
    reach = max(4.0, 0.05 * prepared.px_per_mm)
    hairs = []
    for strand in strands:
        hair = _traced(graph, strand, prepared, reach)
        if hair is not None:
            hairs.append(hair)
    spots = glare_spots(prepared.glare)
    hairs = join_across_glare(hairs, spots)
    threshold = shadow_threshold(hairs)
    flow = stream(hairs, decision_margin(threshold))
    for hair in hairs:
        choose_exit(hair, threshold, flow)
    exits_under_glare(hairs, spots)
    return hairs


def _traced(graph: Graph, strand: Strand, prepared: Prepared, reach: float) -> TracedHair | None:
    points = strand.points(graph)
    width, peak = hair_width(graph, strand.edge_ids())
    shared = [False, False]
    end_nodes = [strand.start[0], strand.stop[0]]
    for side, (node_id, edge_id) in enumerate((strand.start, strand.stop)):
        stem = fan_stem(graph, node_id, edge_id, reach)
        if stem is not None:
            before, after = (stem.pixels[::-1], points) if side == 0 else (points, stem.pixels)
            points = np.vstack([before, after])
            end_nodes[side] = graph.edges[stem.edge_id].other(node_id)
        shared[side] = stem is not None or _opening_of_several(graph, node_id, edge_id)
    points = without_faint_end(points, graph, end_nodes[0], prepared.darkness, peak)
    points = without_faint_end(points[::-1], graph, end_nodes[1], prepared.darkness, peak)[::-1]
    if len(points) < 2:
        return None
    ends = (
        _end(points, end_nodes[0], shared[0], (width, peak), graph, prepared, reach),
        _end(points[::-1], end_nodes[1], shared[1], (width, peak), graph, prepared, reach),
    )
    edges = set(strand.edge_ids())
    for side, (node_id, _edge_id) in enumerate((strand.start, strand.stop)):
        if shared[side]:
            edges.update(graph.nodes[node_id].edges)
    return TracedHair(
        points=points,
        ends=ends,
        width_px=width,
        peak=peak,
        attached=sum(len(graph.nodes[node_id].edges) != 1 for node_id in end_nodes),
        edges=frozenset(edges),
    )


def _opening_of_several(graph: Graph, node_id: int, edge_id: int) -> bool:
    """A V-shaped corner, or the open end of a stretch carrying several hairs side by side."""
    node = graph.nodes[node_id]
    if node.kind == "corner":
        return True
    return len(node.edges) == 1 and graph.edges[edge_id].multiplicity > 1


def _end(
    ordered: np.ndarray,
    node_id: int,
    shared: bool,
    shaft: tuple[float, float],
    graph: Graph,
    prepared: Prepared,
    reach: float,
) -> HairEnd:
    """The end at ordered[0]: where it is, which way it points, and what lies beyond it.

    `shaft` is the hair's width (px) and peak darkness.
    """
    width, peak = shaft
    outward = outward_direction(ordered, reach)
    point = end_point(graph, node_id, ordered[0], outward, prepared.darkness, peak)
    end = HairEnd(point=point, outward=outward, shared=shared, cut=False)
    end.cut = is_cut(end.point, width / 2.0, prepared.darkness.shape, prepared.overlay)
    if end.cut:
        end.point = np.clip(end.point, 0.0, np.asarray(prepared.darkness.shape) - 1.0)
    end.shadow = shadow_beyond(prepared.shadow, end, max(1.0, width / 2.0), prepared.px_per_mm)
    return end


def unit_ids(exits: list[np.ndarray], px_per_mm: float) -> list[int]:
    """Group exit points closer than UNIT_RADIUS_MM into follicular units, numbered from 1."""
    count = len(exits)
    if count == 0:
        return []
    points = np.asarray(exits)
    limit = UNIT_RADIUS_MM * px_per_mm
    difference = points[:, None, :] - points[None, :, :]
    close = np.hypot(difference[..., 0], difference[..., 1]) <= limit
    rows, cols = np.nonzero(close)
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))
    _, labels = connected_components(matrix, directed=False)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber) + 1) for label in labels]


def unit_histogram(units: list[int], largest: int) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for unit in set(units):
        sizes[unit] = units.count(unit)
    histogram = dict.fromkeys(range(1, largest + 1), 0)
    for size in sizes.values():
        histogram[min(size, largest)] += 1
    return histogram


def to_input_coords(point: np.ndarray, scale: float) -> tuple[float, float]:
    """(row, col) at work scale to (x, y) in the input image."""
    return (float(point[1]) / scale, float(point[0]) / scale)


def simplify_path(
    points: np.ndarray, scale: float, step_px: float = 4.0
) -> tuple[tuple[float, float], ...]:
    stride = max(1, int(math.ceil(step_px)))
    chosen = np.vstack([points[::stride], points[-1:]])
    return tuple(to_input_coords(point, scale) for point in chosen)
