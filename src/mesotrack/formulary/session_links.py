"""Where a stock movement's `session_ref` leads. The formulary stores references as text
("charting.TreatmentSession:42") so it never depends on the app that records sessions; that
app registers how to turn its references into a link for recall lists."""

from collections.abc import Callable

SessionLinker = Callable[[str, int], str | None]  # (session_ref, patient id) → URL or None
_linkers: list[SessionLinker] = []


def register_session_linker(linker: SessionLinker) -> None:
    if linker not in _linkers:
        _linkers.append(linker)


def session_link(session_ref: str, patient_id: int) -> str | None:
    for linker in _linkers:
        url = linker(session_ref, patient_id)
        if url:
            return url
    return None
