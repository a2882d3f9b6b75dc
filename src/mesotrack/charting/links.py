"""Links to session pages from references other apps keep as text (stock movements)."""

from django.urls import reverse

PREFIX = "charting.TreatmentSession:"


def session_url_for_ref(session_ref: str, patient_id: int) -> str | None:
    if not session_ref.startswith(PREFIX):
        return None
    number = session_ref.removeprefix(PREFIX)
    if not number.isdigit():
        return None
    return reverse("charting:session-detail", args=[patient_id, int(number)])
