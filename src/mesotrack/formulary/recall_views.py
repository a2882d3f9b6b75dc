"""The recall list of a lot: every patient and session that received it, as a page and a CSV.

It names patients, so every showing is audited: a VIEW event for the page (the patients on it),
an EXPORT event for the CSV (all of them).
"""

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.selectors import clinic_ids_for
from mesotrack.audit.models import Action
from mesotrack.formulary import selectors, services
from mesotrack.formulary.roles import MANAGING_ROLES
from mesotrack.formulary.views import lot_for_request

PAGE_SIZE = 200
CSV_COLUMNS = [
    "record_number",
    "patient",
    "phone",
    "email",
    "clinic",
    "session",
    "given_at",
    "quantity",
    "unit",
    "through",
    "record_deleted",
]


@staff_required(*MANAGING_ROLES)
def recall_list(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = lot_for_request(request, lot_id)
    entries = selectors.lot_recall_list(user=request.user, lot=lot)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    services.recall_list_record_access(
        actor=request.user, lot=lot, entries=list(page), action=Action.VIEW, shown="page"
    )
    context = {
        "lot": lot,
        "page": page,
        "count": len(entries),
        "patients": len({entry.patient.id for entry in entries}),
        "unused": selectors.lot_recall_unused_syringes(lot=lot),
        "sees_patients": lot.clinic_id in clinic_ids_for(request.user, MANAGING_ROLES),
    }
    return render(request, "formulary/recall.html", context)


@staff_required(*MANAGING_ROLES)
def recall_csv(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = lot_for_request(request, lot_id)
    entries = selectors.lot_recall_list(user=request.user, lot=lot)
    services.recall_list_record_access(
        actor=request.user, lot=lot, entries=entries, action=Action.EXPORT, shown="csv"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"recall-{lot.clinic.code}-{lot.lot_number}.csv".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    unit = lot.product.unit
    people: dict[int, list[str]] = {}
    for entry in entries:
        patient = entry.patient
        person = people.get(patient.id)
        if person is None:
            person = people[patient.id] = [
                _cell(patient.record_number),
                _cell(patient.name),
                _cell(patient.phone),
                _cell(patient.email),
                _cell(entry.clinic),
            ]
        writer.writerow(
            [
                *person,
                _cell(entry.session_ref),
                timezone.localtime(entry.occurred_at).isoformat(timespec="minutes"),
                entry.quantity,
                unit,
                entry.via,
                "yes" if patient.is_deleted else "no",
            ]
        )
    return response


def _cell(value: object) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: typed text must not.
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text
