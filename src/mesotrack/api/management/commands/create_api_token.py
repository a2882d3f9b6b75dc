"""Issue an API token for a user and print it (only the token, so it can be piped)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mesotrack.accounts.models import User
from mesotrack.accounts.selectors import is_staff_member
from mesotrack.api.services import api_token_issue
from mesotrack.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue a bearer token for the JSON API. The token acts as USERNAME with that user's "
        "roles and clinics, without the TOTP step, so issue it only to the person or system "
        "it is for. It is shown once; revoke it in the admin (API tokens)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Stop working after this many days."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called '{username}'.")
        if not user.is_active:
            raise CommandError(f"User '{username}' is inactive: activate the account first.")
        try:
            issued = api_token_issue(
                user=user, name=options["name"], expires_in_days=options["expires_days"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if not is_staff_member(user):
            self.stderr.write(
                f"Note: '{username}' has no clinic role, so every staff endpoint will answer 403."
            )
        self.stdout.write(issued.secret)
