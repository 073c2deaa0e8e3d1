from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry, SecurityEvent
from mentorat.audit.pseudonyms import pseudonyms_of


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


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    """The platform's security log, read-only. Searching for an account's email finds
    its events (under the current and fallback keys) without storing the email: a
    targeted look-up by someone who already knows whom they are looking for."""

    list_display = ("created_at", "user_pseudonym", "kind", "method", "path")
    list_filter = ("kind",)
    search_fields = ("user_pseudonym", "path")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # retention is `purge_security_events`' job, not a click

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[SecurityEvent], search_term: str
    ) -> tuple[QuerySet[SecurityEvent], bool]:
        term = search_term.strip()
        if "@" in term:
            user = User.objects.filter(email__iexact=term).first()
            pseudonyms = pseudonyms_of(user.pk) if user is not None else []
            return queryset.filter(user_pseudonym__in=pseudonyms), False
        result: tuple[QuerySet[SecurityEvent], bool] = super().get_search_results(
            request, queryset, term
        )
        return result
