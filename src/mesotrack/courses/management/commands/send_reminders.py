"""Queue the day-before reminders: run once a day (cron or a systemd timer); the task worker
(`manage.py db_worker`) sends them. Safe to run again: an appointment is never reminded twice."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mesotrack.courses.services.reminders import reminders_queue_for_day


class Command(BaseCommand):
    help = "Queue reminders for the appointments of a day (default: tomorrow)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: tomorrow)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate() + dt.timedelta(days=1)
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        batch = reminders_queue_for_day(day=day)
        self.stdout.write(
            f"{day:%Y-%m-%d}: {batch.queued} reminders queued, {batch.already} already queued "
            f"or sent, {batch.not_sendable} without contact details."
        )
