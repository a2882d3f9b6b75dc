import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from mesotrack.accounts.models import User
from mesotrack.safety.models import AdverseEvent, Notification
from mesotrack.safety.signals import safety_signal_report


def _flagged(username: str, grouping: str) -> list[str]:
    today = timezone.localdate()
    report = safety_signal_report(
        user=User.objects.get(username=username),
        start=today - dt.timedelta(days=3650),
        end=today,
        grouping=grouping,
    )
    return [row.label for row in report.flagged]


def test_the_demo_has_graded_events_and_flags_one_practitioner_and_one_lot(db) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    grades = set(AdverseEvent.objects.values_list("grade", flat=True))
    assert {1, 2, 3} <= grades
    assert len(_flagged("manager", "practitioner")) == 1
    assert _flagged("doctor2", "lot") != []
    assert _flagged("manager", "lot") != []  # the manager runs both clinics
    blocking = AdverseEvent.objects.filter(grade__gte=3, reviewed_at__isnull=True)
    assert blocking.count() == 1
    assert Notification.objects.filter(adverse_event=blocking.get()).exists()
