"""Demo data for this app (called by `manage.py seed_demo`)."""

from mesotrack.core.demo import DemoContext


def seed(context: DemoContext) -> None:
    context.progress("nothing to seed yet")
