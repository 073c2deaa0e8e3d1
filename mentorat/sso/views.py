"""Pages of single sign-on: an organisation's connections and domains (its admins), and
the first step of signing in with an organisation's provider (everyone)."""

from typing import Any

from allauth.account.utils import get_next_redirect_url
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.sso import (
    access_connection,
    access_domain_approval,
    access_email_domain,
    access_sso_settings,
)
from mentorat.sso import selectors, services
from mentorat.sso.apps_source import oidc_issuer, social_app
from mentorat.sso.forms import DomainForm, OIDCConnectionForm, SAMLConnectionForm, StartForm
from mentorat.sso.models import Connection, Protocol


def _endpoints(request: HttpRequest, connection: Connection) -> dict[str, str]:
    """The addresses the provider's administrator registers on their side."""
    if connection.is_oidc:
        callback = reverse("openid_connect_callback", kwargs={"provider_id": connection.key})
        return {"redirect_uri": request.build_absolute_uri(callback)}
    return {
        "metadata": request.build_absolute_uri(reverse("saml_metadata", args=[connection.key])),
        "acs": request.build_absolute_uri(reverse("saml_acs", args=[connection.key])),
        "entity_id": request.build_absolute_uri(reverse("saml_metadata", args=[connection.key])),
    }


@login_required
def settings_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_sso_settings(request.user, slug, request=request)
    connections = [
        (connection, _endpoints(request, connection), oidc_issuer(connection))
        for connection in selectors.connections_of(organization)
    ]
    return render(
        request,
        "sso/settings.html",
        {
            "organization": organization,
            "connections": connections,
            "may_approve": is_platform_admin(request.user),
        },
    )


def _connection_form(
    request: AuthenticatedHttpRequest, protocol: str, instance: Connection | None
) -> OIDCConnectionForm | SAMLConnectionForm:
    data = request.POST if request.method == "POST" else None
    if protocol == Protocol.OIDC:
        return OIDCConnectionForm(data, instance=instance)
    return SAMLConnectionForm(data, request.FILES or None, instance=instance)


def _save(
    request: AuthenticatedHttpRequest,
    form: OIDCConnectionForm | SAMLConnectionForm,
    *,
    organization: Any,
    protocol: str,
    connection: Connection | None,
) -> Connection:
    values = {name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields}
    return services.save_connection(
        organization=organization,
        protocol=protocol,
        values=values,
        client_secret=form.cleaned_data.get("client_secret", ""),
        metadata_xml=form.cleaned_data.get("metadata", ""),
        connection=connection,
        actor=request.user,
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_sso_settings(request.user, slug, request=request)
    protocol = request.GET.get("protocol", Protocol.OIDC)
    if protocol not in Protocol.values:
        raise Http404
    # A new, unsaved connection: ModelForm would write into it, the service saves.
    form = _connection_form(
        request, protocol, Connection(organization=organization, protocol=protocol)
    )
    return form_page(
        request,
        form=form,
        save=lambda: _save(
            request, form, organization=organization, protocol=protocol, connection=None
        ),
        success=_("Connection saved. Add the email domains it signs in."),
        next_url=lambda connection: reverse("sso:domain_add", args=[connection.pk]),
        template="sso/connection_form.html",
        context={"organization": organization, "protocol": protocol, "connection": None},
        error_field=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    connection = access_connection(request.user, pk, request=request)
    organization = connection.organization
    # The form edits a copy: a refused change leaves the saved row as it was.
    saved = Connection.objects.get(pk=connection.pk)
    form = _connection_form(request, connection.protocol, connection)
    return form_page(
        request,
        form=form,
        save=lambda: _save(
            request, form, organization=organization, protocol=saved.protocol, connection=saved
        ),
        success=_("Connection saved."),
        next_url=lambda _connection: reverse("sso:settings", args=[organization.slug]),
        template="sso/connection_form.html",
        context={
            "organization": organization,
            "protocol": connection.protocol,
            "connection": saved,
            "endpoints": _endpoints(request, saved),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    connection = access_connection(request.user, pk, request=request)
    next_url = reverse("sso:settings", args=[connection.organization.slug])
    if request.method == "POST":
        return action(
            request,
            run=lambda: services.delete_connection(
                connection=connection, actor=request.user, request=request
            ),
            success=_("Connection deleted."),
            next_url=next_url,
        )
    return render(
        request,
        "sso/confirm_delete.html",
        {"organization": connection.organization, "object": connection, "back": next_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def domain_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    connection = access_connection(request.user, pk, request=request)
    form = DomainForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.add_domain(
            connection=connection,
            domain=form.cleaned_data["domain"],
            actor=request.user,
            request=request,
        ),
        success=_(
            "Domain claimed. Publish the TXT record shown below, then check it: until "
            "then nobody signs in through this domain."
        ),
        next_url=lambda _domain: reverse("sso:settings", args=[connection.organization.slug]),
        template="sso/domain_form.html",
        context={"organization": connection.organization, "connection": connection},
    )


@login_required
@require_POST
def domain_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email_domain = access_email_domain(request.user, pk, request=request)
    next_url = reverse("sso:settings", args=[email_domain.connection.organization.slug])
    checked = services.check_domain(email_domain=email_domain, actor=request.user, request=request)
    if checked.is_verified:
        messages.success(
            request,
            _("%(domain)s is verified: its addresses now sign in through this connection.")
            % {"domain": checked.domain},
        )
    else:
        messages.error(request, checked.failure_message)
    return redirect(next_url)


@login_required
@require_POST
def domain_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email_domain = access_domain_approval(request.user, pk, request=request)
    return action(
        request,
        run=lambda: services.approve_domain(
            email_domain=email_domain, actor=request.user, request=request
        ),
        success=_("Domain approved: its addresses now sign in through this connection."),
        next_url=reverse("sso:settings", args=[email_domain.connection.organization.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def domain_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email_domain = access_email_domain(request.user, pk, request=request)
    organization = email_domain.connection.organization
    next_url = reverse("sso:settings", args=[organization.slug])
    if request.method == "POST":
        return action(
            request,
            run=lambda: services.remove_domain(
                email_domain=email_domain, actor=request.user, request=request
            ),
            success=_("Domain removed."),
            next_url=next_url,
        )
    return render(
        request,
        "sso/confirm_delete.html",
        {"organization": organization, "object": email_domain, "back": next_url},
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Sign in with your organisation: the address typed names the organisation's
    provider, where the browser goes next. Other addresses sign in with a password."""
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        connection = selectors.connection_for_email(email)
        if connection is None:
            messages.info(
                request,
                _("No organisation signs in %(email)s through its provider: use your password.")
                % {"email": email},
            )
            return redirect("account_login")
        provider = social_app(connection).get_provider(request)
        response: HttpResponse
        next_url = get_next_redirect_url(request)
        if connection.is_oidc:
            response = provider.redirect(
                request,
                process="login",
                next_url=next_url,
                auth_params={**provider.get_auth_params(), "login_hint": email},
            )
        else:
            response = provider.redirect(request, process="login", next_url=next_url)
        return response
    next_url = get_next_redirect_url(request)
    return render(request, "sso/start.html", {"form": form, "next": next_url or ""})
