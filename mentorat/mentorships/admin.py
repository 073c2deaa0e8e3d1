from django.contrib import admin

from mentorat.mentorships.models import (
    CheckIn,
    CheckInQuestion,
    Goal,
    Meeting,
    Mentorship,
    Outcome,
    Reminder,
)


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin[Mentorship]):
    list_display = ("mentor", "mentee", "edition", "status", "started_on", "ended_on")
    list_filter = ("status",)
    list_select_related = ("mentor_application__user", "mentee_application__user", "edition")
    raw_id_fields = (
        "mentor_application",
        "mentee_application",
        "edition",
        "ended_by",
        "created_by",
    )
    search_fields = ("mentor_application__user__email", "mentee_application__user__email")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ("mentorship", "starts_at", "mode", "status")
    list_filter = ("status", "mode")
    raw_id_fields = ("mentorship", "proposed_by", "cancelled_by")


# Private notes and session logs are deliberately not registered: the pair's notes are
# not for platform staff either.
for model in (Goal, CheckIn, CheckInQuestion, Outcome, Reminder):
    admin.site.register(model)
