"""The pre-procedure checks: consent, screening with today's answers, the safety gate."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from mesotrack.assessment.selectors import screening_blocks_for_patient
from mesotrack.charting.models import NumbingAgent, TreatmentSession
from mesotrack.consent.models import ConsentKind
from mesotrack.consent.selectors import consent_is_valid
from mesotrack.core.errors import DomainError
from mesotrack.formulary.selectors import recipe_version_ingredient_codes
from mesotrack.patients.models import Patient
from mesotrack.safety.selectors import safety_blocks_for_patient
from mesotrack.screening.adapters import TodayAnswers
from mesotrack.screening.profile import ProposedTreatment


class ChecklistBlocked(DomainError):
    """A block at the checklist, with the page where it can be resolved."""

    def __init__(self, message: str, *, link: str, field: str, code: str) -> None:
        super().__init__(message, field=field, code=code)
        self.link = link


@dataclass(frozen=True)
class TodayInput:
    """The day-of-session answers as the checklist form gives them."""

    pregnant: bool | None = None
    new_medications: tuple[str, ...] = ()
    active_scalp_infection: bool = False
    fever: bool = False

    def as_answers(self) -> TodayAnswers:
        return TodayAnswers(
            pregnant=self.pregnant,
            new_medications=frozenset(self.new_medications),
            active_scalp_infection=self.active_scalp_infection,
            fever=self.fever,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "pregnant": self.pregnant,
            "new_medications": list(self.new_medications),
            "active_scalp_infection": self.active_scalp_infection,
            "fever": self.fever,
        }


def refuse_without_consent(session: TreatmentSession, on_date: dt.date) -> None:
    kind = ConsentKind(session.modality)
    if consent_is_valid(session.patient, kind, on_date):
        return
    link = reverse("consent:sign", args=[session.patient_id, kind.value])
    raise ChecklistBlocked(
        f"There is no valid {kind.label} consent for {on_date:%d %b %Y}: the patient must sign "
        "it before the procedure.",
        link=link,
        field="consent",
        code="no_consent",
    )


def proposed_treatment(session: TreatmentSession, lidocaine_mg: float | None) -> ProposedTreatment:
    ingredients: tuple[str, ...] = ()
    if session.recipe_version_id:
        ingredients = recipe_version_ingredient_codes(version_id=session.recipe_version_id)
    anaesthetic = {
        NumbingAgent.EMLA: "lidocaine_prilocaine_cream",
        NumbingAgent.LIDOCAINE: "lidocaine",
    }.get(NumbingAgent(session.numbing_agent))
    return ProposedTreatment(
        modality=session.modality,
        ingredients=ingredients,
        anaesthetic=anaesthetic,
        lidocaine_mg=lidocaine_mg,
    )


def refuse_screening_blocks(
    session: TreatmentSession, today: TodayInput, on_date: dt.date, lidocaine_mg: float | None
) -> None:
    blocks = screening_blocks_for_patient(
        session.patient,
        proposed_treatment(session, lidocaine_mg),
        on_date,
        today=today.as_answers(),
    )
    if not blocks:
        return
    reasons = " ".join(flag.message for flag in blocks)
    raise ChecklistBlocked(
        f"Screening stops this session today: {reasons} A practitioner can override a block "
        "with a reason on the screening page; a postponement waits until the facts change.",
        link=reverse("assessment:screening", args=[session.patient_id]),
        field="screening",
        code="screening_block",
    )


def refuse_safety_blocks(patient: Patient) -> None:
    """Unreviewed serious or grade ≥ 3 adverse events stop the session (the safety app's gate)."""
    messages = safety_blocks_for_patient(patient)
    if messages:
        raise DomainError(" ".join(messages), field="safety", code="safety_block")
