"""Consent text is stored as plain paragraphs; this turns it into blocks a template can show.

Only three shapes exist, so nothing in a form's text can inject markup: a line starting with
"## " is a heading, consecutive lines starting with "- " are a list, anything else is a paragraph.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "heading" | "paragraph" | "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def consent_text_blocks(body: str) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        blocks.extend(_chunk_blocks(lines))
    return blocks


def _chunk_blocks(lines: list[str]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(TextBlock("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(TextBlock("list", items=list(items)))
            items.clear()

    for line in lines:
        if line.startswith("## "):
            flush()
            blocks.append(TextBlock("heading", line[3:].strip()))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks
