"""The demo has threads: the named pair's (a message waits for the mentee), a reported
message waiting for the university's coordinators, and a minors' thread of the lycée
that its coordinator reads by right."""

from django.urls import reverse

from mentorat.accounts.models import User
from mentorat.conversations.models import MessageReport, Thread
from mentorat.conversations.selectors import open_reports, unread_thread_count
from mentorat.demo.loader import load_demo


def test_demo_threads(db, client_for):
    load_demo()
    mentee = User.objects.get(email="mentoree@universite.demo")
    assert unread_thread_count(mentee) == 1
    coordinator = User.objects.get(email="coordination@universite.demo")
    [report] = open_reports(coordinator)
    assert report.message.body.startswith("Ajoute-moi")
    assert MessageReport.objects.count() == 1
    minors = Thread.objects.get(mentorship__mentee_application__is_minor=True)
    school = User.objects.get(email="coordination@lycee.demo")
    page = client_for(school).get(
        reverse("conversations:thread", kwargs={"pk": minors.mentorship_id})
    )
    assert page.status_code == 200
    assert b'id="minors-notice"' in page.content
    assert b"je lis ce fil" in page.content
    # Messages are dated within their pair's dates.
    for thread in Thread.objects.select_related("mentorship"):
        for message in thread.messages.all():
            assert message.created_at.date() >= thread.mentorship.started_on
            if thread.mentorship.ended_on:
                assert message.created_at.date() <= thread.mentorship.ended_on
