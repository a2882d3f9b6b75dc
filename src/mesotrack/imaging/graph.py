"""A skeleton as a graph: nodes (ends, junctions, corners) joined by ordered pixel chains.

skan is not a dependency; the graph is built here with OpenCV, numpy and scipy.sparse.csgraph.
Coordinates are (row, col) floats inside this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, depth_first_order

from mesotrack.imaging.morphology import label_centres


@dataclass
class Node:
    id: int
    position: np.ndarray  # (row, col)
    radius: float  # half the width of the dark shape around the node
    kind: str  # "end", "junction" or "corner"
    edges: list[int] = field(default_factory=list)


@dataclass
class Edge:
    id: int
    start: int
    stop: int
    pixels: np.ndarray  # (n, 2) ordered from start node to stop node
    multiplicity: int = 1
    width: float = 0.0  # one shaft's width (px)
    extent: float = 0.0  # width of the whole dark shape around the edge (px)
    contrast: float = 0.0

    @property
    def length(self) -> float:
        if len(self.pixels) < 2:
            return 0.0
        return float(np.hypot(*np.diff(self.pixels, axis=0).T).sum())

    def other(self, node_id: int) -> int:
        return self.stop if node_id == self.start else self.start

    def from_node(self, node_id: int) -> np.ndarray:
        """The pixels ordered away from node_id."""
        return self.pixels if node_id == self.start else self.pixels[::-1]


@dataclass
class Graph:
    nodes: dict[int, Node]
    edges: dict[int, Edge]
    next_id: int = 0

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def add_node(self, position: np.ndarray, radius: float, kind: str) -> Node:
        node = Node(self.new_id(), np.asarray(position, dtype=float), radius, kind)
        self.nodes[node.id] = node
        return node

    def add_edge(self, start: int, stop: int, pixels: np.ndarray) -> Edge:
        edge = Edge(self.new_id(), start, stop, pixels)
        self.edges[edge.id] = edge
        self.nodes[start].edges.append(edge.id)
        self.nodes[stop].edges.append(edge.id)
        return edge

    def remove_edge(self, edge_id: int) -> None:
        edge = self.edges.pop(edge_id)
        for node_id in (edge.start, edge.stop):
            node = self.nodes[node_id]
            if edge_id in node.edges:
                node.edges.remove(edge_id)

    def degree(self, node_id: int) -> int:
        return len(self.nodes[node_id].edges)


def build_graph(skeleton: np.ndarray, radius: np.ndarray) -> Graph:
    """Turn a one-pixel-wide skeleton into nodes and ordered edges.

    `radius` is the distance transform of the shape the skeleton was taken from.
    """
    skeleton = skeleton.astype(bool)
    neighbours = cv2.filter2D(skeleton.astype(np.uint8), -1, np.ones((3, 3), np.uint8))
    neighbours = neighbours.astype(np.int32) - 1
    skeleton &= neighbours > 0
    junction = skeleton & (neighbours >= 3)
    graph = Graph(nodes={}, edges={})
    junction_labels, centres = label_centres(junction)
    junction_node: dict[int, int] = {}
    for label in range(1, len(centres)):
        position = centres[label]
        node = graph.add_node(position, _radius_at(radius, position), "junction")
        junction_node[label] = node.id
    branch = skeleton & ~junction
    for chain in _ordered_chains(branch):
        _attach_chain(graph, chain, junction_labels, junction_node, radius)
    return graph


def _ordered_chains(branch: np.ndarray) -> list[np.ndarray]:
    """Each connected run of non-junction skeleton pixels, ordered from one end to the other."""
    rows, cols = np.nonzero(branch)
    count = len(rows)
    if count == 0:
        return []
    index = np.full(branch.shape, -1, dtype=np.int64)
    index[rows, cols] = np.arange(count)
    pairs_a, pairs_b = [], []
    height, width = branch.shape
    for dr, dc in ((0, 1), (1, -1), (1, 0), (1, 1)):
        r2, c2 = rows + dr, cols + dc
        ok = (r2 >= 0) & (r2 < height) & (c2 >= 0) & (c2 < width)
        other = np.full(count, -1, dtype=np.int64)
        other[ok] = index[r2[ok], c2[ok]]
        linked = other >= 0
        pairs_a.append(np.nonzero(linked)[0])
        pairs_b.append(other[linked])
    a = np.concatenate(pairs_a)
    b = np.concatenate(pairs_b)
    matrix = coo_matrix((np.ones(len(a)), (a, b)), shape=(count, count)).tocsr()
    matrix = matrix + matrix.T
    degree = np.diff(matrix.indptr)
    components, labels = connected_components(matrix, directed=False)
    chains = []
    order_by_label = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order_by_label], np.arange(components + 1))
    for label in range(components):
        members = order_by_label[bounds[label] : bounds[label + 1]]
        ends = members[degree[members] <= 1]
        start = int(ends[0]) if len(ends) else int(members[0])
        # The matrix is symmetric: a directed walk sees every neighbour, and skips the
        # transpose scipy would build on each call for an undirected one.
        order = depth_first_order(matrix, start, directed=True, return_predecessors=False)
        chains.append(np.column_stack([rows[order], cols[order]]).astype(float))
    return chains


def _attach_chain(
    graph: Graph,
    chain: np.ndarray,
    junction_labels: np.ndarray,
    junction_node: dict[int, int],
    radius: np.ndarray,
) -> None:
    ends = []
    for pixel in (chain[0], chain[-1]):
        label = _touching_junction(junction_labels, pixel)
        if label:
            ends.append(junction_node[label])
        else:
            ends.append(graph.add_node(pixel, _radius_at(radius, pixel), "end").id)
    start, stop = ends
    pixels = np.vstack([graph.nodes[start].position, chain, graph.nodes[stop].position])
    graph.add_edge(start, stop, pixels)


def _touching_junction(labels: np.ndarray, pixel: np.ndarray) -> int:
    row, col = int(pixel[0]), int(pixel[1])
    window = labels[max(0, row - 1) : row + 2, max(0, col - 1) : col + 2]
    found = window[window > 0]
    return int(found[0]) if found.size else 0


def _radius_at(radius: np.ndarray, position: np.ndarray) -> float:
    row = int(np.clip(round(float(position[0])), 0, radius.shape[0] - 1))
    col = int(np.clip(round(float(position[1])), 0, radius.shape[1] - 1))
    return float(radius[row, col])


def angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """Degrees between two unit vectors (90 if either is zero)."""
    return math.degrees(math.acos(min(1.0, max(-1.0, float(u @ v)))))


def direction_from(node: Node, edge: Edge, reach: float) -> np.ndarray:
    """Unit vector pointing away from the node along the edge, skipping the node's own blob."""
    pixels = edge.from_node(node.id)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pixels, axis=0).T))])
    near = min(node.radius, arc[-1] * 0.3)
    far = min(near + reach, arc[-1])
    a = _point_at(pixels, arc, near)
    b = _point_at(pixels, arc, far)
    vector = b - a
    norm = float(np.hypot(*vector))
    if norm < 1e-6:
        vector = pixels[-1] - pixels[0]
        norm = max(float(np.hypot(*vector)), 1e-6)
    return vector / norm


def _point_at(pixels: np.ndarray, arc: np.ndarray, distance: float) -> np.ndarray:
    index = int(np.searchsorted(arc, distance))
    return pixels[min(index, len(pixels) - 1)]


def join_at(graph: Graph, node_id: int) -> None:
    """Dissolve a node with exactly two different edges, joining them into one."""
    node = graph.nodes[node_id]
    if len(node.edges) != 2 or node.edges[0] == node.edges[1]:
        return
    first, second = (graph.edges[edge_id] for edge_id in node.edges)
    a = first.other(node_id)
    b = second.other(node_id)
    pixels = np.vstack([first.from_node(node_id)[::-1], second.from_node(node_id)[1:]])
    graph.remove_edge(first.id)
    graph.remove_edge(second.id)
    del graph.nodes[node_id]
    graph.add_edge(a, b, pixels)
