"""Pages of the opportunities board: what a person may apply to, an organisation's
offers, one opportunity, its candidates and one candidacy, and the actions on them.
Each view checks access (`mentorat.permissions.opportunities`), calls one service and
presents the result."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.lib.markdown import render_markdown
from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page
from mentorat.opportunities import selectors, services
from mentorat.opportunities.forms import FilterForm, InterestForm, OpportunityForm, OutcomeForm
from mentorat.opportunities.models import (
    Candidacy,
    CandidacyStatus,
    Opportunity,
    OpportunityStatus,
)
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.opportunities import (
    STAFF,
    access_candidacy,
    access_opportunity,
    can_apply,
    can_decide,
    can_manage_opportunities,
    can_recommend,
)
from mentorat.permissions.organizations import access_organization, roles_by_organization


@login_required
def list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The board: opportunities open to the person, with filters; her candidacies; her
    mentees' candidacies to recommend; links to the offers of her organisations."""
    user = request.user
    form = FilterForm(request.GET or None)
    filters = selectors.Filters()
    if form.is_valid():
        filters = selectors.Filters(**form.cleaned_data)
    page = Paginator(selectors.open_for(user, filters), 20).get_page(request.GET.get("page"))
    staff_of = [pk for pk, roles in roles_by_organization(user).items() if roles & STAFF]
    return render(
        request,
        "opportunities/list.html",
        {
            "form": form,
            "page": page,
            "mine": selectors.candidacies_of(user),
            "mentees": selectors.candidacies_of_mentees(user),
            "organizations": Organization.objects.filter(pk__in=staff_of).order_by("name"),
        },
    )


def _managed_organization(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_opportunities(request.user, organization))
    return organization


@login_required
def organization_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _managed_organization(request, slug)
    return render(
        request,
        "opportunities/organization_list.html",
        {"organization": organization, "opportunities": selectors.offers_of(organization)},
    )


def _form_page(
    request: AuthenticatedHttpRequest, organization: Organization, opportunity: Opportunity | None
) -> HttpResponse:
    organizations, programs = services.audience_choices(organization)
    initial: dict[str, object] = {}
    if opportunity is not None:
        initial = {
            name: getattr(opportunity, name)
            for name in (
                "kind", "title", "field", "rome_domain", "place", "starts_on", "ends_on",
                "deadline", "places", "description", "contact",
            )
        }  # fmt: skip
        initial["audience_programs"] = [p.pk for p in opportunity.audience_programs.all()]
        initial["audience_organizations"] = [o.pk for o in opportunity.audience_organizations.all()]
    else:
        initial = {"contact": request.user.pk}
    form = OpportunityForm(
        request.POST or None,
        initial=initial,
        organization=organization,
        organizations=organizations,
        programs=programs,
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.save_opportunity(
            organization=organization,
            opportunity=opportunity,
            data=form.data_for_service(),
            actor=request.user,
            request=request,
        ),
        success=_("Opportunity saved."),
        next_url=lambda saved: reverse("opportunities:detail", args=[saved.pk]),
        template="opportunities/form.html",
        context={"organization": organization, "opportunity": opportunity},
        error_field="title",
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, _managed_organization(request, slug), None)


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Opportunity:
    opportunity = access_opportunity(request.user, pk)
    require(can_manage_opportunities(request.user, opportunity.organization))
    return opportunity


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    return _form_page(request, opportunity.organization, opportunity)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    opportunity = access_opportunity(user, pk)
    manage = can_manage_opportunities(user, opportunity.organization)
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "description": render_markdown(opportunity.description),
            "audience_organizations": opportunity.audience_organizations.all(),
            "audience_programs": opportunity.audience_programs.select_related("organization"),
            "can_manage": manage,
            "can_apply": can_apply(user, opportunity) and services.open_to_apply(opportunity),
            "mine": Candidacy.objects.filter(opportunity=opportunity, candidate=user).first(),
            "candidates": opportunity.candidacies.count() if manage else None,
            "statuses": OpportunityStatus,
        },
    )


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    return action(
        request,
        run=lambda: services.publish_opportunity(
            opportunity=opportunity, actor=request.user, request=request
        ),
        success=_("Opportunity published: its audience sees it now."),
        next_url=reverse("opportunities:detail", args=[pk]),
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    return action(
        request,
        run=lambda: services.close_opportunity(
            opportunity=opportunity, actor=request.user, request=request
        ),
        success=_("Opportunity closed: it no longer receives candidacies."),
        next_url=reverse("opportunities:detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = access_opportunity(request.user, pk)
    require(can_apply(request.user, opportunity))
    form = InterestForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.express_interest(
            opportunity=opportunity,
            candidate=request.user,
            message=form.cleaned_data["message"],
            request=request,
        ),
        success=_("Your interest is sent to the organisation. Your mentor can recommend you."),
        next_url=lambda candidacy: reverse("opportunities:candidacy", args=[candidacy.pk]),
        template="opportunities/apply.html",
        context={"opportunity": opportunity},
        error_field="message",
    )


@login_required
def candidates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    candidacies = [*selectors.candidates_of(opportunity)]  # `list` is the board view here
    return render(
        request,
        "opportunities/candidates.html",
        {
            "opportunity": opportunity,
            "candidacies": candidacies,
            # New candidacies nobody has answered yet: the contact was emailed of each.
            "awaiting": sum(c.status == CandidacyStatus.INTERESTED for c in candidacies),
            "statuses": CandidacyStatus,
        },
    )


@login_required
def candidacy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access_candidacy(user, pk)
    decide = can_decide(user, found)
    return render(
        request,
        "opportunities/candidacy.html",
        {
            "candidacy": found,
            "opportunity": found.opportunity,
            "can_decide": decide
            and found.status in (CandidacyStatus.INTERESTED, CandidacyStatus.SHORTLISTED),
            "can_recommend": can_recommend(user, found) and found.recommended_by_id is None,
            "outcome_form": OutcomeForm(kind=found.opportunity.kind)
            if decide
            and found.status == CandidacyStatus.ACCEPTED
            and found.outcome_id is None
            and found.opportunity.kind in services.OUTCOME_SITUATIONS
            else None,
            "statuses": CandidacyStatus,
        },
    )


@login_required
@require_POST
def recommend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access_candidacy(request.user, pk)
    require(can_recommend(request.user, found))
    return action(
        request,
        run=lambda: services.recommend_candidate(
            candidacy=found, mentor=request.user, request=request
        ),
        success=_("Recommendation sent: the organisation sees it with the candidacy."),
        next_url=reverse("opportunities:candidacy", args=[pk]),
    )


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access_candidacy(request.user, pk)
    require(can_decide(request.user, found))
    decision = request.POST.get("decision", "")
    return action(
        request,
        run=lambda: services.decide_candidacy(
            candidacy=found, decision=decision, actor=request.user, request=request
        ),
        success=_("Decision saved; the candidate is emailed."),
        next_url=reverse("opportunities:candidacy", args=[pk]),
    )


@login_required
@require_POST
def outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access_candidacy(request.user, pk)
    require(can_decide(request.user, found))
    return action(
        request,
        run=lambda: services.record_candidacy_outcome(
            candidacy=found,
            situation=request.POST.get("situation", ""),
            actor=request.user,
            request=request,
        ),
        success=_("Recorded as the mentee's outcome: the partnership reports count it."),
        next_url=reverse("opportunities:candidacy", args=[pk]),
    )
