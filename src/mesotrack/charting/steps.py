"""The steps of a session page: each POST names its step in `action`."""

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

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
from mesotrack.charting.models import ScalpZone, TreatmentSession
from mesotrack.charting.session_page import (
    context_for,
    form_error,
    lot_or_batch,
    staff_user,
)
from mesotrack.core.errors import DomainError
from mesotrack.formulary.models import Lot, PreparedBatch
from mesotrack.patients.models import Patient


def _done(request: HttpRequest, session: TreatmentSession, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("charting:session-detail", session.patient_id, session.pk)


def _again(
    request: HttpRequest, patient: Patient, session: TreatmentSession, **forms_: Any
) -> HttpResponse:
    session = _session_fresh(request, patient, session)
    return render(
        request,
        "charting/detail.html",
        context_for(request, patient, session, **forms_),
        status=400,
    )


def _session_fresh(
    request: HttpRequest, patient: Patient, session: TreatmentSession
) -> TreatmentSession:
    return selectors.session_get_for_user(
        user=request.user, session_id=session.pk, patient=patient, audit=False
    )


def _checklist(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    form = ChecklistForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        pregnant = {"yes": True, "no": False}.get(data["pregnant"] or "")
        medicines = tuple(
            m.strip() for m in (data["new_medications"] or "").split(",") if m.strip()
        )
        try:
            services.session_checklist_complete(
                actor=staff_user(request),
                session=session,
                identity_confirmed=data["identity_confirmed"],
                today=services.TodayInput(
                    pregnant=pregnant,
                    new_medications=medicines,
                    active_scalp_infection=data["active_scalp_infection"],
                    fever=data["fever"],
                ),
                numbing_agent=data["numbing_agent"] or "",
                numbing_amount_g=data["numbing_amount_g"],
                numbing_lidocaine_mg=data["numbing_lidocaine_mg"],
                numbing_area=data["numbing_area"] or "",
                numbing_applied_at=data["numbing_applied_at"],
            )
        except services.ChecklistBlocked as error:
            return _again(request, patient, session, checklist_form=form, block=error)
        except DomainError as error:
            form_error(form, error)
        else:
            return _done(request, session, "Checklist complete.")
    return _again(request, patient, session, checklist_form=form)


def _start(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.session_procedure_start(
                actor=staff_user(request),
                session=session,
                early_start_reason=form.cleaned_data["early_start_reason"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            return _done(request, session, "Procedure started.")
    return _again(request, patient, session, start_form=form)


def _zone_input(request: HttpRequest, zone: str) -> services.ZoneInput:
    try:
        coordinates = json.loads(request.POST.get(f"{zone}-coordinates") or "[]")
    except ValueError:
        coordinates = []
    points = request.POST.get(f"{zone}-points") or "0"
    return services.ZoneInput(
        zone=zone,
        technique=request.POST.get(f"{zone}-technique", ""),
        volume_ml=request.POST.get(f"{zone}-volume_ml", ""),
        depth_mm=request.POST.get(f"{zone}-depth_mm", ""),
        needle=request.POST.get(f"{zone}-needle", ""),
        points=int(points) if points.isdigit() else -1,
        point_coordinates=coordinates,
    )


def _map(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    """Save the whole map at once: selected zones are charted, unselected ones removed."""
    selected = [z for z in request.POST.getlist("zone") if z in ScalpZone.values]
    try:
        services.injection_map_save(
            actor=staff_user(request),
            session=session,
            zones=[_zone_input(request, zone) for zone in selected],
        )
    except DomainError as error:
        return _again(request, patient, session, map_error=error.message)
    return _done(request, session, "Map saved.")


def _lot(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    form = LotUseForm(request.POST, sources=_sources_all(session))
    if form.is_valid():
        try:
            lot, batch = lot_or_batch(session, form.cleaned_data["source"])
            services.lot_use_add(
                actor=staff_user(request),
                session=session,
                lot=lot,
                batch=batch,
                volume_ml=form.cleaned_data["volume_ml"],
                syringes=form.cleaned_data["syringes"] or 1,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            return _done(request, session, "Lot recorded.")
    return _again(request, patient, session, lot_form=form)


def _sources_all(session: TreatmentSession) -> list[tuple[str, str]]:
    """Any lot or batch of the clinic is a valid choice here: the service says why it is refused."""
    lots = Lot.objects.filter(clinic_id=session.clinic_id).values_list("pk", flat=True)
    batches = PreparedBatch.objects.filter(clinic_id=session.clinic_id).values_list("pk", flat=True)
    return [(f"lot:{pk}", "") for pk in lots] + [(f"batch:{pk}", "") for pk in batches]


def _lot_remove(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    raw = request.POST.get("lot_use", "")
    try:
        services.lot_use_remove(
            actor=staff_user(request), session=session, lot_use_id=int(raw or 0)
        )
    except DomainError as error:
        return _again(request, patient, session, map_error=error.message)
    return _done(request, session, "Lot line removed.")


def _end(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    try:
        services.session_procedure_end(actor=staff_user(request), session=session)
    except DomainError as error:
        return _again(request, patient, session, map_error=error.message)
    return _done(request, session, "Procedure ended.")


def _record(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    nurses = selectors.staff_at(clinic_id=session.clinic_id, roles=[Role.NURSE])
    form = RecordForm(request.POST, nurses=nurses)
    if form.is_valid():
        try:
            services.session_post_procedure_record(
                actor=staff_user(request),
                session=session,
                pain_nrs=form.cleaned_data["pain_nrs"],
                immediate_reactions=form.cleaned_data["immediate_reactions"],
                notes=form.cleaned_data["notes"],
                assisting_nurse=form.cleaned_data["assisting_nurse"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            return _done(request, session, "Post-procedure record saved.")
    return _again(request, patient, session, record_form=form)


def _sign(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    try:
        services.session_sign(session=session, signed_by=staff_user(request))
    except DomainError as error:
        return _again(request, patient, session, sign_error=error.message)
    return _done(request, session, "Session signed. Aftercare produced and follow-up calls booked.")


def _form_step(
    request: HttpRequest,
    patient: Patient,
    session: TreatmentSession,
    form_key: str,
    form: forms.Form,
    run: Callable[[User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate `form`, run the service with its data, and report or show the form again."""
    if form.is_valid():
        try:
            run(staff_user(request), form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return _done(request, session, done)
    return _again(request, patient, session, **{form_key: form})


def _abandon(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    def run(actor: User, data: dict[str, Any]) -> object:
        return services.session_abandon(actor=actor, session=session, reason=data["reason"])

    return _form_step(
        request,
        patient,
        session,
        "abandon_form",
        ReasonForm(request.POST),
        run,
        "Session abandoned.",
    )


def _addendum(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    def run(actor: User, data: dict[str, Any]) -> object:
        return services.session_addendum_add(actor=actor, session=session, text=data["text"])

    return _form_step(
        request,
        patient,
        session,
        "addendum_form",
        AddendumForm(request.POST),
        run,
        "Addendum added.",
    )


def _cosign(request: HttpRequest, patient: Patient, session: TreatmentSession) -> HttpResponse:
    def run(actor: User, data: dict[str, Any]) -> object:
        return services.session_cosign(actor=actor, session=session, comment=data["comment"])

    return _form_step(
        request,
        patient,
        session,
        "cosign_form",
        CosignForm(request.POST),
        run,
        "Session co-signed.",
    )


Handler = Callable[[HttpRequest, Patient, TreatmentSession], HttpResponse]
ACTIONS: dict[str, Handler] = {
    "checklist": _checklist,
    "start": _start,
    "map": _map,
    "lot": _lot,
    "lot-remove": _lot_remove,
    "end": _end,
    "record": _record,
    "sign": _sign,
    "abandon": _abandon,
    "addendum": _addendum,
    "cosign": _cosign,
}
