"""The drawing of the scalp map: five views, each a set of zone outlines (SVG path data in a
200 × 200 box; the patient's left is on the viewer's left in the top and back views)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MapView:
    code: str
    label: str
    outline: str
    zones: tuple[tuple[str, str], ...]


HEAD_TOP = (
    "M100 8 C155 8 185 50 185 105 C185 160 150 195 100 195 "
    "C50 195 15 160 15 105 C15 50 45 8 100 8 Z"
)
HEAD_SIDE = "M40 150 C25 110 35 40 100 25 C160 15 190 60 185 110 C182 150 165 175 140 185 L70 185 Z"
HEAD_FACE = (
    "M100 20 C150 20 175 55 175 100 C175 150 145 190 100 190 "
    "C55 190 25 150 25 100 C25 55 50 20 100 20 Z"
)

VIEWS: tuple[MapView, ...] = (
    MapView(
        "top",
        "Top",
        HEAD_TOP,
        (
            ("frontal_hairline", "M60 18 Q100 4 140 18 L145 32 Q100 20 55 32 Z"),
            ("frontal", "M55 34 Q100 22 145 34 L150 62 Q100 54 50 62 Z"),
            ("mid_scalp", "M55 64 Q100 56 145 64 L145 100 Q100 94 55 100 Z"),
            ("vertex", "M100 102 m-26 0 a26 24 0 1 0 52 0 a26 24 0 1 0 -52 0"),
            ("left_temporal", "M24 60 L50 40 L52 98 L20 100 Z"),
            ("right_temporal", "M176 60 L150 40 L148 98 L180 100 Z"),
            ("left_parietal", "M20 104 L68 104 L70 146 L32 160 Z"),
            ("right_parietal", "M180 104 L132 104 L130 146 L168 160 Z"),
            ("occipital", "M40 166 L75 130 L125 130 L160 166 Q100 200 40 166 Z"),
        ),
    ),
    MapView(
        "front",
        "Front",
        HEAD_FACE,
        (
            ("frontal_hairline", "M50 62 Q100 40 150 62 L150 74 Q100 54 50 74 Z"),
            (
                "frontal",
                "M48 58 Q100 28 152 58 Q100 34 48 58 M55 40 Q100 14 145 40 L150 56 Q100 30 50 56 Z",
            ),
            ("left_temporal", "M28 70 L48 62 L48 104 L30 106 Z"),
            ("right_temporal", "M172 70 L152 62 L152 104 L170 106 Z"),
        ),
    ),
    MapView(
        "back",
        "Back",
        HEAD_FACE,
        (
            ("vertex", "M100 50 m-30 0 a30 22 0 1 0 60 0 a30 22 0 1 0 -60 0"),
            ("left_parietal", "M30 70 L68 72 L64 120 L28 118 Z"),
            ("right_parietal", "M170 70 L132 72 L136 120 L172 118 Z"),
            ("occipital", "M40 124 L160 124 L150 170 Q100 184 50 170 Z"),
        ),
    ),
    MapView(
        "left",
        "Left side",
        HEAD_SIDE,
        (
            ("frontal", "M150 32 L178 60 L160 72 L135 45 Z"),
            ("left_temporal", "M128 60 L160 80 L150 118 L118 104 Z"),
            ("left_parietal", "M70 40 L130 40 L115 100 L60 95 Z"),
            ("occipital", "M40 110 L60 100 L95 112 L80 160 L48 150 Z"),
        ),
    ),
    MapView(
        "right",
        "Right side",
        HEAD_SIDE,
        (
            ("frontal", "M150 32 L178 60 L160 72 L135 45 Z"),
            ("right_temporal", "M128 60 L160 80 L150 118 L118 104 Z"),
            ("right_parietal", "M70 40 L130 40 L115 100 L60 95 Z"),
            ("occipital", "M40 110 L60 100 L95 112 L80 160 L48 150 Z"),
        ),
    ),
)
