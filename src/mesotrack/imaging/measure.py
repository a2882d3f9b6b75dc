"""Width, darkness and multiplicity (hairs side by side) of every skeleton edge."""

from __future__ import annotations

import numpy as np

from mesotrack.imaging.graph import Graph
from mesotrack.imaging.model import MAX_HAIRS_PER_UNIT
from mesotrack.imaging.profiles import measure_chains

# Only a shape this much wider than a typical shaft is checked for seams between hairs lying
# side by side. Width alone does not decide: single shafts vary two-fold in width, and a light
# reflection along a thick shaft looks like a seam, but it never leaves two shaft-wide cores.
SEAM_RATIO = 1.8


def measure_edges(graph: Graph, darkness: np.ndarray, single_width: float) -> float:
    """Fill in each edge's width and peak darkness; return the typical single-shaft width."""
    edges = list(graph.edges.values())
    profiles = measure_chains(
        darkness,
        [edge.pixels for edge in edges],
        [(_skip(graph, edge.start), _skip(graph, edge.stop)) for edge in edges],
        single_width,
    )
    for edge, profile in zip(edges, profiles, strict=True):
        edge.width, edge.extent, edge.contrast = profile.width_px, profile.extent_px, profile.peak
    return typical_width(graph)


def typical_width(graph: Graph) -> float:
    """Length-weighted median width of edges that are whole, isolated hairs."""
    widths, weights = [], []
    for edge in graph.edges.values():
        alone = len(graph.nodes[edge.start].edges) == 1 and len(graph.nodes[edge.stop].edges) == 1
        if alone and edge.width > 0:
            widths.append(edge.width)
            weights.append(edge.length)
    if len(widths) < 3:
        widths = [edge.width for edge in graph.edges.values() if edge.width > 0]
        weights = [edge.length for edge in graph.edges.values() if edge.width > 0]
    if not widths:
        return 0.0
    order = np.argsort(widths)
    cumulative = np.cumsum(np.asarray(weights)[order])
    middle = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return float(np.asarray(widths)[order][middle])


def assign_multiplicity(graph: Graph, darkness: np.ndarray, single_width: float) -> None:
    """Edges much wider than one shaft and showing seams along them carry several hairs."""
    if single_width <= 0:
        return
    for edge in graph.edges.values():
        ratio = edge.extent / single_width
        if ratio < SEAM_RATIO or edge.length < 2.0 * single_width:
            continue
        skips = (_skip(graph, edge.start), _skip(graph, edge.stop))
        (profile,) = measure_chains(
            darkness, [edge.pixels], [skips], single_width, count_seams=True
        )
        cores = min(profile.cores, int(ratio / (SEAM_RATIO / 2.0)))
        edge.multiplicity = int(np.clip(cores, 1, MAX_HAIRS_PER_UNIT))


def _skip(graph: Graph, node_id: int) -> float:
    """Stay clear of junction blobs and blunt ends when measuring width."""
    return graph.nodes[node_id].radius * 1.5 + 1.0


def hair_width(graph: Graph, edge_ids: list[int]) -> tuple[float, float]:
    """Width and peak darkness of one hair: from its single-hair edges where it has any."""
    edges = [graph.edges[edge_id] for edge_id in edge_ids]
    single = [edge for edge in edges if edge.multiplicity == 1 and edge.width > 0]
    chosen = single or edges
    weights = np.asarray([max(edge.length, 1.0) for edge in chosen])
    widths = np.asarray([min(edge.width, edge.extent / edge.multiplicity) for edge in chosen])
    peaks = np.asarray([edge.contrast for edge in chosen])
    return float(np.average(widths, weights=weights)), float(np.average(peaks, weights=weights))
