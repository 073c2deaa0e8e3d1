"""Helpers shared by the follow-up pages: views parse input, ask
`mentorat.permissions.mentorships`, call one service and present the result; they run in the
signed-in person's time zone."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import (
    Mentorship,
)
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_mentorship,
    can_work_in,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _workspace(mentorship: Mentorship) -> HttpResponse:
    return redirect("mentorships:workspace", pk=mentorship.pk)


@contextmanager
def _form_errors(form: forms.Form) -> Iterator[None]:
    """Run a service for a valid form: a DomainError it raises becomes the form's error
    (and the page is shown again), else the block goes on to its success message."""
    try:
        yield
    except DomainError as error:
        form.add_error(None, error.message)


@contextmanager
def _flashed_errors(request: HttpRequest) -> Iterator[None]:
    """Run a service for a button: a DomainError it raises is shown as an error message
    and skips the rest of the block (its success message)."""
    try:
        yield
    except DomainError as error:
        messages.error(request, error.message)


def _pair_page(request: HttpRequest, pk: int) -> tuple[User, Mentorship]:
    """The signed-in person and their active pair (403 for coordinators, 404 outsiders)."""
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(can_work_in(user, mentorship))
    return user, mentorship


def _link_invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request, "mentorships/check_in_invalid.html", {"error": error.message}, status=410
    )
