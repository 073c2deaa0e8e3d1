"""The demo's opportunities: partners' offers to the lycée and the university, with
candidates, one accepted and recorded as an outcome that the partnership report counts."""

import pytest

from mentorat.demo.loader import load_demo
from mentorat.demo.opportunities import seed
from mentorat.opportunities.models import Candidacy, CandidacyStatus, Opportunity
from mentorat.organizations.models import Partnership
from mentorat.partnerships.report import partnership_report

pytestmark = pytest.mark.django_db


def test_demo_opportunities_lead_to_an_outcome():
    load_demo()
    assert Opportunity.objects.filter(organization__slug="nexalis").count() == 3
    assert Opportunity.objects.filter(organization__slug="banque").count() == 2
    accepted = Candidacy.objects.get(status=CandidacyStatus.ACCEPTED)
    assert accepted.outcome is not None
    assert accepted.recommended_by is not None
    partnership = Partnership.objects.get(organization__slug="nexalis", partner__slug="lycee")
    report = partnership_report(partnership=partnership)
    nexalis = report.sides[0]
    assert nexalis.outcomes_total == 1
    assert [line.places for line in nexalis.kinds] == [3, 2, 8]  # internship, alternance, day
    count = Candidacy.objects.count()
    assert seed() == 0  # a second run changes nothing
    assert Candidacy.objects.count() == count
