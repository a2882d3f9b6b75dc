"""Demo adverse events (called by `manage.py seed_demo`, after charting's demo sessions).

Most signed sessions pass without incident; about 3 in 100 are followed by a mild or moderate
side effect. One practitioner (in the clinic with more than one) and one lot (in the other clinic)
have a raised rate, so the safety-signal page flags both. A few events are grade 3: all but the
latest are reviewed; the latest still blocks its patient's next session and has alerted the
manager.
"""

import datetime as dt
import math
from collections import Counter, defaultdict

from django.urls import reverse
from django.utils import timezone

from mesotrack.accounts.models import Membership, Role, User
from mesotrack.charting.models import SessionLotUse, SessionStatus, TreatmentSession
from mesotrack.core.demo import DemoContext
from mesotrack.formulary.models import Lot
from mesotrack.safety.models import AdverseEvent, Notification

USUAL_RATE = 0.03
RAISED_PRACTITIONER_RATE = 0.5
RAISED_LOT_RATE = 0.7
MILD_TERMS = [
    ("pain", 1),
    ("sensitivity", 1),
    ("bruising", 1),
    ("swelling", 2),
    ("itching", 1),
    ("injection_site_bumps", 1),
    ("headache", 1),
    ("rash", 2),
    ("frontal_oedema", 2),
    ("nausea", 1),
]
SEVERE_TERMS = ["infection_abscess", "necrosis", "allergic_reaction"]
ACTIONS = {
    1: "Reassured; advice to use a cold compress.",
    2: "Cold compress and paracetamol; reviewed at the follow-up call.",
    3: "Seen the same day; treated and referred to dermatology; course paused.",
}


def _raised_practitioner(sessions: list[TreatmentSession]) -> tuple[int | None, int | None]:
    """The practitioner with the fewest (≥ 20) sessions in a clinic with several practitioners."""
    per_clinic: dict[int, Counter[int]] = defaultdict(Counter)
    for session in sessions:
        per_clinic[session.clinic_id][session.practitioner_id] += 1
    for clinic_id, counts in sorted(per_clinic.items()):
        eligible = sorted((n, pk) for pk, n in counts.items() if n >= 20)
        if len(counts) > 1 and eligible:
            return clinic_id, eligible[0][1]
    return None, None


def _raised_lot(
    sessions: list[TreatmentSession], lots_of: dict[int, set[int]], avoid_clinic: int | None
) -> int | None:
    """A lot drawn in 10–40% of another clinic's sessions, so the lot's excess is not the
    raised practitioner's and stands out against its own clinic's rate."""
    clinic_sessions = Counter(s.clinic_id for s in sessions)
    lot_sessions: Counter[tuple[int, int]] = Counter()
    for session in sessions:
        for lot_id in lots_of.get(session.pk, ()):
            lot_sessions[(session.clinic_id, lot_id)] += 1
    candidates = sorted(
        (
            (n, lot_id)
            for (clinic_id, lot_id), n in lot_sessions.items()
            if clinic_id != avoid_clinic
            and n >= 12
            and 0.1 <= n / clinic_sessions[clinic_id] <= 0.4
        ),
        reverse=True,
    )
    return candidates[0][1] if candidates else None


def _pick(
    context: DemoContext, sessions: list[TreatmentSession], rate: float
) -> list[TreatmentSession]:
    return context.rng.sample(sessions, math.ceil(rate * len(sessions))) if sessions else []


