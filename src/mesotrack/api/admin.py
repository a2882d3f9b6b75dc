from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mesotrack.accounts.models import User
from mesotrack.api.models import ApiToken
from mesotrack.api.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("key_prefix", "user", "name", "created_at", "last_used_at", "expires_at")
    list_filter = ("revoked_at",)
    search_fields = ("key_prefix", "user__username", "name")
    readonly_fields = ("user", "key_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "key_prefix", "created_at", "last_used_at", "expires_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The secret is shown once, by `manage.py create_api_token`.
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for token in queryset.select_related("user"):
            api_token_revoke(actor=actor, token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")
