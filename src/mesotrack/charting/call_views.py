"""The nurses' follow-up call list (clinic-scoped) and recording one call."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import CLINICAL_ROLES, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.charting import selectors, services
from mesotrack.charting.forms import CallForm
from mesotrack.charting.models import FollowUpCall
from mesotrack.core.errors import DomainError
from mesotrack.patients.views import patient_for_request


def _event_url(session_id: int) -> str | None:
    try:
        return reverse("safety:event-create") + f"?session={session_id}"
    except NoReverseMatch:
        return None


@staff_required(*CLINICAL_ROLES)
def call_list(request: HttpRequest) -> HttpResponse:
    """Calls not yet made, due first; each patient shown is audited."""
    calls = list(selectors.call_list_for_user(user=request.user)[:200])
    for call in calls:
        audit_record(actor=request.user, action=Action.VIEW, patient=call.patient, obj=call)
    return render(request, "charting/calls.html", {"calls": calls})


@staff_required(*CLINICAL_ROLES)
def call_record(
    request: HttpRequest, patient_id: int, session_id: int, call_id: int
) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    try:
        call = selectors.call_get_for_user(user=request.user, call_id=call_id)
    except FollowUpCall.DoesNotExist:
        raise Http404("No such call in your clinics.") from None
    if call.patient_id != patient.pk or call.session_id != session_id:
        raise Http404("No such call for this session.")
    form = CallForm(request.POST or None)
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, patient=call.patient, obj=call)
    elif form.is_valid():
        assert isinstance(request.user, User)  # noqa: S101 - staff_required
        try:
            services.follow_up_call_record(
                actor=request.user,
                call=call,
                reached=form.cleaned_data["reached"],
                outcome_notes=form.cleaned_data["outcome_notes"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Call recorded.")
            return redirect("charting-calls:calls")
    context = {"call": call, "form": form, "event_create_url": _event_url(call.session_id)}
    return render(request, "charting/call.html", context, status=400 if form.errors else 200)
