import numpy as np

from mesotrack.imaging.ends import HairEnd, TracedHair, choose_exit
from mesotrack.imaging.flow import stream


def traced(
    start: tuple[float, float], stop: tuple[float, float], shadows: tuple[float, float]
) -> TracedHair:
    first, second = np.asarray(start, dtype=float), np.asarray(stop, dtype=float)
    axis = (second - first) / np.hypot(*(second - first))
    ends = (
        HairEnd(point=first, outward=-axis, shared=False, cut=False, shadow=shadows[0]),
        HairEnd(point=second, outward=axis, shared=False, cut=False, shadow=shadows[1]),
    )
    return TracedHair(points=np.vstack([first, second]), ends=ends, width_px=10.0, peak=0.5)


def test_clearly_judged_hairs_give_the_stream_direction() -> None:
    hairs = [traced((0.0, 10.0 * k), (50.0, 10.0 * k), (0.1, 0.0)) for k in range(6)]

    flow = stream(hairs, margin=0.01)

    assert flow[0] > 0.9 and abs(flow[1]) < 1e-6


def test_too_few_or_disagreeing_hairs_give_no_stream() -> None:
    few = [traced((0.0, 0.0), (50.0, 0.0), (0.1, 0.0))] * 3
    split = [traced((0.0, 0.0), (50.0, 0.0), (0.1 * (k % 2), 0.1 * (1 - k % 2))) for k in range(6)]

    assert not stream(few, margin=0.01).any()
    assert not stream(split, margin=0.01).any()


def test_the_stream_decides_when_the_shadows_do_not() -> None:
    upstream_last = traced((50.0, 0.0), (0.0, 0.0), (0.011, 0.012))

    choose_exit(upstream_last, threshold=0.02, flow=np.array([1.0, 0.0]))

    assert upstream_last.exit_index == 1


def test_a_clear_shadow_outweighs_the_stream() -> None:
    against = traced((50.0, 0.0), (0.0, 0.0), (0.2, 0.0))

    choose_exit(against, threshold=0.02, flow=np.array([1.0, 0.0]))

    assert against.exit_index == 0
