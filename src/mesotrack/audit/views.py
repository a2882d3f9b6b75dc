import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import Role
from mesotrack.audit.forms import AuditFilterForm
from mesotrack.audit.models import Action, AuditEvent
from mesotrack.audit.selectors import AuditFilter, audit_event_list_for_manager
from mesotrack.audit.services import audit_record

CSV_COLUMNS = [
    "occurred_at",
    "actor_username",
    "role",
    "clinic",
    "patient_label",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "ip_address",
    "detail",
]


def _filters(form: AuditFilterForm) -> AuditFilter:
    if not form.is_valid():
        return AuditFilter()
    data = form.cleaned_data
    return AuditFilter(
        patient_label=data["patient"],
        username=data["user"],
        action=data["action"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@staff_required(Role.MANAGER)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list_for_manager(user=request.user, filters=_filters(form))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _csv_rows(events: Iterator[AuditEvent]) -> Iterator[list[str]]:
    yield CSV_COLUMNS
    for event in events:
        yield [
            event.occurred_at.isoformat(),
            event.actor_username,
            event.role,
            event.clinic.name if event.clinic else "",
            event.patient_label,
            event.action,
            event.object_type,
            event.object_id,
            event.request_id,
            event.ip_address or "",
            str(event.detail) if event.detail else "",
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@staff_required(Role.MANAGER)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = _filters(form)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        detail={"export": "audit", "filters": request.GET.dict()},
    )
    events = audit_event_list_for_manager(user=request.user, filters=filters).iterator(
        chunk_size=2000
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(events)), content_type="text/csv"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
