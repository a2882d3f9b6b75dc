"""Reading the audit trail: managers see the events of the clinics they manage."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mesotrack.accounts.models import Membership, Role
from mesotrack.accounts.selectors import AnyUser, clinic_ids_for
from mesotrack.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    patient_label: str = ""
    username: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_event_list_for_manager(*, user: AnyUser, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events in the manager's clinics, plus clinic-less events (logins) of their staff."""
    clinic_ids = clinic_ids_for(user, [Role.MANAGER])
    staff_ids = Membership.objects.filter(clinic_id__in=clinic_ids).values("user_id")
    events = AuditEvent.objects.filter(
        Q(clinic_id__in=clinic_ids) | Q(clinic__isnull=True, actor_id__in=staff_ids)
    ).select_related("clinic")
    if filters.patient_label:
        events = events.filter(patient_label__iexact=filters.patient_label.strip())
    if filters.username:
        events = events.filter(actor_username__iexact=filters.username.strip())
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_at__date__lte=filters.date_to)
    return events.order_by("-occurred_at", "-id")
