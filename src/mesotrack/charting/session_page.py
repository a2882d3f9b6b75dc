"""What every session page shows: the session, the map, lots and forms for its step."""

import json
from typing import Any

from django import forms
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mesotrack.accounts.models import Role, User
from mesotrack.charting import selectors, services
from mesotrack.charting.forms import (
    AddendumForm,
    ChecklistForm,
    CosignForm,
    LotUseForm,
    ReasonForm,
    RecordForm,
    StartForm,
)
from mesotrack.charting.models import SessionStatus, Technique, TreatmentSession
from mesotrack.charting.rules import numbing_wait, zone_rows
from mesotrack.charting.scalp_map import VIEWS
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import Lot, PreparedBatch
from mesotrack.patients.models import Patient


def session_for(request: HttpRequest, patient: Patient, session_id: int) -> TreatmentSession:
    try:
        return selectors.session_get_for_user(
            user=request.user,
            session_id=session_id,
            patient=patient,
            audit=request.method == "GET",
        )
    except TreatmentSession.DoesNotExist:
        raise Http404("No such session for this patient.") from None


def form_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def staff_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - staff_required let only users through
    return request.user


def _sources(session: TreatmentSession) -> list[tuple[str, str]]:
    lots = [
        (
            f"lot:{lot.pk}",
            f"{lot.product.name} — lot {lot.lot_number} (exp. {lot.expiry_date:%d %b %Y})",
        )
        for lot in selectors.usable_lots(session=session)
    ]
    batches = [
        (
            f"batch:{b.pk}",
            f"Prepared batch {b.pk}: {b.recipe_version.recipe.name} "
            f"({b.volume_per_syringe_ml} mL syringes, "
            f"use by {timezone.localtime(b.use_by):%d %b %H:%M})",
        )
        for b in selectors.usable_batches(session=session)
    ]
    return lots + batches


def lot_or_batch(session: TreatmentSession, value: str) -> tuple[Lot | None, PreparedBatch | None]:
    kind, _, raw = value.partition(":")
    if not raw.isdigit():
        raise DomainError("Choose a lot or a prepared batch.", field="source")
    if kind == "lot":
        lot = (
            Lot.objects.select_related("product")
            .filter(pk=int(raw), clinic_id=session.clinic_id)
            .first()
        )
        if lot is not None:
            return lot, None
    if kind == "batch":
        batch = PreparedBatch.objects.filter(pk=int(raw), clinic_id=session.clinic_id).first()
        if batch is not None:
            return None, batch
    raise DomainError("Choose a lot or a prepared batch.", field="source")


def _map_rows(session: TreatmentSession) -> list[dict[str, Any]]:
    records = {record.zone: record for record in session.injections.all()}
    selected = set(selectors.preselected_zones(session))
    rows = []
    for zone in zone_rows():
        record = records.get(str(zone["code"]))
        coordinates = record.point_coordinates if record else []
        rows.append(
            {
                **zone,
                "record": record,
                "selected": zone["code"] in selected,
                "coordinates_json": json.dumps(coordinates),
            }
        )
    return rows


def _map_views() -> list[dict[str, Any]]:
    labels = {str(z["code"]): str(z["label"]) for z in zone_rows()}
    return [
        {
            "code": view.code,
            "label": view.label,
            "outline": view.outline,
            "zones": [(zone, d, labels[zone]) for zone, d in view.zones],
        }
        for view in VIEWS
    ]


def _donor_warning() -> str:
    return next((str(z["warning"]) for z in zone_rows() if z["donor"]), "")


def _event_create_url(session: TreatmentSession) -> str | None:
    try:
        return reverse("safety:event-create") + f"?session={session.pk}"
    except NoReverseMatch:
        return None


def context_for(
    request: HttpRequest, patient: Patient, session: TreatmentSession, **forms_: Any
) -> dict[str, Any]:
    wait = numbing_wait(session.numbing_agent)
    ready_at = services.numbing_ready_at(session)
    context = {
        "patient": patient,
        "session": session,
        "zones": _map_rows(session),
        "map_views": _map_views(),
        "donor_warning": _donor_warning(),
        "default_depth": "4",
        "default_needle": "30G × 4 mm",
        "techniques": Technique.choices,
        "totals": selectors.session_totals(session),
        "reminders": selectors.session_reminders(session) if session.is_open else [],
        "wait": wait,
        "ready_at": ready_at,
        "still_numbing": ready_at is not None and timezone.now() < ready_at,
        "checklist_form": forms_.get("checklist_form") or ChecklistForm(),
        "start_form": forms_.get("start_form") or StartForm(),
        "lot_form": forms_.get("lot_form") or LotUseForm(sources=_sources(session))
        if session.is_open
        else None,
        "record_form": forms_.get("record_form")
        or RecordForm(
            nurses=selectors.staff_at(clinic_id=session.clinic_id, roles=[Role.NURSE]),
            initial={
                "pain_nrs": session.pain_nrs,
                "immediate_reactions": session.immediate_reactions,
                "notes": session.notes,
                "assisting_nurse": session.assisting_nurse_id,
            },
        ),
        "abandon_form": forms_.get("abandon_form") or ReasonForm(),
        "addendum_form": forms_.get("addendum_form") or AddendumForm(),
        "cosign_form": forms_.get("cosign_form") or CosignForm(),
        "awaits_cosign": selectors.session_awaits_cosign(session),
        "map_error": forms_.get("map_error"),
        "sign_error": forms_.get("sign_error"),
        "checklist_block": forms_.get("block"),
        "event_create_url": _event_create_url(session),
        "S": SessionStatus,
    }
    return context
