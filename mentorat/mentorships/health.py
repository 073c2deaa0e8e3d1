"""The health of a pair, as a pure function of a few facts (no database access), so that
dashboards compute it in bulk from one annotated query and tests can cover every rule.

States: on track (*en bonne voie*), to watch (*à surveiller*), at risk (*en risque*)."""

import math
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import NamedTuple

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The thresholds of the rules below. `mentorships.selectors.health_state_conditions`
# writes the same rules as SQL conditions, from these same constants, to count states in
# bulk; tests/reports/test_health_counts.py checks that both always agree.
# A proposal left unanswered this long makes the pair "to watch".
STALE_PROPOSAL_DAYS = 7
LOW_SATISFACTION = 2
MIDDLING_SATISFACTION = 3
# No meeting for more than this many expected intervals puts the pair at risk.
AT_RISK_INTERVALS = 2
# Messages count as contact, with less weight than a meeting: a message from the mentor
# or the mentee within the last expected interval softens "at risk" for a long gap
# without a meeting to "to watch" (as a planned meeting does), but never makes a pair
# without a recent meeting "on track". Removed messages and coordinators' do not count.


class HealthState(IntEnum):
    """Ordered by urgency, so that `max()` gives the worst and dashboards sort on it."""

    ON_TRACK = 0
    TO_WATCH = 1
    AT_RISK = 2

    @property
    def label(self) -> str:
        return str(_LABELS[self])

    @property
    def code(self) -> str:
        return self.name.lower()


_LABELS = {
    HealthState.ON_TRACK: gettext_lazy("On track"),
    HealthState.TO_WATCH: gettext_lazy("To watch"),
    HealthState.AT_RISK: gettext_lazy("At risk"),
}


@dataclass(frozen=True)
class HealthFacts:
    """What health is computed from; dates are local dates (the site's time zone)."""

    started_on: date
    last_meeting_on: date | None = None
    next_meeting_on: date | None = None
    oldest_proposal_on: date | None = None
    # The latest message the mentor or the mentee wrote (not removed).
    last_message_on: date | None = None
    mentor_satisfaction: int | None = None
    mentee_satisfaction: int | None = None


class Health(NamedTuple):
    state: HealthState
    reason: str
    advice: str
    # What the state comes from: "not_started", "ok", "no_meeting", "stale_proposal",
    # "low_satisfaction" or "middling_satisfaction" (reminders only chase the meeting ones).
    code: str = ""


MEETING_CODES = frozenset({"no_meeting", "stale_proposal"})


def expected_interval_days(meetings_per_month: int) -> int:
    """Days expected between two meetings for a rhythm of N meetings a month."""
    return math.ceil(30 / max(meetings_per_month, 1))


def _date(day: date) -> str:
    return str(formats.date_format(day, "SHORT_DATE_FORMAT"))


def compute_health(facts: HealthFacts, meetings_per_month: int, today: date) -> Health:
    """The pair's state with the reason in words and what a coordinator can do.

    Rules, worst first: a satisfaction of 2/5 or less, or no meeting for more than twice
    the expected interval, puts the pair at risk (a planned meeting, or a message within
    the last interval, softens the latter to "to watch"); no meeting for more than the
    interval, a proposal unanswered for a week or a satisfaction of 3/5 makes it "to
    watch". The same rules in words for coordinators: `health_rules`."""
    if facts.started_on > today:
        return Health(
            HealthState.ON_TRACK,
            _("Starts on %(date)s.") % {"date": _date(facts.started_on)},
            "",
            "not_started",
        )
    interval = expected_interval_days(meetings_per_month)
    scores = [s for s in (facts.mentor_satisfaction, facts.mentee_satisfaction) if s is not None]
    low = min(scores) if scores else None
    days = (today - (facts.last_meeting_on or facts.started_on)).days
    gap_text = _gap_text(facts, days)
    planned = (
        _("the next one is planned on %(date)s") % {"date": _date(facts.next_meeting_on)}
        if facts.next_meeting_on is not None
        else ""
    )
    messaged = ""
    if facts.last_message_on is not None:
        since = (today - facts.last_message_on).days
        if since <= interval:
            messaged = ngettext(
                "they exchanged messages %(days)s day ago",
                "they exchanged messages %(days)s days ago",
                since,
            ) % {"days": since}
    candidates = (
        _low_satisfaction(low),
        _meeting_gap(days, interval, gap_text, planned, messaged),
        _stale_proposal(facts, today),
        _middling_satisfaction(low),
    )
    findings = [finding for finding in candidates if finding is not None]
    if findings:
        worst = max(f.state for f in findings)
        return next(f for f in findings if f.state == worst)
    if planned:
        return Health(HealthState.ON_TRACK, f"{gap_text}; {planned}.", "", "ok")
    return Health(HealthState.ON_TRACK, f"{gap_text}.", "", "ok")


