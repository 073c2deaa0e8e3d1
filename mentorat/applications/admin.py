from django.contrib import admin

from mentorat.applications.models import Application, RecruitmentCall


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("user", "edition", "role", "status", "organization", "submitted_at")
    list_filter = ("status", "role", "source")
    search_fields = ("user__email", "user__last_name")
    raw_id_fields = ("user", "edition", "organization", "decided_by", "charter")


@admin.register(RecruitmentCall)
class RecruitmentCallAdmin(admin.ModelAdmin[RecruitmentCall]):
    list_display = ("program", "sent_at", "sent_by", "mentors_needed")
