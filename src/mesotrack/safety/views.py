"""Pages of adverse events: record (optionally from a session), list, detail, edit, review."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.accounts.models import CLINICAL_ROLES, Role, User
from mesotrack.accounts.selectors import role_in_clinic
from mesotrack.charting.models import TreatmentSession
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.patients.models import Patient
from mesotrack.patients.views import patient_for_request
from mesotrack.safety import selectors, services
from mesotrack.safety.forms import AdverseEventForm, ReviewForm
from mesotrack.safety.models import AdverseEvent
from mesotrack.safety.terms import adverse_event_grades

CLINICAL = tuple(CLINICAL_ROLES)


def _event(request: HttpRequest, patient: Patient, adverse_event_id: int) -> AdverseEvent:
    try:
        return selectors.adverse_event_get_for_user(
            user=request.user, patient=patient, adverse_event_id=adverse_event_id
        )
    except AdverseEvent.DoesNotExist:
        raise Http404("No such adverse event.") from None


def _session(request: HttpRequest, patient: Patient | None) -> TreatmentSession | None:
    raw = request.GET.get("session", "")
    if not raw:
        return None
    try:
        session = selectors.session_get_for_user(user=request.user, session_id=int(raw))
    except (ValueError, TreatmentSession.DoesNotExist):
        raise Http404("No such session.") from None
    if patient is not None and session.patient_id != patient.pk:
        raise Http404("No such session for this patient.")
    return session


@staff_required(*CLINICAL)
def event_create_from_session(request: HttpRequest) -> HttpResponse:
    """`safety:event-create` without a patient: `?session=<id>` names the patient."""
    session = _session(request, None)
    if session is None:
        messages.info(request, "Open the patient's chart to record an adverse event.")
        return redirect("patients:list")
    url = reverse("safety:event-create", args=[session.patient_id])
    return redirect(f"{url}?session={session.pk}")


def _session_initial(session: TreatmentSession) -> dict[str, object]:
    return {
        "practitioner": session.practitioner,
        "zones": list(session.injections.values_list("zone", flat=True)),
        "suspected_lots": list(
            session.lot_uses.filter(lot__isnull=False).values_list("lot_id", flat=True)
        ),
    }


@staff_required(*CLINICAL)
def event_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    session = _session(request, patient)
    initial = _session_initial(session) if session else {}
    form = AdverseEventForm(request.POST or None, clinic_id=patient.clinic_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.adverse_event_create(
                actor=request.user,  # type: ignore[arg-type]
                patient=patient,
                session=session,
                data=form.to_input(),
            )
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            if event.needs_review:
                messages.warning(
                    request,
                    "Recorded. The clinic manager has been alerted, and no further session can "
                    "start until a practitioner reviews this event.",
                )
            else:
                messages.success(request, "Adverse event recorded.")
            return redirect("safety:event-detail", patient_id=patient.pk, adverse_event_id=event.pk)
    context = {
        "form": form,
        "patient": patient,
        "session": session,
        "grades": adverse_event_grades().values(),
    }
    return render(request, "safety/form.html", context)


@staff_required(*CLINICAL)
def event_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    events = selectors.adverse_event_list_for_patient(patient=patient)
    return render(request, "safety/list.html", {"patient": patient, "events": events})


@staff_required(*CLINICAL)
def event_detail(request: HttpRequest, patient_id: int, adverse_event_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    event = _event(request, patient, adverse_event_id)
    can_review = (
        not event.is_reviewed
        and role_in_clinic(request.user, patient.clinic_id) == Role.PRACTITIONER
    )
    context = {
        "patient": patient,
        "event": event,
        "grade": adverse_event_grades()[event.grade],
        "review_form": ReviewForm() if can_review else None,
    }
    return render(request, "safety/detail.html", context)


@staff_required(*CLINICAL)
def event_edit(request: HttpRequest, patient_id: int, adverse_event_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    event = _event(request, patient, adverse_event_id)
    if event.is_reviewed:
        messages.error(request, services.REVIEWED_MESSAGE)
        return redirect("safety:event-detail", patient_id=patient.pk, adverse_event_id=event.pk)
    form = AdverseEventForm(
        request.POST or None,
        clinic_id=patient.clinic_id,
        initial=AdverseEventForm.initial_from(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adverse_event_update(
                actor=request.user,  # type: ignore[arg-type]
                event=event,
                data=form.to_input(),
            )
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Saved.")
            return redirect("safety:event-detail", patient_id=patient.pk, adverse_event_id=event.pk)
    context = {
        "form": form,
        "patient": patient,
        "event": event,
        "session": event.session,
        "grades": adverse_event_grades().values(),
    }
    return render(request, "safety/form.html", context)


@staff_required(Role.PRACTITIONER)
def event_review(request: HttpRequest, patient_id: int, adverse_event_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    event = _event(request, patient, adverse_event_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            services.adverse_event_review(
                actor=user, event=event, notes=form.cleaned_data["review_notes"]
            )
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Review recorded.")
            return redirect("safety:event-detail", patient_id=patient.pk, adverse_event_id=event.pk)
    return render(request, "safety/review.html", {"patient": patient, "event": event, "form": form})
