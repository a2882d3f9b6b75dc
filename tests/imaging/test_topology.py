import numpy as np

from mesotrack.imaging.graph import Graph
from mesotrack.imaging.topology import drop_connectors, split_corners, split_openings

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


def fork_tied_to_a_neighbour() -> Graph:
    """Two hairs leave one opening in a narrow V; a short sideways link ties the fork to the
    hair lying above, so the fork is a junction, not a turn, until the link goes."""
    graph = Graph(nodes={}, edges={})
    fork = graph.add_node(np.array([40.0, 20.0]), 6.0, "junction")
    above = graph.add_node(np.array([26.0, 20.0]), 6.0, "junction")
    steps = np.arange(1.0, 100.0)[:, None]
    branches = (
        (fork, np.array([40.0, 20.0]) + steps * [0.1, 1.0]),
        (fork, np.array([40.0, 20.0]) + steps[:80] * [np.sin(0.7), np.cos(0.7)]),
        (above, np.array([26.0, 20.0]) + steps * [0.0, 1.0]),
        (above, np.array([26.0, 20.0]) + steps[:20] * [0.0, -1.0]),
    )
    for node, pixels in branches:
        end = graph.add_node(pixels[-1], 6.0, "end")
        graph.add_edge(node.id, end.id, np.vstack([node.position, pixels]))
    link = np.asarray([(float(row), 20.0) for row in range(40, 25, -1)])
    graph.add_edge(fork.id, above.id, link)
    return graph


def test_a_fork_left_by_dropping_a_sideways_link_is_split_into_its_two_hairs() -> None:
    graph = fork_tied_to_a_neighbour()

    split_openings(graph, 1.5 * WIDTH_PX, 0.8 * WIDTH_PX)

    assert sorted(round(edge.length) for edge in graph.edges.values()) == [80, 99, 119]
    for edge in graph.edges.values():
        chord = float(np.hypot(*(edge.pixels[-1] - edge.pixels[0])))
        assert chord >= 0.99 * edge.length
