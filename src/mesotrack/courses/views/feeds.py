"""Calendar feeds: the public iCalendar address, and the pages that make and revoke them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from mesotrack.accounts.access import public, staff_required
from mesotrack.accounts.models import User
from mesotrack.core.errors import DomainError
from mesotrack.courses.feeds import feed_document, feed_for_token
from mesotrack.courses.models import CalendarFeed, FeedKind
from mesotrack.courses.roles import BOOKING_ROLES, OWN_FEED_ROLES
from mesotrack.courses.services.feeds import (
    feed_revoke,
    patient_feed_create,
    practitioner_feed_create,
)
from mesotrack.courses.views.common import chosen_clinic
from mesotrack.patients.views import patient_for_request


@public
@require_GET
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The iCalendar document; calendar apps cannot log in, so the secret token is the key."""
    found = feed_for_token(feed_token)
    if found is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        feed_document(found, request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    return response


def _address(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar:feed", args=[token]))


@staff_required(*OWN_FEED_ROLES)
def my_feed(request: HttpRequest) -> HttpResponse:
    clinic = chosen_clinic(request, OWN_FEED_ROLES)
    user: User = request.user  # type: ignore[assignment]
    live = CalendarFeed.objects.filter(
        kind=FeedKind.PRACTITIONER, practitioner=user, clinic=clinic, revoked_at__isnull=True
    ).first()
    address = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke" and live is not None:
                feed_revoke(actor=user, feed=live)
                messages.success(request, "The calendar address no longer works.")
                return redirect(reverse("calendar:my-feed") + f"?clinic={clinic.pk}")
            live, token = practitioner_feed_create(actor=user, clinic=clinic, practitioner=user)
            address = _address(request, token)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request, "courses/my_feed.html", {"clinic": clinic, "live": live, "address": address}
    )


@staff_required(*BOOKING_ROLES)
def patient_feed(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_request(request, patient_id)
    user: User = request.user  # type: ignore[assignment]
    live = CalendarFeed.objects.filter(
        kind=FeedKind.PATIENT, patient=patient, revoked_at__isnull=True
    ).first()
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke" and live is not None:
            feed_revoke(actor=user, feed=live)
            messages.success(request, "The patient's calendar address no longer works.")
            return redirect("courses:feed", patient_id=patient.pk)
        live, token = patient_feed_create(actor=user, patient=patient)
        address = _address(request, token)
    return render(
        request, "courses/patient_feed.html", {"patient": patient, "live": live, "address": address}
    )
