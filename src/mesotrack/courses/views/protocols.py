"""Protocols: the published ones and the clinic's own."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import User
from mesotrack.accounts.selectors import clinic_ids_for
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.forms import ProtocolForm
from mesotrack.courses.models import ClinicProtocol
from mesotrack.courses.protocols import (
    METHOD_LABELS,
    MODALITY_LABELS,
    PHASE_LABELS,
    ProtocolDefinition,
    shipped_protocols,
)
from mesotrack.courses.roles import BOOKING_ROLES, PLANNING_ROLES, may
from mesotrack.courses.services.protocols import clinic_protocol_retire, clinic_protocol_save
from mesotrack.courses.views.common import apply_error, chosen_clinic, posted


@staff_required(*BOOKING_ROLES)
def protocol_list(request: HttpRequest) -> HttpResponse:
    own = selectors.clinic_protocols(clinic_ids=clinic_ids_for(request.user))
    return render(
        request,
        "courses/protocol_list.html",
        {
            "shipped": list(shipped_protocols().values()),
            "own": own,
            "modalities": MODALITY_LABELS,
            "can_write": bool(clinic_ids_for(request.user, PLANNING_ROLES)),
        },
    )


def _find(request: HttpRequest, code: str) -> tuple[ProtocolDefinition, ClinicProtocol | None]:
    shipped = shipped_protocols().get(code)
    if shipped is not None:
        return shipped, None
    own = (
        ClinicProtocol.objects.filter(clinic_id__in=clinic_ids_for(request.user), code=code)
        .select_related("clinic")
        .first()
    )
    if own is None:
        raise Http404("No such protocol.")
    return ProtocolDefinition.model_validate(own.definition), own


@staff_required(*BOOKING_ROLES)
def protocol_detail(request: HttpRequest, protocol_code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    definition, own = _find(request, protocol_code)
    if request.method == "POST" and own is not None:
        try:
            clinic_protocol_retire(actor=user, clinic=own.clinic, code=own.code)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{own.label} is no longer offered for new courses.")
            return redirect("calendar:protocols")
    return render(
        request,
        "courses/protocol_detail.html",
        {
            "protocol": definition,
            "own": own,
            "phases": PHASE_LABELS,
            "method": METHOD_LABELS[definition.technique.method],
            "modality": MODALITY_LABELS[definition.modality],
            "can_retire": own is not None
            and own.is_active
            and may(request.user, own.clinic_id, PLANNING_ROLES),
        },
    )


@staff_required(*PLANNING_ROLES)
def protocol_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    clinic = chosen_clinic(request, PLANNING_ROLES)
    form = ProtocolForm(posted(request), shipped=shipped_protocols())
    if request.method == "POST" and form.is_valid():
        try:
            protocol = clinic_protocol_save(actor=user, clinic=clinic, definition=form.definition())
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{protocol.label} saved; it can be chosen for new courses.")
            return redirect("calendar:protocol", protocol_code=protocol.code)
    return render(request, "courses/protocol_form.html", {"form": form, "clinic": clinic})
