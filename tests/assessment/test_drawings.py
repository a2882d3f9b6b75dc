from pathlib import Path
from xml.etree import ElementTree

from mesotrack.assessment.drawings import all_drawings, render, salt_regions_svg
from mesotrack.assessment.management.commands.draw_stage_pictures import STAGES_DIR
from mesotrack.screening.scales import SCALES

SVG = "{http://www.w3.org/2000/svg}"


def test_the_committed_drawings_are_the_generated_ones():
    for drawing in all_drawings():
        assert (STAGES_DIR / drawing.filename).read_text() == render(drawing), drawing.filename
    assert (STAGES_DIR / "salt-regions.svg").read_text() == salt_regions_svg()


def test_every_stage_of_every_scale_has_a_titled_drawing():
    static_root = STAGES_DIR.parents[1]
    for scale in SCALES.values():
        for stage in scale.stages:
            if scale.code == "salt":
                continue
            path = static_root / stage.drawing
            assert path.is_file(), stage.drawing
            # Our own committed files, not untrusted input.
            title = ElementTree.parse(path).getroot().find(f"{SVG}title")  # noqa: S314
            assert title is not None and title.text, stage.drawing
    assert Path(static_root / "assessment/stages/salt-regions.svg").is_file()


def test_the_norwood_drawings_are_named_for_the_picker():
    names = {path.name for path in STAGES_DIR.glob("norwood-*.svg")}
    values = ["I", "II", "IIa", "III", "IIIa", "III-vertex", "IV", "IVa", "V", "Va", "VI", "VII"]
    assert names == {f"norwood-{value}.svg" for value in values}
