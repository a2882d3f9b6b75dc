"""Background tasks (django-tasks; the database backend in production, run by
`manage.py db_worker`). Thin: load by id, call the service."""

from django_tasks import task

from mesotrack.courses.services import reminders


@task()
def reminder_send(reminder_id: int) -> str:
    return reminders.reminder_send(reminder_id=reminder_id)
