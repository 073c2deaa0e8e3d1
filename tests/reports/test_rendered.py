"""Heavy report outputs drawn by a worker, not by the request (issue 23, point 4): a
program's charts are drawn again in the background after its data change, and an annual
PDF is built by a task while the page asking for it waits, then downloaded."""

import re

import pytest
from django.urls import reverse
from django_tasks import default_task_backend

from mentorat.audit.services import record
from mentorat.reports import rendered
from mentorat.reports.tasks import build_annual_pdf, draw_organization_charts
from tests.reports.test_pages import url

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def queued(settings):
    """Tasks are queued for a worker (and kept here), not run during the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.REPORT_CHARTS_IN_BACKGROUND = True
    default_task_backend.results.clear()
    return default_task_backend.results


def test_a_change_has_the_charts_drawn_by_a_worker_before_anyone_asks(
    dataset, cast, client_for, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(action="mentorships.session.logged", organization=cast.org_a)
        record(action="mentorships.session.logged", organization=cast.org_a)
    (task,) = queued  # at most once a minute per organisation
    assert task.task.func is draw_organization_charts.func
    assert task.args == [cast.org_a.pk]

    assert draw_organization_charts.call(cast.org_a.pk) > 0
    assert draw_organization_charts.call(cast.org_a.pk) == 0  # all kept now

    page = client_for(cast.coordinator_a).get(url(dataset)).content.decode()
    chart_urls = re.findall(r'src="([^"]+\.svg\?v=[0-9a-f]+)"', page)
    assert chart_urls
    for chart_url in chart_urls:
        digest = chart_url.rsplit("v=", 1)[1]
        kept = rendered.kept_svg_by_digest(digest)
        assert kept is not None, chart_url
        assert client_for(cast.coordinator_a).get(chart_url.replace("&amp;", "&")).content == kept


def test_an_annual_pdf_is_built_by_a_worker_while_the_page_waits(dataset, cast, client_for, queued):
    client = client_for(cast.coordinator_a)
    pdf_url = url(dataset, "reports:annual_pdf")

    waiting = client.get(pdf_url, {"lang": "en"})
    assert waiting.status_code == 202
    assert waiting["Refresh"]
    assert "The PDF is being prepared" in waiting.content.decode()
    assert client.get(pdf_url, {"lang": "en"}).status_code == 202
    (task,) = queued  # asked twice, built once

    build_annual_pdf.call(*task.args)
    ready = client.get(pdf_url, {"lang": "en"})
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF")
    # Another reader's scope or language is another file.
    assert client.get(pdf_url, {"lang": "fr"}).status_code == 202


def test_without_a_worker_the_pdf_is_built_during_the_request(dataset, cast, client_for):
    response = client_for(cast.coordinator_a).get(
        reverse("reports:annual_pdf", kwargs={"slug": dataset.program.slug})
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
