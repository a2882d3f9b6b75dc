import numpy as np

from mesotrack.imaging.graph import Graph
from mesotrack.imaging.topology import drop_connectors, split_corners

WIDTH_PX = 12.0


def hairpin() -> Graph:
    """Two parallel hairs whose openings sit side by side, joined into one U by the skeleton."""
    upper = [(20.0, float(col)) for col in range(120, 20, -1)]
    link = [(float(row), 20.0) for row in range(21, 36)]
    lower = [(36.0, float(col)) for col in range(20, 100)]
    pixels = np.asarray(upper + link + lower)
    graph = Graph(nodes={}, edges={})
    start = graph.add_node(pixels[0], 6.0, "end")
    stop = graph.add_node(pixels[-1], 6.0, "end")
    graph.add_edge(start.id, stop.id, pixels)
    return graph


def test_a_u_turn_between_two_openings_leaves_two_hairs() -> None:
    graph = hairpin()

    split_corners(graph, reach_px=0.8 * WIDTH_PX)
    drop_connectors(graph, 1.5 * WIDTH_PX, reach=0.8 * WIDTH_PX)

    assert len(graph.edges) == 2
    for edge in graph.edges.values():
        chord = float(np.hypot(*(edge.pixels[-1] - edge.pixels[0])))
        assert edge.length >= 75 and chord >= 0.97 * edge.length
