"""The site's URLs plus one view that always fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mentorat.urls import urlpatterns as site_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
