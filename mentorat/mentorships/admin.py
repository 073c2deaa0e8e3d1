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
    raw_id_fields = ("mentor", "mentee", "edition", "ended_by", "created_by")
    search_fields = ("mentor__email", "mentee__email")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ("mentorship", "starts_at", "mode", "status")
    list_filter = ("status", "mode")
    raw_id_fields = ("mentorship", "proposed_by", "cancelled_by")


# Private notes and session logs are deliberately not registered: the pair's notes are
# not for platform staff either.
for model in (Goal, CheckIn, CheckInQuestion, Outcome, Reminder):
    admin.site.register(model)
