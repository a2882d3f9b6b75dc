from mesotrack.consent.text import TextBlock, consent_text_blocks


def test_it_splits_headings_paragraphs_and_lists():
    body = "## What happens\nWe clean\nyour scalp.\n- first\n- second\nAfter the list.\n\nLast one."
    assert consent_text_blocks(body) == [
        TextBlock("heading", "What happens"),
        TextBlock("paragraph", "We clean your scalp."),
        TextBlock("list", items=["first", "second"]),
        TextBlock("paragraph", "After the list."),
        TextBlock("paragraph", "Last one."),
    ]


def test_markup_in_the_text_stays_text():
    blocks = consent_text_blocks("<script>alert(1)</script>")
    assert blocks == [TextBlock("paragraph", "<script>alert(1)</script>")]
