"""Pages of the pair workspace, the check-ins, the calendar and the coordinators' follow-up,
one module per subject."""

from mentorat.mentorships.views.calendar import (
    calendar_feed,
    calendar_page,
    calendar_reset,
)
from mentorat.mentorships.views.check_ins import (
    check_in,
    check_in_link,
)
from mentorat.mentorships.views.closure import (
    end,
    outcome,
)
from mentorat.mentorships.views.coordinators import (
    check_in_question_delete,
    check_in_question_edit,
    check_in_questions,
    dashboard,
)
from mentorat.mentorships.views.goals import (
    assessment,
    goal_add,
    goal_edit,
    goal_progress,
    goal_status,
    resource_add,
    resource_delete,
    resource_edit,
)
from mentorat.mentorships.views.meetings import (
    meeting_accept,
    meeting_cancel,
    meeting_ics,
    meeting_propose,
    meeting_reschedule,
    session_log,
)
from mentorat.mentorships.views.workspace import (
    my_list,
    reminders,
    reminders_stop_link,
    workspace,
)

__all__ = [
    "assessment",
    "calendar_feed",
    "calendar_page",
    "calendar_reset",
    "check_in",
    "check_in_link",
    "check_in_question_delete",
    "check_in_question_edit",
    "check_in_questions",
    "dashboard",
    "end",
    "goal_add",
    "goal_edit",
    "goal_progress",
    "goal_status",
    "meeting_accept",
    "meeting_cancel",
    "meeting_ics",
    "meeting_propose",
    "meeting_reschedule",
    "my_list",
    "outcome",
    "reminders",
    "reminders_stop_link",
    "resource_add",
    "resource_delete",
    "resource_edit",
    "session_log",
    "workspace",
]
