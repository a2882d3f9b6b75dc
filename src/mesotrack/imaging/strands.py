"""From a skeleton graph to hairs: pair branches at junctions by good continuation.

An edge may carry several hairs side by side (its multiplicity). At every junction the hairs
arriving along one edge leave along the edge that bends least, if it bends less than
MAX_TURN_DEG: an X-crossing becomes two straight hairs, a fan of hairs leaving one opening
becomes one hair per blade, and a hair ending against another's side ends there.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from mesotrack.imaging.graph import Graph
from mesotrack.imaging.topology import turning_angle

MAX_TURN_DEG = 33.0


@dataclass
class Strand:
    """One hair's route: edges in travel order, and the node and edge at each end."""

    steps: list[tuple[int, bool, int]] = field(default_factory=list)  # (edge, forward, lane)
    start: tuple[int, int] = (0, 0)  # (node id, edge id)
    stop: tuple[int, int] = (0, 0)

    def points(self, graph: Graph) -> np.ndarray:
        """The hair's centre line; on an edge shared by several hairs, its own lane."""
        pieces = []
        for edge_id, forward, lane in self.steps:
            edge = graph.edges[edge_id]
            pixels = lane_pixels(edge.pixels, edge.multiplicity, lane, edge.extent)
            pieces.append(pixels if forward else pixels[::-1])
        return np.vstack(pieces)

    def edge_ids(self) -> list[int]:
        return [edge_id for edge_id, _, _ in self.steps]


def lane_pixels(pixels: np.ndarray, lanes: int, lane: int, width: float) -> np.ndarray:
    """Shift a shared centre line sideways to where one of its side-by-side hairs lies."""
    if lanes <= 1 or len(pixels) < 2:
        return pixels
    offset = (lane - (lanes - 1) / 2.0) * width / lanes
    return pixels + offset * normals(pixels)


def normals(pixels: np.ndarray) -> np.ndarray:
    """Unit normals (row, col) along a chain, from tangents smoothed over a few pixels."""
    reach = 3
    index = np.arange(len(pixels))
    ahead = pixels[np.minimum(index + reach, len(pixels) - 1)]
    behind = pixels[np.maximum(index - reach, 0)]
    tangent = ahead - behind
    tangent /= np.maximum(np.hypot(*tangent.T), 1e-9)[:, None]
    return np.column_stack([-tangent[:, 1], tangent[:, 0]])


LaneEnd = tuple[int, int, int]  # (edge id, lane, node id)


def pair_lanes(graph: Graph, reach: float) -> dict[LaneEnd, LaneEnd]:
    """Link the lane-ends meeting at every junction, straightest continuations first."""
    links: dict[LaneEnd, LaneEnd] = {}
    for node in graph.nodes.values():
        incident = [
            edge_id
            for edge_id in set(node.edges)
            if graph.edges[edge_id].start != graph.edges[edge_id].stop
        ]
        if len(incident) < 2:
            continue
        free = {edge_id: graph.edges[edge_id].multiplicity for edge_id in incident}
        used = dict.fromkeys(incident, 0)
        options = []
        for first, second in itertools.combinations(incident, 2):
            turn = turning_angle(graph, node.id, first, second, reach)
            if turn <= MAX_TURN_DEG:
                options.append((turn, first, second))
        for _turn, first, second in sorted(options):
            while free[first] and free[second]:
                a: LaneEnd = (first, used[first], node.id)
                b: LaneEnd = (second, used[second], node.id)
                links[a], links[b] = b, a
                used[first] += 1
                used[second] += 1
                free[first] -= 1
                free[second] -= 1
    return links


def trace_strands(graph: Graph, links: dict[LaneEnd, LaneEnd]) -> list[Strand]:
    """Walk every lane once, following links through junctions."""
    visited: set[tuple[int, int]] = set()
    strands = []
    starts = []
    for edge in graph.edges.values():
        for lane in range(edge.multiplicity):
            for node_id in (edge.start, edge.stop):
                if (edge.id, lane, node_id) not in links:
                    starts.append((edge.id, lane, node_id))
    for edge in graph.edges.values():  # closed loops have no free end: start anywhere
        starts.extend((edge.id, lane, edge.start) for lane in range(edge.multiplicity))
    for edge_id, lane, node_id in starts:
        if (edge_id, lane) in visited:
            continue
        strands.append(_walk(graph, links, visited, (edge_id, lane, node_id)))
    return strands


def _walk(
    graph: Graph,
    links: dict[LaneEnd, LaneEnd],
    visited: set[tuple[int, int]],
    begin: LaneEnd,
) -> Strand:
    strand = Strand(start=(begin[2], begin[0]))
    edge_id, lane, entry = begin
    while True:
        visited.add((edge_id, lane))
        edge = graph.edges[edge_id]
        forward = entry == edge.start and not (edge.start == edge.stop and strand.steps)
        strand.steps.append((edge_id, forward, lane))
        exit_node = edge.stop if forward else edge.start
        strand.stop = (exit_node, edge_id)
        partner = links.get((edge_id, lane, exit_node))
        if partner is None or (partner[0], partner[1]) in visited:
            return strand
        edge_id, lane, entry = partner
