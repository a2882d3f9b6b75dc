"""The safety-signal page and its CSV export, and the notifications of the header badge."""

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.safety import selectors, services
from mesotrack.safety.forms import SignalFilterForm
from mesotrack.safety.signals import GROUPINGS, SIGNAL_ROLES, SignalReport, safety_signal_report
from mesotrack.safety.statistics import SIGNAL_MIN_EVENTS, SIGNAL_P_VALUE

DEFAULT_PERIOD_DAYS = 365


def _filters(request: HttpRequest) -> SignalFilterForm:
    today = timezone.localdate()
    data = {
        "start": request.GET.get("start") or (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS)),
        "end": request.GET.get("end") or today,
        "by": request.GET.get("by") or "practitioner",
    }
    return SignalFilterForm(data)


def _report(request: HttpRequest, form: SignalFilterForm) -> SignalReport:
    data = form.cleaned_data
    return safety_signal_report(
        user=request.user, start=data["start"], end=data["end"], grouping=data["by"]
    )


@staff_required(*SIGNAL_ROLES)
def signal_page(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    report = _report(request, form) if form.is_valid() else None
    if report is not None:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            detail={
                "safety_signals": report.grouping,
                "start": str(report.start),
                "end": str(report.end),
            },
        )
    context = {
        "form": form,
        "report": report,
        "grouping_label": GROUPINGS.get(form.data["by"], ""),
        "p_value": SIGNAL_P_VALUE,
        "min_events": SIGNAL_MIN_EVENTS,
        "query": request.GET.urlencode(),
    }
    return render(request, "safety/signals.html", context, status=200 if report else 400)


@staff_required(*SIGNAL_ROLES)
def signal_export(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    if not form.is_valid():
        return render(request, "safety/signals.html", {"form": form, "report": None}, status=400)
    report = _report(request, form)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        detail={
            "safety_signals": report.grouping,
            "start": str(report.start),
            "end": str(report.end),
            "rows": len(report.rows),
        },
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"safety-signals-{report.grouping}-{report.start}-{report.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "clinic",
            GROUPINGS[report.grouping].lower(),
            "sessions",
            "sessions_with_event",
            "rate_per_100",
            "ci95_low",
            "ci95_high",
            "clinic_rate_per_100",
            "p_value",
            "flagged",
        ]
    )
    for row in report.rows:
        result = row.result
        writer.writerow(
            [
                row.clinic,
                row.label,
                result.sessions,
                result.events,
                f"{result.rate_per_100:.2f}",
                f"{result.interval_per_100.low:.2f}",
                f"{result.interval_per_100.high:.2f}",
                f"{result.baseline_per_100:.2f}",
                f"{result.p_value:.6g}",
                "yes" if result.flagged else "no",
            ]
        )
    return response


@staff_required()
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user: User = request.user  # type: ignore[assignment]
        services.notifications_mark_read(user=user)
        return redirect("safety:notifications")
    notifications = selectors.notification_list(user=request.user)
    return render(request, "safety/notifications.html", {"notifications": notifications})


@staff_required()
def notification_badge(request: HttpRequest) -> HttpResponse:
    count = selectors.notifications_unread_count(user=request.user)
    return render(request, "safety/_badge.html", {"unread": count})
