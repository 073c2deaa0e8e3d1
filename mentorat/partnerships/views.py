"""Pages of partnerships: an organisation's partnerships and the directory to find new
partners, one partnership with its agreements and commitments, and the actions on them.
Each view checks access (`mentorat.permissions.partnerships`), calls one service and
presents the result."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus
from mentorat.partnerships import selectors, services
from mentorat.partnerships.forms import (
    AgreementForm,
    DirectoryForm,
    ProposalForm,
    ReasonForm,
    SignatureForm,
    commitment_field_name,
)
from mentorat.partnerships.models import Agreement
from mentorat.partnerships.pdf import agreement_pdf
from mentorat.partnerships.report import partnership_report, report_pdf
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.partnerships import (
    access_agreement,
    access_partnership,
    can_answer,
    can_manage_partnership,
    can_manage_partnerships,
    can_view_partnerships,
    managed_side,
)


def _organization(request: AuthenticatedHttpRequest, slug: str, *, manage: bool) -> Organization:
    organization = access_organization(request.user, slug, request=request)
    require(
        can_manage_partnerships(request.user, organization)
        if manage
        else can_view_partnerships(request.user, organization)
    )
    return organization


@login_required
def partnership_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request, slug, manage=False)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "organization": organization,
            "partnerships": selectors.partnerships_of(organization=organization),
            "can_manage": can_manage_partnerships(request.user, organization),
        },
    )


@login_required
def directory(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Approved organisations to propose a partnership to (the organisation's admins)."""
    organization = _organization(request, slug, manage=True)
    form = DirectoryForm(request.GET or None)
    search = kind = city = ""
    if form.is_valid():
        search, kind, city = (form.cleaned_data[k] for k in ("q", "kind", "city"))
    page = Paginator(
        selectors.directory(exclude=organization, search=search, kind=kind, city=city), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/directory.html",
        {
            "organization": organization,
            "form": form,
            "page": page,
            "linked": selectors.live_partner_ids(organization=organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Propose a partnership to the organisation `?partner=<slug>` of the directory (the
    partner is a parameter, not a path segment: it is no child of the organisation)."""
    organization = _organization(request, slug, manage=True)
    partner = request.POST.get("partner") or request.GET.get("partner") or ""
    other = get_object_or_404(selectors.directory(exclude=organization), slug=partner)
    form = ProposalForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.propose_partnership(
            organization=organization,
            partner=other,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            actor=request.user,
            request=request,
        ),
        success=_("Proposal sent; the organisation's admins are emailed."),
        next_url=lambda partnership: reverse("partnerships:detail", args=[partnership.pk]),
        template="partnerships/propose.html",
        context={"organization": organization, "partner": other},
    )


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A partnership, its agreements and each one's commitments against what happened."""
    user = request.user
    partnership = access_partnership(user, pk)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "progress": selectors.agreements_progress(agreements=partnership.agreements.all()),
            "can_answer": can_answer(user, partnership)
            and partnership.status == PartnershipStatus.PROPOSED,
            "can_manage": can_manage_partnership(user, partnership)
            and partnership.status == PartnershipStatus.ACTIVE,
            "my_side": managed_side(user, partnership),
            "statuses": PartnershipStatus,
            "reminder_days": selectors.REMINDER_DAYS,
        },
    )


def _answerable(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = access_partnership(request.user, pk)
    require(can_answer(request.user, partnership))
    return partnership


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _answerable(request, pk)
    return action(
        request,
        run=lambda: services.accept_partnership(
            partnership=partnership, actor=request.user, request=request
        ),
        success=_("Partnership accepted."),
        next_url=reverse("partnerships:detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _answerable(request, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.decline_partnership(
            partnership=partnership,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            request=request,
        ),
        success=_("Proposal declined; the other organisation's admins are emailed."),
        next_url=lambda _result: reverse("partnerships:detail", args=[pk]),
        template="partnerships/decline.html",
        context={"partnership": partnership},
        error_field="reason",
    )


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = access_partnership(request.user, pk)
    require(can_manage_partnership(request.user, partnership))
    return partnership


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end the partnership (either side's admin)."""
    partnership = _managed(request, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.end_partnership(
            partnership=partnership,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            request=request,
        ),
        success=_("Partnership ended."),
        next_url=lambda _result: reverse("partnerships:detail", args=[pk]),
        template="partnerships/end.html",
        context={
            "partnership": partnership,
            "shared": services.programs_shared_between(
                partnership.organization, partnership.partner
            ),
        },
        error_field="reason",
    )


def _agreement_page(
    request: AuthenticatedHttpRequest, partnership: Partnership, agreement: Agreement | None
) -> HttpResponse:
    initial: dict[str, object] = {}
    if agreement is not None:
        initial = {
            "school_year": agreement.school_year,
            "edition": agreement.edition_id,
            "terms": agreement.terms,
        }
        for c in agreement.commitments.all():
            initial[commitment_field_name(c.organization_id, c.kind)] = c.quantity
    form = AgreementForm(
        request.POST or None,
        initial=initial,
        partnership=partnership,
        editions=selectors.editions_for_agreement(partnership),
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.save_agreement(
            partnership=partnership,
            agreement=agreement,
            school_year=form.cleaned_data["school_year"],
            edition=form.cleaned_data["edition"],
            terms=form.cleaned_data["terms"],
            commitments=form.commitments(),
            actor=request.user,
            request=request,
        ),
        success=_("Agreement saved. Each side's admin now signs it."),
        next_url=lambda _result: reverse("partnerships:detail", args=[partnership.pk]),
        template="partnerships/agreement_form.html",
        context={"partnership": partnership, "agreement": agreement},
        error_field="school_year",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, _managed(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    partnership = _managed(request, agreement.partnership_id)
    return _agreement_page(request, partnership, agreement)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record one's side's signature (its admin, for the named signatory)."""
    agreement = access_agreement(request.user, pk)
    partnership = agreement.partnership
    side = managed_side(request.user, partnership)
    require(side is not None)
    assert side is not None
    [progress] = selectors.agreements_progress(agreements=Agreement.objects.filter(pk=pk))
    form = SignatureForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.sign_agreement(
            agreement=agreement,
            organization=side,
            signatory_name=form.cleaned_data["signatory_name"],
            signatory_role=form.cleaned_data["signatory_role"],
            actor=request.user,
            request=request,
        ),
        success=_("Signature recorded."),
        next_url=lambda _result: reverse("partnerships:detail", args=[partnership.pk]),
        template="partnerships/agreement_sign.html",
        context={"partnership": partnership, "progress": progress, "side": side},
        error_field="signatory_name",
    )


@login_required
def agreement_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access_agreement(request.user, pk)
    found = selectors.agreements_progress(agreements=Agreement.objects.filter(pk=pk))
    if not found:
        raise Http404
    response = HttpResponse(agreement_pdf(found[0]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{pk}.pdf"'
    return response


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The yearly review of the partnership (`?year=2026` for 2026–2027), both sides."""
    partnership = access_partnership(request.user, pk)
    return render(
        request,
        "partnerships/report.html",
        {
            "report": partnership_report(
                partnership=partnership, year=_year(request.GET.get("year"))
            ),
            "partnership": partnership,
        },
    )


@login_required
def report_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The yearly review as a PDF (`?year=2026`; default: the current school year)."""
    partnership = access_partnership(request.user, pk)
    found = partnership_report(partnership=partnership, year=_year(request.GET.get("year")))
    year = found.year
    response = HttpResponse(report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="partnership-{pk}-review-{year}.pdf"'
    return response
