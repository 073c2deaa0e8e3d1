"""The networking events of a program in its report, per organisation taking part (the
owner and each partner the program is shared with): events held, registrations,
attendance rate, attending mentees and contacts made per mentee. The counts come from
`mentorat.events.selectors.event_figures_by_organization` (a fixed number of queries);
here they become `Figure`s, so that groups of 1 to 4 people are hidden like every other
figure of the reports."""

from django.utils.translation import gettext as _

from mentorat.events.selectors import event_figures_by_organization
from mentorat.programs.models import Program
from mentorat.reports.figures import Figure, Unit, average, count, percent
from mentorat.reports.tables import Table


def events_table(program: Program, *, organizations: frozenset[int] | None = None) -> Table:
    """The table; `organizations` (a partner's view) keeps only their lines."""
    table = Table(
        "events",
        _("Networking events by organisation"),
        [
            _("Organisation"),
            _("Events held"),
            _("Registrations"),
            _("Attendance rate"),
            _("Mentees attending"),
            _("Contacts made per mentee"),
        ],
        note=_(
            "Events of the program held so far. A person counts for the organisation of "
            "their application to the program; the first line counts everyone."
        ),
    )
    for k, line in enumerate(event_figures_by_organization(program=program)):
        if organizations is not None and line.organization_id not in organizations:
            continue
        people = line.people
        # The whole program's number of events says nothing about anyone; an
        # organisation's does (the events its people went to), so it hides with them.
        events = Figure(float(line.events), 0 if k == 0 else people, Unit.COUNT)
        table.rows.append(
            [
                _("Whole program") if k == 0 else line.name,
                events,
                Figure(float(line.registered), people, Unit.COUNT),
                Figure(percent(line.attended, line.registered), people, Unit.PERCENT),
                count(line.mentees_attending),
                average(line.contacts, line.mentees_attending, unit=Unit.RATE),
            ]
        )
    return table
