"""Clean a skeleton graph so that its edges follow hair shafts.

Skeletons of thick, blunt shafts grow short spurs at their corners, X-crossings of two thick
shafts come out as two junctions joined by a short bridge, and two hairs leaving one opening
in a V have no junction at all, only a sharp corner. Each step below fixes one of these.
"""

from __future__ import annotations

import math

import numpy as np

from mesotrack.imaging.graph import Graph, angle_deg, direction_from, join_at

SPUR_RADIUS_FACTOR = 1.6
CORNER_ANGLE_DEG = 50.0
CORNER_PASSES = 2
CROSSING_TURN_DEG = 25.0
CONNECTOR_TURN_DEG = 45.0


def dissolve_pass_through(graph: Graph) -> None:
    """Nodes with two edges are not junctions: join their edges."""
    for node_id in list(graph.nodes):
        node = graph.nodes.get(node_id)
        if node is not None and node.kind != "corner" and len(node.edges) == 2:
            join_at(graph, node_id)


def drop_small_loops(graph: Graph, max_length_px: float) -> None:
    """Tiny rings in a skeleton (where two lines meet at a slant) are not hairs."""
    for edge in list(graph.edges.values()):
        if edge.start == edge.stop and edge.length <= max_length_px:
            graph.remove_edge(edge.id)
    dissolve_pass_through(graph)


def prune_spurs(graph: Graph, min_length_px: float) -> None:
    """Remove short end branches that stick out of a junction's blob."""
    for _ in range(3):
        removed = False
        for edge in list(graph.edges.values()):
            if edge.id not in graph.edges:
                continue
            ends = [graph.nodes[edge.start], graph.nodes[edge.stop]]
            leaf = [node for node in ends if len(node.edges) == 1]
            hub = [node for node in ends if len(node.edges) >= 3]
            if len(leaf) != 1 or not hub:
                continue
            limit = max(min_length_px, SPUR_RADIUS_FACTOR * hub[0].radius)
            if edge.length <= limit:
                graph.remove_edge(edge.id)
                del graph.nodes[leaf[0].id]
                removed = True
        dissolve_pass_through(graph)
        if not removed:
            return


def drop_specks(graph: Graph, min_length_px: float) -> None:
    """Isolated pieces shorter than a hair can be are skin texture or dust."""
    for edge in list(graph.edges.values()):
        start, stop = graph.nodes[edge.start], graph.nodes[edge.stop]
        if len(start.edges) == 1 and len(stop.edges) == 1 and edge.length < min_length_px:
            graph.remove_edge(edge.id)
            del graph.nodes[start.id]
            if stop.id != start.id:
                del graph.nodes[stop.id]


def merge_close_junctions(graph: Graph, max_bridge_px: float, reach: float) -> None:
    """Contract short bridges between junctions: thick X-crossings skeletonise as two Ys.

    A longer bridge is contracted too when the four branches around it pair up into two
    nearly straight hairs: two hairs crossing at a shallow angle share a long stretch.
    """
    changed = True
    while changed:
        changed = False
        for edge in sorted(graph.edges.values(), key=lambda item: item.length):
            a, b = graph.nodes[edge.start], graph.nodes[edge.stop]
            if a.id == b.id or len(a.edges) < 3 or len(b.edges) < 3:
                continue
            short = edge.length <= max_bridge_px
            if not short and not _shallow_crossing(graph, edge.id, 4.0 * max_bridge_px, reach):
                continue
            _contract(graph, edge.id)
            changed = True
            break


def _shallow_crossing(graph: Graph, edge_id: int, max_length: float, reach: float) -> bool:
    edge = graph.edges[edge_id]
    a, b = graph.nodes[edge.start], graph.nodes[edge.stop]
    if edge.length > max_length or len(a.edges) != 3 or len(b.edges) != 3:
        return False
    left = [other for other in a.edges if other != edge_id]
    right = [other for other in b.edges if other != edge_id]
    if len(set(left) | set(right)) != 4:
        return False
    for first, second in ((0, 1), (1, 0)):
        turns = (
            _through_turn(graph, a.id, left[0], edge_id, b.id, right[first], reach),
            _through_turn(graph, a.id, left[1], edge_id, b.id, right[second], reach),
        )
        if max(turns) <= CROSSING_TURN_DEG:
            return True
    return False


