from django.contrib import admin

from mentorat.notifications.models import EmailDelivery, NotificationPreference


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin[EmailDelivery]):
    list_display = ("purpose", "key", "recipient", "status", "attempts", "updated_at")
    list_filter = ("status", "purpose")
    search_fields = ("recipient", "key")
    readonly_fields = [f.name for f in EmailDelivery._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ("user", "kind", "enabled", "message_frequency", "updated_at")
    list_filter = ("kind", "enabled", "message_frequency")
    raw_id_fields = ("user",)