def seed(context: DemoContext) -> None:
    sessions = list(
        TreatmentSession.objects.filter(status=SessionStatus.SIGNED).order_by("signed_at", "id")
    )
    if not sessions:
        context.progress("no signed sessions, so no adverse events")
        return
    lots_of: dict[int, set[int]] = defaultdict(set)
    for session_id, drawn in SessionLotUse.objects.filter(lot__isnull=False).values_list(
        "session_id", "lot_id"
    ):
        lots_of[session_id].add(drawn)
    clinic_id, practitioner_id = _raised_practitioner(sessions)
    lot_id = _raised_lot(sessions, lots_of, clinic_id)
    by_person = [s for s in sessions if s.practitioner_id == practitioner_id]
    by_lot = [
        s for s in sessions if s.practitioner_id != practitioner_id and lot_id in lots_of[s.pk]
    ]
    raised_ids = {s.pk for s in by_person + by_lot}
    usual = [s for s in sessions if s.pk not in raised_ids]
    chosen = sorted(
        _pick(context, by_person, RAISED_PRACTITIONER_RATE)
        + _pick(context, by_lot, RAISED_LOT_RATE)
        + _pick(context, usual, USUAL_RATE),
        key=lambda s: (s.signed_at, s.pk),
    )
    events = [_event(context, session, number) for number, session in enumerate(chosen)]
    AdverseEvent.objects.bulk_create(events, batch_size=500)
    _suspect_lots(events, lots_of, lot_id)
    _review_and_alert(context, events)
    grades = Counter(event.grade for event in events)
    person = User.objects.filter(pk__in=[practitioner_id]).first()
    lot = Lot.objects.filter(pk__in=[lot_id]).first()
    context.progress(
        f"{len(events)} adverse events (grades {dict(sorted(grades.items()))}); raised rates "
        f"for {person.get_full_name() if person else 'no practitioner'} and "
        f"lot {lot.lot_number if lot else 'none'}, which the safety-signal page flags"
    )


def _event(context: DemoContext, session: TreatmentSession, number: int) -> AdverseEvent:
    rng = context.rng
    severe = number % 9 == 4
    if severe:
        term, grade = rng.choice(SEVERE_TERMS), 3
    else:
        term, grade = rng.choice(MILD_TERMS)
    end = session.ended_at or session.signed_at or session.checked_in_at
    onset = min(end + dt.timedelta(hours=rng.randint(1, 60)), timezone.now())
    return AdverseEvent(
        patient_id=session.patient_id,
        clinic_id=session.clinic_id,
        session=session,
        term=term,
        grade=grade,
        pain_nrs=rng.randint(2, 7) if term in ("pain", "sensitivity", "swelling") else None,
        onset_at=onset,
        duration_hours=rng.choice([6, 12, 24, 48, 96]) if not severe else 240,
        outcome="recovered" if not severe else "recovering",
        seriousness=["other_medically_important"] if term == "allergic_reaction" else [],
        serious=term == "allergic_reaction",
        causality=rng.choice(["probable", "possible", "possible", "certain"]),
        zones=[],
        practitioner_id=session.practitioner_id,
        actions_taken=ACTIONS[grade],
        reported_by=context.users["nurse"],
        created_at=onset,
    )


def _suspect_lots(
    events: list[AdverseEvent], lots_of: dict[int, set[int]], lot_id: int | None
) -> None:
    through = AdverseEvent.suspected_lots.through
    links = [
        through(adverseevent_id=event.pk, lot_id=lot)
        for event in events
        for lot in sorted(lots_of.get(event.session_id or 0, ()))
        if lot == lot_id or event.grade >= 3
    ]
    through.objects.bulk_create(links, batch_size=1000)


def _review_and_alert(context: DemoContext, events: list[AdverseEvent]) -> None:
    alerting = [event for event in events if event.needs_review]
    if not alerting:
        return
    # The one left unreviewed is the latest in a clinic with a manager to alert.
    managed = set(Membership.objects.filter(role=Role.MANAGER).values_list("clinic_id", flat=True))
    latest = next((e for e in reversed(alerting) if e.clinic_id in managed), alerting[-1])
    reviewed = [event for event in alerting if event is not latest]
    reviewers = dict(
        Membership.objects.filter(role=Role.PRACTITIONER).values_list("clinic_id", "user_id")
    )
    for event in reviewed:
        event.reviewed_at = event.onset_at + dt.timedelta(days=1)
        event.reviewed_by_id = reviewers.get(event.clinic_id, event.practitioner_id)
        event.review_notes = "Seen in clinic; resolving with treatment. Course may continue."
    AdverseEvent.objects.bulk_update(reviewed, ["reviewed_at", "reviewed_by", "review_notes"])
    managers = Membership.objects.filter(clinic_id=latest.clinic_id, role=Role.MANAGER)
    url = reverse("safety:event-detail", args=[latest.patient_id, latest.pk])
    Notification.objects.bulk_create(
        Notification(
            recipient_id=membership.user_id,
            clinic_id=latest.clinic_id,
            adverse_event=latest,
            text=f"Grade {latest.grade} adverse event: {latest.term_label}. Sessions are blocked.",
            url=url,
        )
        for membership in managers
    )