def _gap_text(facts: HealthFacts, days: int) -> str:
    """How long ago the last meeting (or the start, when none) was."""
    if facts.last_meeting_on is None:
        return ngettext(
            "No meeting since the start, %(days)s day ago",
            "No meeting since the start, %(days)s days ago",
            days,
        ) % {"days": days}
    return ngettext("Last meeting %(days)s day ago", "Last meeting %(days)s days ago", days) % {
        "days": days
    }


def _low_satisfaction(low: int | None) -> Health | None:
    """At risk when the latest check-in scored 2/5 or less."""
    if low is None or low > LOW_SATISFACTION:
        return None
    return Health(
        HealthState.AT_RISK,
        _("Satisfaction of %(score)s/5 in the latest check-in.") % {"score": low},
        _("Talk to each person separately to understand what is not working."),
        "low_satisfaction",
    )


def _meeting_gap(
    days: int, interval: int, gap_text: str, planned: str, messaged: str = ""
) -> Health | None:
    """At risk (or to watch, with a planned meeting or a recent message) after two
    intervals without a meeting; to watch after one interval with nothing planned."""
    expected = ngettext(
        "one expected every %(n)s day", "one expected every %(n)s days", interval
    ) % {"n": interval}
    if days > AT_RISK_INTERVALS * interval:
        if planned:
            return Health(
                HealthState.TO_WATCH,
                f"{gap_text} ({expected}); {planned}.",
                _("Check after the planned meeting that it took place."),
                "no_meeting",
            )
        if messaged:
            return Health(
                HealthState.TO_WATCH,
                f"{gap_text} ({expected}); {messaged}.",
                _("They keep in touch by message: encourage them to plan a meeting."),
                "no_meeting",
            )
        return Health(
            HealthState.AT_RISK,
            f"{gap_text} ({expected}).",
            _("Contact the pair to find out what is blocking and help them plan meetings."),
            "no_meeting",
        )
    if days > interval and not planned:
        return Health(
            HealthState.TO_WATCH,
            f"{gap_text} ({expected}).",
            _("The pair has been reminded; check that a meeting gets planned."),
            "no_meeting",
        )
    return None


def _stale_proposal(facts: HealthFacts, today: date) -> Health | None:
    """To watch when a meeting proposal has waited a week or more for an answer."""
    if facts.oldest_proposal_on is None:
        return None
    waiting = (today - facts.oldest_proposal_on).days
    if waiting < STALE_PROPOSAL_DAYS:
        return None
    return Health(
        HealthState.TO_WATCH,
        ngettext(
            "A meeting proposal has waited %(days)s day for an answer.",
            "A meeting proposal has waited %(days)s days for an answer.",
            waiting,
        )
        % {"days": waiting},
        _("Ask the person who has not answered to accept or suggest another time."),
        "stale_proposal",
    )


def _middling_satisfaction(low: int | None) -> Health | None:
    """To watch when the latest check-in scored 3/5."""
    if low != MIDDLING_SATISFACTION:
        return None
    return Health(
        HealthState.TO_WATCH,
        _("Satisfaction of %(score)s/5 in the latest check-in.") % {"score": low},
        _("Read the check-in comments and offer help if needed."),
        "middling_satisfaction",
    )


def health_rules() -> str:
    """The rules of `compute_health` in words, shown to coordinators with the states."""
    return _(
        "At risk: a satisfaction of 2/5 or less in the latest check-in, or no meeting for "
        "more than twice the expected interval (30 days divided by the edition's meetings "
        "per month) with none planned. To watch: no meeting for more than the interval, a "
        "proposal unanswered for %(days)s days, a satisfaction of 3/5, or a long gap "
        "softened by a planned meeting or by messages. Messages count as contact, with "
        "less weight than a meeting: a message from the mentor or the mentee within the "
        "last interval turns “at risk” into “to watch”, but never "
        "replaces a meeting. A pair with no contact at all has held no meeting and "
        "exchanged no message since it started."
    ) % {"days": STALE_PROPOSAL_DAYS}
