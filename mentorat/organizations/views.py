from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.lib.views import (
    AuthenticatedHttpRequest,
    action,
    flashed_errors,
    form_page,
    user_of,
)
from mentorat.organizations import selectors, services
from mentorat.organizations.forms import (
    InvitationForm,
    MemberFilterForm,
    MemberRolesForm,
    OrganizationDetailsForm,
    OrganizationSignupForm,
    ReviewForm,
)
from mentorat.organizations.models import ApprovalStatus, Invitation, Organization, Role
from mentorat.permissions import require
from mentorat.permissions.members import can_manage_members
from mentorat.permissions.organizations import (
    access_organization,
    can_invite,
    can_view_audit_log,
    can_view_members,
    invitable_roles,
    roles_by_organization,
    roles_in,
)
from mentorat.permissions.partnerships import (
    access_organization_to_review,
    can_view_partnerships,
)
from mentorat.permissions.programs import can_create_program


@login_required
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = selectors.organizations_for(user=request.user)
    return render(request, "organizations/organization_list.html", {"organizations": organizations})


@login_required
def organization_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organization = access_organization(user, slug, request=request)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "my_roles": [Role(r).label for r in sorted(roles_in(user, organization))],
            "partnerships": selectors.partnerships_of(organization=organization),
            "role_counts": selectors.role_counts(organization=organization),
            "can_view_members": can_view_members(user, organization),
            "can_view_audit_log": can_view_audit_log(user, organization),
            "can_invite": can_invite(user, organization),
            "can_manage_members": can_manage_members(user, organization),
            "can_manage_programs": can_create_program(user, organization),
            "can_edit": can_manage_members(user, organization),
            "can_view_partnerships": can_view_partnerships(user, organization),
            # Partners are links only for readers who may open them (else a 404).
            "open_organization_ids": set(roles_by_organization(user)),
        },
    )


@login_required
def member_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organization = access_organization(user, slug, request=request)
    require(can_view_members(user, organization))
    form = MemberFilterForm(request.GET or None)
    search = role = ""
    if form.is_valid():
        search, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page = Paginator(
        selectors.members_of(organization=organization, search=search, role=role), 50
    ).get_page(request.GET.get("page"))
    template = (
        "organizations/_member_rows.html" if request.htmx else "organizations/member_list.html"  # type: ignore[attr-defined]
    )
    return render(
        request,
        template,
        {
            "organization": organization,
            "page": page,
            "form": form,
            "can_invite": can_invite(user, organization),
            "can_manage_members": can_manage_members(user, organization),
        },
    )


def _member_to_manage(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> tuple[Organization, User]:
    """The organisation and one of its members, for someone who may manage members;
    404 for a person who is not a member there."""
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_members(request.user, organization))
    member = get_object_or_404(
        User.objects.filter(memberships__organization=organization).distinct(), pk=pk
    )
    return organization, member


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a member's roles in the organisation (organisation admins)."""
    organization, member = _member_to_manage(request, slug, pk)
    held = sorted(roles_in(member, organization))
    # Bound on every POST: unticking every box posts nothing, which must be an error.
    form = MemberRolesForm(
        request.POST if request.method == "POST" else None, initial={"roles": held}
    )
    members_url = reverse("organizations:members", args=[organization.slug])
    return form_page(
        request,
        form=form,
        save=lambda: services.set_member_roles(
            organization=organization,
            user=member,
            roles=form.cleaned_data["roles"],
            actor=request.user,
            request=request,
        ),
        success=_("Roles updated."),
        next_url=lambda _result: members_url,
        template="organizations/member_edit.html",
        context={"organization": organization, "member": member},
        error_field="roles",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then remove a person from the organisation (organisation admins)."""
    organization, member = _member_to_manage(request, slug, pk)
    members_url = reverse("organizations:members", args=[organization.slug])
    if request.method == "POST":
        return action(
            request,
            run=lambda: services.remove_member(
                organization=organization, user=member, actor=request.user, request=request
            ),
            success=_("The person was removed from the organisation."),
            next_url=members_url,
        )
    return render(
        request,
        "organizations/member_remove.html",
        {"organization": organization, "member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organization = access_organization(user, slug, request=request)
    roles = invitable_roles(user, organization)
    require(bool(roles))
    form = InvitationForm(request.POST or None, roles=roles)

    def save() -> Invitation:
        return services.invite_member(
            organization=organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=lambda invitation: _("Invitation sent to %(email)s.") % {"email": invitation.email},
        next_url=lambda _invitation: reverse("organizations:detail", args=[organization.slug]),
        template="organizations/invite.html",
        context={"organization": organization},
        error_field="email",
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public landing page of an invitation link; accepting needs the invited account."""
    try:
        invitation = services.invitation_from_token(token)
    except DomainError as error:
        return render(
            request, "organizations/invitation_invalid.html", {"error": error.message}, status=410
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        with flashed_errors(request):
            services.accept_invitation(token=token, user=user_of(request), request=request)
            messages.success(
                request,
                _("Welcome to %(organization)s!") % {"organization": invitation.organization},
            )
            return redirect("organizations:detail", slug=invitation.organization.slug)
    elif not request.user.is_authenticated:
        # The link proves the address: an account created with it needs no second check.
        get_adapter(request).stash_verified_email(request, invitation.email)
    return render(request, "organizations/invitation.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def signup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register one's organisation; the person becomes its admin, and it waits for the
    platform's approval."""
    form = OrganizationSignupForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.sign_up_organization(
            user=request.user, request=request, **form.cleaned_data
        ),
        success=_(
            "Your organisation is registered. The platform examines it and emails you its "
            "decision; meanwhile you can prepare your programs."
        ),
        next_url=lambda organization: reverse("organizations:detail", args=[organization.slug]),
        template="organizations/signup.html",
        context={},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's details (its admins)."""
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_members(request.user, organization))
    fields = ("name", "siret", "uai", "address", "city", "region", "website", "description")
    form = OrganizationDetailsForm(
        request.POST or None, initial={name: getattr(organization, name) for name in fields}
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.update_organization(
            organization=organization, actor=request.user, request=request, **form.cleaned_data
        ),
        success=_("The organisation's details were saved."),
        next_url=lambda _result: reverse("organizations:detail", args=[organization.slug]),
        template="organizations/organization_edit.html",
        context={"organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Approve or refuse an organisation that signed up (platform admins)."""
    organization = access_organization_to_review(request.user, slug)
    form = ReviewForm(request.POST or None)

    def save() -> Organization:
        decide = (
            services.approve_organization
            if form.cleaned_data["decision"] == "approve"
            else services.refuse_organization
        )
        return decide(
            organization=organization,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Decision recorded; the organisation's admin receives it by email."),
        next_url=lambda _result: reverse("web:home"),
        template="organizations/review.html",
        context={
            "organization": organization,
            "admins": selectors.members_of(organization=organization, role=Role.ADMIN),
            "pending": organization.approval_status == ApprovalStatus.PENDING,
        },
        error_field="reason",
    )
