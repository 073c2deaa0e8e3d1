"""What every view does around its one service call: who is signed in, turning a
`DomainError` into a form error or a flash message, and the form page and button
shapes ("show the form, call the service, say it worked, go back").

Views parse input, check permissions, call one service and present the result; these
helpers keep the presenting part identical everywhere."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from mentorat.lib.errors import DomainError

if TYPE_CHECKING:
    # Typing only: `lib` sits below the apps and imports none of them at run time.
    from mentorat.accounts.models import User

T = TypeVar("T")


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required`: its user is a signed-in `User`."""

    user: "User"


def user_of(request: HttpRequest) -> "User":
    """The signed-in person of a view behind `login_required` (or the anonymous user of
    a public page, which the permission functions accept as a person without rights)."""
    return request.user  # type: ignore[return-value]


@contextmanager
def on_domain_error(show: Callable[[str], object]) -> Iterator[None]:
    """Run a service: a `DomainError` it raises is passed (its translated message) to
    `show` and skips the rest of the block — typically its success message and redirect."""
    try:
        yield
    except DomainError as error:
        show(error.message)


@contextmanager
def form_errors(form: forms.BaseForm, field: str | None = None) -> Iterator[None]:
    """Run a service for a valid form: a `DomainError` becomes the form's error (on
    `field`, or the whole form) and the page is shown again. An error listing problems
    by field (`DomainError.field_errors`) puts each one on its own field of the form
    (on the whole form for a name the form does not have), so all show at once."""
    try:
        yield
    except DomainError as error:
        if not error.field_errors:
            form.add_error(field, error.message)
        for name, messages in error.field_errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else field, message)


def flashed_errors(request: HttpRequest) -> AbstractContextManager[None]:
    """Run a service for a button: a `DomainError` is shown as an error message."""
    return on_domain_error(lambda message: messages.error(request, message))


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    next_url: Callable[[T], str],
    template: str,
    context: dict[str, Any],
    error_field: str | None = None,
) -> HttpResponse:
    """A page with one form: on a valid POST, `save()` (one service call); if it works,
    flash `success` (or `success(result)`) and redirect to `next_url(result)`, else show
    its error in the form. GET and invalid forms render `template` with `form` and
    `context`."""
    if request.method == "POST" and form.is_valid():
        with form_errors(form, error_field):
            result = save()
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result))
    return render(request, template, {"form": form, **context})


def action(
    request: HttpRequest, *, run: Callable[[], object], success: str, next_url: str
) -> HttpResponse:
    """A POST button (delete, retry, resend…): call one service, flash `success` or
    its error, and go back to `next_url`."""
    with flashed_errors(request):
        run()
        messages.success(request, success)
    return redirect(next_url)


def stored_text_language() -> str:
    """Which side ("fr" or "en") of the texts stored in both languages (score
    explanations, reasons) the current request reads: English for English, else French."""
    return "en" if (get_language() or "fr").startswith("en") else "fr"
