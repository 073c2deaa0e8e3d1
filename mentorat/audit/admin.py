from django.contrib import admin
from django.http import HttpRequest

from mentorat.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("created_at", "actor_label", "action", "organization", "target_label")
    list_filter = ("action", "organization")
    search_fields = ("actor_label", "action", "target_label")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
