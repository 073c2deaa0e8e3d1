"""The API key pages of an organisation: list, create (the key shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorat.api import services
from mentorat.api.forms import ApiKeyForm
from mentorat.api.selectors import keys_of
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_errors
from mentorat.permissions import require
from mentorat.permissions.api import access_api_key, can_manage_api_keys
from mentorat.permissions.organizations import access_organization


@login_required
def key_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's keys and the form to create one; after creating, the same
    page shows the new key's full text, once (it is not kept)."""
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_api_keys(request.user, organization))
    form = ApiKeyForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            _key, secret = services.create_api_key(
                organization=organization,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                actor=request.user,
                request=request,
            )
            form = ApiKeyForm()
    response = render(
        request,
        "api/key_list.html",
        {
            "organization": organization,
            "keys": keys_of(organization=organization),
            "form": form,
            "secret": secret,
            "now": timezone.now(),
        },
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def key_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_api_keys(request.user, organization))
    key = access_api_key(request.user, organization, pk)
    with flashed_errors(request):
        services.revoke_api_key(key=key, actor=request.user, request=request)
        messages.success(request, _("The key is revoked: calls with it are refused from now on."))
    return redirect("api:key_list", slug=organization.slug)