def _through_turn(
    graph: Graph, a: int, into: int, bridge: int, b: int, out: int, reach: float
) -> float:
    """Total turning of a hair coming in along `into`, over the bridge, out along `out`."""
    first = direction_from(graph.nodes[a], graph.edges[into], reach)
    second = direction_from(graph.nodes[b], graph.edges[out], reach)
    return angle_deg(first, -second)


def _contract(graph: Graph, edge_id: int) -> None:
    edge = graph.edges[edge_id]
    keep, gone = graph.nodes[edge.start], graph.nodes[edge.stop]
    graph.remove_edge(edge_id)
    keep.position = (keep.position + gone.position) / 2.0
    keep.radius = max(keep.radius, gone.radius)
    for other_id in list(gone.edges):
        other = graph.edges[other_id]
        if other.start == gone.id:
            other.start = keep.id
            other.pixels = np.vstack([keep.position, other.pixels])
        if other.stop == gone.id:
            other.stop = keep.id
            other.pixels = np.vstack([other.pixels, keep.position])
        keep.edges.append(other_id)
    del graph.nodes[gone.id]


def split_openings(graph: Graph, max_link_px: float, reach_px: float) -> None:
    """Split V and U turns at openings and drop sideways links between neighbouring hairs.

    Dropping a link leaves a node with two edges, which joins them: two hairs can become
    one U again, so the turns are split and the links dropped a second time.
    """
    for _ in range(2):
        split_corners(graph, reach_px)
        drop_connectors(graph, max_link_px, reach_px)


def split_corners(graph: Graph, reach_px: float) -> None:
    """Break an edge where it turns sharply: two hairs leaving one opening in a V.

    Two hairs leaving side by side openings hook over into each other in a U: two bends,
    so edges are checked again after each split.
    """
    pending = list(graph.edges.values())
    for _ in range(CORNER_PASSES):
        split = []
        for edge in pending:
            corner = _sharpest_turn(edge.pixels, reach_px)
            if corner is None:
                continue
            pixels = edge.pixels
            graph.remove_edge(edge.id)
            node = graph.add_node(pixels[corner], 0.0, "corner")
            split.append(graph.add_edge(edge.start, node.id, pixels[: corner + 1]))
            split.append(graph.add_edge(node.id, edge.stop, pixels[corner:]))
        pending = split


def _sharpest_turn(pixels: np.ndarray, reach_px: float) -> int | None:
    step = max(2, int(round(reach_px)))
    if len(pixels) < 2 * step + 1:
        return None
    centre = pixels[step:-step]
    before = centre - pixels[: -2 * step]
    after = pixels[2 * step :] - centre
    dot = (before * after).sum(axis=1)
    norms = np.hypot(*before.T) * np.hypot(*after.T)
    cosine = dot / np.maximum(norms, 1e-9)
    index = int(np.argmin(cosine))
    if cosine[index] > math.cos(math.radians(CORNER_ANGLE_DEG)):
        return None
    return index + step


def drop_connectors(graph: Graph, max_length_px: float, reach: float) -> None:
    """Remove short sideways links between two neighbouring hairs.

    Where the ends of two hairs lying side by side blur together, the centre line of one
    hooks over to the other. Such a link is short, joins two non-end nodes and continues
    neither hair straight.
    """
    for edge in list(graph.edges.values()):
        if edge.id not in graph.edges or edge.length > max_length_px or edge.start == edge.stop:
            continue
        ends = (graph.nodes[edge.start], graph.nodes[edge.stop])
        if any(len(node.edges) < 2 for node in ends):
            continue
        straight = any(
            turning_angle(graph, node.id, edge.id, other, reach) <= CONNECTOR_TURN_DEG
            for node in ends
            for other in node.edges
            if other != edge.id
        )
        if not straight:
            graph.remove_edge(edge.id)
    for node in list(graph.nodes.values()):
        if not node.edges:
            del graph.nodes[node.id]
        elif len(node.edges) == 1 and node.kind != "end":
            node.kind = "end"
    dissolve_pass_through(graph)


def turning_angle(graph: Graph, node_id: int, first: int, second: int, reach: float) -> float:
    """Degrees a hair would turn going in along `first` and out along `second`."""
    node = graph.nodes[node_id]
    a = direction_from(node, graph.edges[first], reach)
    b = direction_from(node, graph.edges[second], reach)
    return angle_deg(a, -b)
