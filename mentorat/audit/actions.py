"""The audit log in words: each dotted action name (`applications.application.accepted`)
as a short translated sentence ("Application accepted").

Services name their entries freely; an action missing here still reads as a sentence
(`describe` falls back to a generic one quoting the name), so a new entry never breaks
the log page. Add its sentence here when you add an action."""

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SENTENCES: dict[str, Promise] = {
    # Accounts
    "accounts.login.succeeded": _("Signed in"),
    "accounts.login.failed": _("Failed sign-in attempt"),
    "accounts.login.locked_out": _("Account locked after failed sign-ins"),
    "accounts.logout": _("Signed out"),
    "accounts.privacy_notice.accepted": _("Privacy notice accepted"),
    # Organisations
    "organizations.organization.created": _("Organisation created"),
    "organizations.invitation.sent": _("Invitation sent"),
    "organizations.invitation.accepted": _("Invitation accepted"),
    "organizations.membership.added": _("Member added"),
    "organizations.membership.updated": _("Member's role changed"),
    "organizations.membership.roles_changed": _("Member's roles changed"),
    "organizations.membership.removed": _("Member removed"),
    "organizations.partnership.created": _("Partnership created"),
    "organizations.partnership.ended": _("Partnership ended"),
    "organizations.organization.signed_up": _("Organisation registered, waiting for approval"),
    "organizations.organization.approved": _("Organisation approved by the platform"),
    "organizations.organization.refused": _("Organisation refused by the platform"),
    "organizations.organization.updated": _("Organisation details changed"),
    "organizations.organization.resubmitted": _("Organisation submitted again for approval"),
    # Partnerships
    "partnerships.partnership.proposed": _("Partnership proposed"),
    "partnerships.partnership.accepted": _("Partnership accepted"),
    "partnerships.partnership.declined": _("Partnership declined"),
    "partnerships.partnership.ended": _("Partnership ended"),
    "partnerships.agreement.created": _("Partnership agreement written"),
    "partnerships.agreement.updated": _("Partnership agreement changed"),
    "partnerships.agreement.signed": _("Partnership agreement signed"),
    # Legal pages
    "legal.page.published": _("Legal page published"),
    # Participants
    "participants.person.created": _("Person created"),
    "participants.profile.created": _("Profile created"),
    "participants.profile.updated": _("Profile updated"),
    "participants.sensitive_consent.given": _("Consent to sensitive data given"),
    "participants.sensitive_consent.withdrawn": _("Consent to sensitive data withdrawn"),
    # Programs
    "programs.program.created": _("Program created"),
    "programs.program.updated": _("Program updated"),
    "programs.matching_settings.updated": _("Matching settings changed"),
    "programs.objective.added": _("Program objective added"),
    "programs.objective.removed": _("Program objective removed"),
    "programs.edition.created": _("Edition created"),
    "programs.edition.updated": _("Edition updated"),
    "programs.charter.published": _("Charter published"),
    "programs.eligibility_rule.added": _("Eligibility rule added"),
    "programs.eligibility_rule.removed": _("Eligibility rule removed"),
    "programs.question.added": _("Application question added"),
    "programs.question.removed": _("Application question removed"),
    # Applications
    "applications.application.submitted": _("Application submitted"),
    "applications.application.imported": _("Application imported"),
    "applications.application.accepted": _("Application accepted"),
    "applications.application.declined": _("Application declined"),
    "applications.application.waitlisted": _("Application put on the waiting list"),
    "applications.application.info_requested": _("More information requested"),
    "applications.application.info_provided": _("More information provided"),
    "applications.application.withdrawn": _("Application withdrawn"),
    "applications.application.suspended": _("Application suspended"),
    "applications.application.awaiting_guardian_consent": _("Guardian's consent requested"),
    "applications.application.guardian_consent_given": _("Guardian's consent given"),
    "applications.guardian_consent.withdrawn": _("Guardian's consent withdrawn"),
    "applications.import.previewed": _("Import previewed"),
    "applications.import.completed": _("Import completed"),
    "applications.import.discarded": _("Import discarded"),
    "applications.recruitment_call.sent": _("Call for applications sent"),
    # Safeguarding
    "safeguarding.check.recorded": _("Safeguarding check recorded"),
    "safeguarding.check.revoked": _("Safeguarding check revoked"),
    # Resource library
    "resources.resource.added": _("Library resource added"),
    "resources.resource.updated": _("Library resource updated"),
    "resources.resource.deleted": _("Library resource deleted"),
    "resources.goal_template.added": _("Goal template added"),
    "resources.goal_template.updated": _("Goal template updated"),
    "resources.goal_template.deleted": _("Goal template deleted"),
    "resources.goal_template.adopted": _("Goal template adopted by a pair"),
    # Matching
    "matching.run.started": _("Matching run started"),
    "matching.run.finished": _("Matching run finished"),
    "matching.run.failed": _("Matching run failed"),
    "matching.run.retried": _("Matching run retried"),
    "matching.run.published": _("Matching run published"),
    "matching.run.superseded": _("Matching run superseded"),
    "matching.proposal.assigned": _("Proposed pair changed by hand"),
    "matching.proposal.unassigned": _("Proposed pair removed"),
    "matching.proposal.swapped": _("Proposed pairs swapped"),
    "matching.proposal.locked": _("Proposed pair locked"),
    "matching.proposal.unlocked": _("Proposed pair unlocked"),
    "matching.pair.excluded": _("Pair excluded"),
    "matching.pair.not_a_fit": _("Pair marked as not a fit"),
    "matching.pair.confirmed": _("Pair confirmed"),
    "matching.capacity.changed": _("Mentor's capacity changed"),
    "matching.request.sent": _("Mentoring request sent"),
    "matching.request.accepted": _("Mentoring request accepted"),
    "matching.request.declined": _("Mentoring request declined"),
    "matching.request.cancelled": _("Mentoring request cancelled"),
    "matching.request.expired": _("Mentoring request expired"),
    # Pairs
    "mentorships.mentorship.created": _("Pair created"),
    "mentorships.mentorship.ended": _("Pair ended"),
    "mentorships.meeting.proposed": _("Meeting proposed"),
    "mentorships.meeting.accepted": _("Meeting accepted"),
    "mentorships.meeting.rescheduled": _("Meeting rescheduled"),
    "mentorships.meeting.cancelled": _("Meeting cancelled"),
    "mentorships.session.logged": _("Session log written"),
    "mentorships.session.updated": _("Session log updated"),
    "mentorships.goal.added": _("Goal added"),
    "mentorships.goal.updated": _("Goal updated"),
    "mentorships.goal.progress_updated": _("Goal progress updated"),
    "mentorships.skills.assessed": _("Skills assessed"),
    "mentorships.resource.added": _("Resource shared"),
    "mentorships.resource.updated": _("Resource updated"),
    "mentorships.resource.removed": _("Resource removed"),
    "mentorships.check_in.answered": _("Check-in answered"),
    "mentorships.check_in.revised": _("Check-in answer revised"),
    "mentorships.check_in_question.added": _("Check-in question added"),
    "mentorships.check_in_question.updated": _("Check-in question updated"),
    "mentorships.check_in_question.deleted": _("Check-in question deleted"),
    "mentorships.outcome.recorded": _("Outcome recorded"),
    "mentorships.outcome.six_month_requested": _("Six-month outcome requested"),
    "mentorships.reminders.enabled": _("Reminders turned on"),
    "mentorships.reminders.stopped": _("Reminders turned off"),
    "mentorships.calendar.reset": _("Calendar link reset"),
    # Pair conversations
    "conversations.message.posted": _("Message sent in a pair's conversation"),
    "conversations.message.reported": _("Message reported to the coordinators"),
    "conversations.message.removed": _("Message removed by a coordinator"),
    "conversations.report.handled": _("Reported message handled"),
    "conversations.member.joined": _("Coordinator joined a pair's conversation"),
    "conversations.member.added": _("Coordinator added to a pair's conversation"),
    "conversations.thread.closed": _("Pair's conversation closed"),
    "conversations.thread.reopened": _("Pair's conversation reopened"),
    # Messages to a cohort
    "announcements.announcement.written": _("Message to a cohort written"),
    "announcements.announcement.sent": _("Message to a cohort sent"),
    # Emails
    "notifications.emails.retried": _("Failed emails sent again"),
    "notifications.preferences.updated": _("Notification preferences changed"),
    "notifications.preferences.unsubscribed": _("Unsubscribed from a kind of email"),
    # Privacy
    "privacy.export.requested": _("Data export requested"),
    "privacy.export.downloaded": _("Data export downloaded"),
    "privacy.erasure.requested": _("Erasure requested"),
    "privacy.erasure.confirmed": _("Erasure confirmed"),
    "privacy.erasure.cancelled": _("Erasure cancelled"),
    "privacy.erasure.refused": _("Erasure refused"),
    "privacy.person.erased": _("Personal data erased"),
    "privacy.retention.updated": _("Retention periods changed"),
    "privacy.retention.warning": _("Retention warning sent"),
    "privacy.retention.application_anonymised": _("Application anonymised at the end of retention"),
    "privacy.retention.audit_entries_deleted": _("Old audit entries deleted"),
}


def describe(action: str) -> str:
    """The sentence for `action` in the active language; for an action without one, a
    generic sentence quoting its name, so that every entry reads."""
    sentence = SENTENCES.get(action)
    if sentence is not None:
        return str(sentence)
    return gettext("Other action (%(code)s)") % {"code": action}
