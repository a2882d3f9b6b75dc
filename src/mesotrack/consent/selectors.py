"""Reads of consent forms and signed consents.

Patient-level selectors take a patient the caller has already fetched through
`patients.selectors.patient_get_for_user`, which is where clinic scoping happens.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from mesotrack.consent.models import ConsentKind, ConsentTemplate, SignedConsent
from mesotrack.consent.validity import ConsentState, consent_state_on, end_of_day
from mesotrack.patients.models import Patient


@dataclass(frozen=True)
class ConsentStatus:
    """Where one kind of consent stands for a patient on a day, with every signature of it."""

    kind: ConsentKind
    state: ConsentState
    consent: SignedConsent | None  # the signature that decides the state
    history: tuple[SignedConsent, ...]  # newest first

    @property
    def is_valid(self) -> bool:
        return self.state == ConsentState.VALID


def _consents_light(patient: Patient) -> QuerySet[SignedConsent]:
    # The signature image and the full text are only needed when one consent is opened.
    return (
        SignedConsent.objects.filter(patient_id=patient.pk)
        .select_related("template", "withdrawal")
        .defer("signature_png", "body_snapshot", "template__body")
        .order_by("-signed_at", "-id")
    )


def consent_is_valid(patient: Patient, kind: ConsentKind | str, on_date: dt.date) -> bool:
    """True when the patient's consent of `kind` counts on `on_date`.

    The latest consent of that kind signed on or before `on_date` decides: it counts unless it was
    withdrawn on or before `on_date` or had expired by then (`valid_for_months` after signing).
    One query.
    """
    latest = _consents_light(patient).filter(kind=kind, signed_at__lt=end_of_day(on_date)).first()
    return consent_state_on(latest, on_date) == ConsentState.VALID


def consent_status_for_patient(
    patient: Patient, on_date: dt.date | None = None
) -> list[ConsentStatus]:
    """One status per consent kind (valid / expired / withdrawn / missing). One query."""
    day = on_date or timezone.localdate()
    by_kind: dict[str, list[SignedConsent]] = {kind: [] for kind in ConsentKind}
    for consent in _consents_light(patient):
        by_kind[consent.kind].append(consent)
    statuses = []
    for kind in ConsentKind:
        history = by_kind[kind]
        deciding = next((c for c in history if c.signed_on <= day), None)
        statuses.append(
            ConsentStatus(
                kind=kind,
                state=consent_state_on(deciding, day),
                consent=deciding,
                history=tuple(history),
            )
        )
    return statuses


def consent_list_for_patient(patient: Patient) -> list[SignedConsent]:
    """Every consent the patient signed, newest first, with template and withdrawal. One query."""
    return list(_consents_light(patient))


def consent_get_for_patient(*, patient: Patient, consent_id: int) -> SignedConsent:
    """One consent of this patient, signature included; raises SignedConsent.DoesNotExist."""
    return SignedConsent.objects.select_related("template", "withdrawal", "witness").get(
        pk=consent_id, patient_id=patient.pk
    )


def consent_is_withdrawable(consent: SignedConsent) -> bool:
    """Only the latest signature of a kind can be withdrawn, and only once."""
    if consent.withdrawal_or_none is not None:
        return False
    return not SignedConsent.objects.filter(
        patient_id=consent.patient_id, kind=consent.kind, signed_at__gt=consent.signed_at
    ).exists()


def consent_template_current(
    kind: ConsentKind | str, on_date: dt.date | None = None
) -> ConsentTemplate | None:
    """The version of `kind` to sign on `on_date`: the newest in effect and not retired."""
    day = on_date or timezone.localdate()
    return (
        ConsentTemplate.objects.filter(kind=kind, effective_from__lte=day, retired_at__isnull=True)
        .order_by("-version")
        .first()
    )


def consent_template_versions(
    kinds: Iterable[str] = ConsentKind.values,
) -> QuerySet[ConsentTemplate]:
    """Every version of the given kinds, newest first, with how many people signed each."""
    return (
        ConsentTemplate.objects.filter(kind__in=list(kinds))
        .annotate(signature_count=Count("signatures"))
        .select_related("created_by")
        .order_by("kind", "-version")
    )


def consent_template_has_signatures(template: ConsentTemplate) -> bool:
    return SignedConsent.objects.filter(template_id=template.pk).exists()


def consent_template_current_ids(on_date: dt.date | None = None) -> set[int]:
    """Ids of the version in force for each kind. One query."""
    day = on_date or timezone.localdate()
    current: dict[str, int] = {}
    for template_id, kind in (
        ConsentTemplate.objects.filter(effective_from__lte=day, retired_at__isnull=True)
        .order_by("kind", "-version")
        .values_list("id", "kind")
    ):
        current.setdefault(kind, template_id)
    return set(current.values())
