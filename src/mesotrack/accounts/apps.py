from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mesotrack.accounts"
    label = "accounts"

    def ready(self) -> None:
        from mesotrack.accounts import signals  # noqa: F401  (login audit receivers)
