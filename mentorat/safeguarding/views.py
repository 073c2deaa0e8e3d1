"""Coordinators' pages: an edition's mentors with their safeguarding checks, recording a
check, revoking one. Each checks access, then calls one service."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page
from mentorat.permissions import require
from mentorat.permissions.programs import access_program
from mentorat.permissions.safeguarding import (
    access_check,
    access_edition,
    access_mentor,
    can_manage_checks,
    mentor_scope,
    recording_organization,
    revocable_organization_ids,
)
from mentorat.programs.models import Program
from mentorat.safeguarding import selectors, services
from mentorat.safeguarding.forms import CheckForm
from mentorat.safeguarding.models import SafeguardingCheck


def _program(request: AuthenticatedHttpRequest, slug: str) -> Program:
    program = access_program(request.user, slug, request=request)
    require(can_manage_checks(request.user, program))
    return program


@login_required
@require_GET
def mentor_list(request: AuthenticatedHttpRequest, slug: str, edition_pk: int) -> HttpResponse:
    program = _program(request, slug)
    edition = access_edition(request.user, program, edition_pk)
    today = timezone.localdate()
    mentors = selectors.edition_mentors(
        edition=edition, scope=mentor_scope(request.user, program), on=today
    )
    return render(
        request,
        "safeguarding/mentor_list.html",
        {
            "program": program,
            "edition": edition,
            "mentors": mentors,
            "today": today,
            "checked": sum(1 for m in mentors if m.valid is not None),
            "minors": selectors.minor_mentees_waiting(edition=edition),
            "revocable": revocable_organization_ids(request.user, program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_record(
    request: AuthenticatedHttpRequest, slug: str, edition_pk: int, pk: int
) -> HttpResponse:
    program = _program(request, slug)
    edition = access_edition(request.user, program, edition_pk)
    mentor = access_mentor(request.user, edition, pk)
    organization = recording_organization(request.user, program, mentor)
    form = CheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})

    def save() -> SafeguardingCheck:
        data = form.cleaned_data
        return services.record_check(
            program=program,
            mentor=mentor,
            organization=organization,
            kind=data["kind"],
            kind_detail=data["kind_detail"],
            checked_on=data["checked_on"],
            valid_until=data["valid_until"],
            actor=request.user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Safeguarding check recorded."),
        next_url=lambda _check: reverse("safeguarding:mentors", args=[program.slug, edition.pk]),
        template="safeguarding/check_form.html",
        context={
            "program": program,
            "edition": edition,
            "mentor": mentor,
            "organization": organization,
        },
    )


@login_required
@require_POST
def check_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _program(request, slug)
    check = access_check(request.user, program, pk)
    back = request.POST.get("edition", "")
    edition = program.editions.filter(pk=int(back)).first() if back.isdigit() else None
    next_url = (
        reverse("safeguarding:mentors", args=[program.slug, edition.pk])
        if edition is not None
        else reverse("programs:manage", args=[program.slug])
    )
    return action(
        request,
        run=lambda: services.revoke_check(check=check, actor=request.user, request=request),
        success=_("Safeguarding check revoked."),
        next_url=next_url,
    )
