"""Erasure pages: the person's request, and the organisation admins' list and decision."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mentorat.lib.views import AuthenticatedHttpRequest, action, form_errors
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.privacy_erasure import (
    access_erasure_request,
    can_handle_erasure_requests,
)
from mentorat.privacy.erasure.forms import ErasureRequestForm, RefusalForm
from mentorat.privacy.erasure.models import ErasureStatus
from mentorat.privacy.erasure.selectors import (
    latest_request_of,
    organizations_holding,
    pending_request_of,
    reasons_to_keep,
    requests_for_organization,
)
from mentorat.privacy.erasure.services import (
    cancel_erasure_request,
    confirm_erasure_request,
    refuse_erasure_request,
    request_erasure,
)


@login_required
def erasure_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's page: what erasure does, the request, its state, and cancelling."""
    person = request.user
    here = reverse("privacy:erasure_request")
    pending = pending_request_of(person)
    if request.method == "POST" and "cancel" in request.POST:
        if pending is None:
            messages.error(request, _("You have no pending request."))
            return redirect(here)
        return action(
            request,
            run=lambda: cancel_erasure_request(
                erasure_request=pending, person=person, request=request
            ),
            success=_("Your request is cancelled: your data stays."),
            next_url=here,
        )
    form = ErasureRequestForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and pending is None and form.is_valid():
        with form_errors(form):
            made = request_erasure(person=person, request=request)
            if made.status == ErasureStatus.CONFIRMED:
                logout(request)
                messages.success(request, _("Your data has been erased and your account closed."))
                return redirect("web:home")
            messages.success(
                request,
                _(
                    "Your request is recorded. The organisations holding your data "
                    "answer within a month."
                ),
            )
            return redirect(here)
    return render(
        request,
        "privacy_erasure/erasure_request.html",
        {
            "form": form,
            "pending": pending,
            "latest": latest_request_of(person),
            "organizations": organizations_holding(person),
        },
    )


@login_required
def erasure_requests(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's requests, pending first by deadline; overdue ones stand out."""
    organization = access_organization(request.user, slug, request=request)
    require(can_handle_erasure_requests(request.user, organization))
    return render(
        request,
        "privacy_erasure/erasure_requests.html",
        {"organization": organization, "requests": requests_for_organization(organization)},
    )


@login_required
def erasure_request_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """One request: who, when, the deadline, any reason to keep data; confirm or refuse."""
    organization = access_organization(request.user, slug, request=request)
    require(can_handle_erasure_requests(request.user, organization))
    erasure_request = access_erasure_request(organization, pk)
    here = reverse("privacy:erasure_request_detail", kwargs={"slug": slug, "pk": pk})
    decision = request.POST.get("decision") if request.method == "POST" else None
    refusal = RefusalForm(request.POST if decision == "refuse" else None)
    if decision == "confirm":
        return action(
            request,
            run=lambda: confirm_erasure_request(
                erasure_request=erasure_request,
                actor=request.user,
                organization=organization,
                request=request,
            ),
            success=_("The request is confirmed: the person's data has been erased."),
            next_url=here,
        )
    if decision == "refuse" and refusal.is_valid():
        with form_errors(refusal, "reason"):
            refuse_erasure_request(
                erasure_request=erasure_request,
                actor=request.user,
                organization=organization,
                reason=refusal.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, _("The request is refused; the person is told why."))
            return redirect(here)
    reasons = (
        reasons_to_keep(erasure_request.person, organization) if erasure_request.is_pending else []
    )
    return render(
        request,
        "privacy_erasure/erasure_request_detail.html",
        {
            "organization": organization,
            "erasure_request": erasure_request,
            "reasons": reasons,
            "refusal": refusal,
            "other_organizations": erasure_request.organizations.exclude(
                pk=organization.pk
            ).count(),
        },
    )
