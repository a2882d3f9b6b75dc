"""Reference drawings for the stage pickers: simple top-down head outlines as SVG.

Each drawing looks down on the head with the face at the top of the picture, so the patient's
right side is on the right. Hair is dark, bare scalp is skin-coloured and thinning is skin colour
laid over the hair at partial strength. `manage.py draw_stage_pictures` writes every file under
static/assessment/stages/; the output is committed, so the drawings are reviewable files.

The shapes follow the stage definitions in clinical_rules.md §4 (Norwood–Hamilton §4.1, Ludwig
§4.2, Sinclair §4.3, Olsen §4.5, SALT regions §4.8).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HAIR = "#4a3728"
SKIN = "#f3d6bf"
LINE = "#2b2b2b"
OUTLINE = f'stroke="{LINE}" stroke-width="1.5"'
CENTRE_X = 100
CENTRE_Y = 128
HEAD_RX = 70
HEAD_RY = 96
HEAD_TOP = CENTRE_Y - HEAD_RY
# Where the hair starts on an unaffected head, 20 units behind the top of the forehead.
NATURAL_HAIRLINE = HEAD_TOP + 22

Point = tuple[float, float]


@dataclass(frozen=True)
class Drawing:
    filename: str
    title: str
    description: str
    body: str


def smooth_path(points: Sequence[Point]) -> str:
    """A smooth curve through `points` (Catmull–Rom turned into cubic Béziers)."""
    commands = [f"M {points[0][0]:.1f} {points[0][1]:.1f}"]
    padded = [points[0], *points, points[-1]]
    for index in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[index - 1 : index + 3]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        commands.append(
            f"C {c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {p2[0]:.1f} {p2[1]:.1f}"
        )
    return " ".join(commands)


def frontal_loss(temple: float, middle: float, side: float = NATURAL_HAIRLINE + 8) -> str:
    """Bare scalp in front of a hairline dipping to `temple` at the temples and `middle` mid-front.

    A mid-front value smaller than the temple value leaves a forelock (the M-shaped hairline); an
    equal value makes the hairline recede as one line, as in the "a" types.
    """
    hairline = [
        (-5.0, side),
        (32.0, side + (temple - side) * 0.55),
        (58.0, temple),
        (CENTRE_X, middle),
        (142.0, temple),
        (168.0, side + (temple - side) * 0.55),
        (205.0, side),
    ]
    curve = smooth_path(hairline)
    return (
        f'<path d="M -5 -5 L -5 {side:.1f} {curve[curve.index("C") :]} L 205 -5 Z" fill="{SKIN}"/>'
    )


def receded_as_one(depth: float) -> str:
    """A hairline that has moved back evenly, without a forelock or temple points."""
    return frontal_loss(temple=depth, middle=depth + 4, side=min(depth - 6, NATURAL_HAIRLINE + 30))


def vertex_loss(rx: float, ry: float, cy: float = 168, opacity: float = 1.0) -> str:
    return (
        f'<ellipse cx="{CENTRE_X}" cy="{cy}" rx="{rx}" ry="{ry}" fill="{SKIN}"'
        f' fill-opacity="{opacity}"/>'
    )


def thinning(shape: str, opacity: float) -> str:
    return shape.replace("/>", f' fill="{SKIN}" fill-opacity="{opacity}"/>', 1)


def _ear(cx: float) -> str:
    return f'<ellipse cx="{cx}" cy="{CENTRE_Y - 6}" rx="7" ry="15" fill="{SKIN}" {OUTLINE}/>'


def _outline(fill: str = "none", extra: str = "") -> str:
    size = f'cx="{CENTRE_X}" cy="{CENTRE_Y}" rx="{HEAD_RX}" ry="{HEAD_RY}"'
    return f'<ellipse {size} fill="{fill}"{extra}/>'


def head(body: str, title: str, description: str, slug: str) -> str:
    """The whole SVG: face marker, ears, scalp clipped to the head outline, and `body` on top."""
    clip = f"clip-{slug}"
    nose = f"M 92 {HEAD_TOP + 3} L 100 {HEAD_TOP - 12} L 108 {HEAD_TOP + 3}"
    label = 'font-family="sans-serif" font-size="10" text-anchor="middle"'
    border = f' stroke="{LINE}" stroke-width="2"'
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 240" width="200" height="240"'
        f' role="img" aria-labelledby="{slug}-title {slug}-desc">',
        f'  <title id="{slug}-title">{escape(title)}</title>',
        f'  <desc id="{slug}-desc">{escape(description)}</desc>',
        f'  <defs><clipPath id="{clip}">{_outline()}</clipPath></defs>',
        f'  <path d="{nose}" fill="{SKIN}" {OUTLINE}/>',
        f"  {_ear(CENTRE_X - HEAD_RX)}",
        f"  {_ear(CENTRE_X + HEAD_RX)}",
        f'  <g clip-path="url(#{clip})">',
        f'    <rect x="0" y="0" width="200" height="240" fill="{HAIR}"/>',
        f"    {frontal_loss(temple=NATURAL_HAIRLINE, middle=NATURAL_HAIRLINE)}",
        f"    {body}",
        "  </g>",
        f"  {_outline(extra=border)}",
        f'  <text x="100" y="{HEAD_TOP - 16}" {label} fill="{LINE}">face</text>',
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


NORWOOD: list[tuple[str, str, str]] = [
    (
        "I",
        frontal_loss(temple=NATURAL_HAIRLINE + 7, middle=NATURAL_HAIRLINE),
        "Minimal recession of the hairline at the temples.",
    ),
    (
        "II",
        frontal_loss(temple=NATURAL_HAIRLINE + 24, middle=NATURAL_HAIRLINE + 4),
        "Triangular, symmetrical recession at the temples; the mid-front hair stays.",
    ),
    (
        "IIa",
        receded_as_one(NATURAL_HAIRLINE + 20),
        "The whole front hairline is higher, without a forelock; no bare patch further back.",
    ),
    (
        "III",
        frontal_loss(temple=NATURAL_HAIRLINE + 46, middle=NATURAL_HAIRLINE + 10),
        "Deep, bare recession at the temples; the first stage counted as baldness.",
    ),
    (
        "IIIa",
        receded_as_one(NATURAL_HAIRLINE + 48),
        "The hairline has moved back as one line to about the middle of the top of the head.",
    ),
    (
        "III-vertex",
        frontal_loss(temple=NATURAL_HAIRLINE + 40, middle=NATURAL_HAIRLINE + 8)
        + vertex_loss(17, 15),
        "Hair lost mainly at the crown; the front recession is no deeper than type III.",
    ),
    (
        "IV",
        frontal_loss(temple=NATURAL_HAIRLINE + 62, middle=NATURAL_HAIRLINE + 30)
        + vertex_loss(24, 22),
        "Deeper front recession and a bare crown, kept apart by a band of fairly dense hair.",
    ),
    (
        "IVa",
        receded_as_one(NATURAL_HAIRLINE + 78),
        "The hairline has receded as one line past the middle of the top of the head.",
    ),
    (
        "V",
        frontal_loss(temple=NATURAL_HAIRLINE + 78, middle=NATURAL_HAIRLINE + 52)
        + vertex_loss(32, 28, cy=166),
        "Larger front and crown areas; the band between them is narrower and sparser.",
    ),
    (
        "Va",
        receded_as_one(NATURAL_HAIRLINE + 106),
        "The most advanced receding-as-one pattern; the bare area has not reached the crown.",
    ),
    (
        "VI",
        frontal_loss(temple=NATURAL_HAIRLINE + 96, middle=NATURAL_HAIRLINE + 96, side=60)
        + vertex_loss(40, 36, cy=160),
        "The bridge of hair across the top is gone: front and crown areas have joined.",
    ),
    (
        "VII",
        frontal_loss(temple=NATURAL_HAIRLINE + 130, middle=NATURAL_HAIRLINE + 130, side=76)
        + vertex_loss(50, 44, cy=168),
        "Only a narrow horseshoe of hair is left at the sides and back.",
    ),
]


def norwood_drawings() -> list[Drawing]:
    drawings = []
    for value, body, description in NORWOOD:
        label = value.replace("-", " ")
        drawings.append(
            Drawing(
                f"norwood-{value}.svg",
                f"Norwood–Hamilton type {label}, seen from above",
                description,
                body,
            )
        )
    return drawings


def _crown_oval(rx: float, ry: float, cy: float = 122) -> str:
    return f'<ellipse cx="{CENTRE_X}" cy="{cy}" rx="{rx}" ry="{ry}"/>'


def ludwig_drawings() -> list[Drawing]:
    stages = [
        ("I", 0.45, "Thinning you can see on the crown; the front hairline is kept."),
        ("II", 0.7, "Marked thinning on the crown within the same area; the hairline is kept."),
        ("III", 1.0, "Full baldness on the crown within that area; the hairline is kept."),
    ]
    return [
        Drawing(
            f"ludwig-{value}.svg",
            f"Ludwig type {value}, seen from above",
            description,
            thinning(_crown_oval(30 + 4 * index, 50 + 3 * index), opacity),
        )
        for index, (value, opacity, description) in enumerate(stages)
    ]


def _parting(width: float) -> str:
    top = NATURAL_HAIRLINE - 2
    return (
        f'<rect x="{CENTRE_X - width / 2:.1f}" y="{top}" width="{width:.1f}" height="{150 - top}"'
        f' rx="{width / 2:.1f}" fill="{SKIN}"/>'
    )


def sinclair_drawings() -> list[Drawing]:
    stages = [
        ("1", _parting(2), "A normal, narrow centre parting."),
        ("2", _parting(6), "The centre parting has widened."),
        (
            "3",
            _parting(9) + thinning(_crown_oval(18, 44, cy=108), 0.4),
            "A wider parting with thinning on either side of it.",
        ),
        (
            "4",
            _parting(12) + thinning(_crown_oval(34, 56, cy=112), 0.6),
            "Diffuse thinning has appeared over the top of the head.",
        ),
        (
            "5",
            _parting(14) + thinning(_crown_oval(44, 64, cy=114), 0.85),
            "Advanced hair loss over the top of the head.",
        ),
    ]
    return [
        Drawing(
            f"sinclair-{value}.svg",
            f"Sinclair grade {value}, seen from above",
            description + " (Wording of the grades is unconfirmed; see clinical_rules.md §4.3.)",
            body,
        )
        for value, body, description in stages
    ]


def _christmas_tree(width: float, length: float) -> str:
    """A tree of thinning pointing back from the front hairline, its edges stepped like branches."""
    top = NATURAL_HAIRLINE - 4
    steps = 4
    left: list[str] = []
    right: list[str] = []
    for step in range(steps + 1):
        y = top + length * step / steps
        half = width / 2 * (1 - step / (steps + 0.6))
        inner = half * 0.55
        right.append(f"{CENTRE_X + half:.1f} {y:.1f}")
        left.append(f"{CENTRE_X - half:.1f} {y:.1f}")
        if step < steps:
            y_in = y + length / steps * 0.6
            right.append(f"{CENTRE_X + inner:.1f} {y_in:.1f}")
            left.append(f"{CENTRE_X - inner:.1f} {y_in:.1f}")
    apex = f"{CENTRE_X} {top + length + 8:.1f}"
    points = " L ".join([*right, apex, *reversed(left)])
    return f'<path d="M {points} Z"/>'


def olsen_drawings() -> list[Drawing]:
    stages = [
        ("1", 46, 64, 0.5, "", "Mild to moderate thinning widest at the front: a Christmas tree."),
        (
            "2",
            62,
            80,
            0.75,
            thinning(_crown_oval(40, 60, cy=118), 0.3),
            "More severe thinning at the front, with diffuse thinning behind it.",
        ),
        (
            "3",
            76,
            96,
            0.9,
            thinning(_crown_oval(50, 70, cy=120), 0.6),
            "Severe thinning, mainly diffuse over the top of the head.",
        ),
    ]
    return [
        Drawing(
            f"olsen-{value}.svg",
            f"Olsen grade {value}, seen from above",
            description,
            diffuse + thinning(_christmas_tree(width, length), opacity),
        )
        for value, width, length, opacity, diffuse, description in stages
    ]


def salt_regions_svg() -> str:
    """The four SALT regions with their weights, for the per-region entry form."""
    slug = "salt-regions"
    dashed = f'{OUTLINE} stroke-dasharray="4 3"'
    region_lines = (
        f'<line x1="62" y1="0" x2="62" y2="240" {dashed}/>'
        f'<line x1="138" y1="0" x2="138" y2="240" {dashed}/>'
        f'<line x1="62" y1="182" x2="138" y2="182" {dashed}/>'
    )
    text = (
        '<g font-family="sans-serif" font-size="11" text-anchor="middle" fill="#fff">'
        '<text x="100" y="118">Top</text><text x="100" y="132">40 %</text>'
        '<text x="100" y="200">Back</text><text x="100" y="214">24 %</text>'
        '<text x="46" y="118">Left</text><text x="46" y="132">18 %</text>'
        '<text x="154" y="118">Right</text><text x="154" y="132">18 %</text>'
        "</g>"
    )
    svg = head(
        region_lines + text,
        "SALT regions: top 40 %, back 24 %, right side 18 %, left side 18 %",
        "Seen from above with the face at the top: the scalp split into the four regions the "
        "SALT score weighs. Estimate the percentage of hair lost in each region.",
        slug,
    )
    return svg.replace(
        f'<rect x="0" y="0" width="200" height="240" fill="{HAIR}"/>',
        f'<rect x="0" y="0" width="200" height="240" fill="{HAIR}" fill-opacity="0.8"/>',
    )


def all_drawings() -> list[Drawing]:
    return [*norwood_drawings(), *ludwig_drawings(), *sinclair_drawings(), *olsen_drawings()]


def render(drawing: Drawing) -> str:
    slug = drawing.filename.removesuffix(".svg")
    return head(drawing.body, drawing.title, drawing.description, slug)


def write_all(directory: Path) -> list[Path]:
    """Write every stage drawing and the SALT regions into `directory`; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for drawing in all_drawings():
        path = directory / drawing.filename
        path.write_text(render(drawing), encoding="utf-8")
        written.append(path)
    salt = directory / "salt-regions.svg"
    salt.write_text(salt_regions_svg(), encoding="utf-8")
    written.append(salt)
    return written
