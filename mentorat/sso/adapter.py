"""allauth's social accounts as Mentorat wants them: the apps are the organisations'
connections (`mentorat.sso.apps_source`), a provider signs in only the addresses of its
organisation's domains, and an account with that address is linked, never duplicated."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.sso import selectors
from mentorat.sso.apps_source import OIDC_PROVIDER, SAML_PROVIDER, social_app
from mentorat.sso.mfa import provider_did_mfa
from mentorat.sso.models import Connection, Preset, Protocol

# Set on the social login when the provider vouched for a second factor: read by the
# two-factor stage of the sign-in (`mentorat.sso.stages`) and kept in the session
# (`mentorat.sso.receivers`).
PROVIDER_MFA_STATE = "mentorat_provider_mfa"


def _refuse(request: HttpRequest, reason: str) -> ImmediateHttpResponse:
    response = render(request, "sso/refused.html", {"reason": reason}, status=403)
    return ImmediateHttpResponse(response)


def _asserted_email(sociallogin: SocialLogin) -> str:
    email = getattr(sociallogin.user, "email", "") or ""
    if not email and sociallogin.email_addresses:
        email = sociallogin.email_addresses[0].email
    return email.strip().lower()


def _provider_verified_email(connection: Connection, sociallogin: SocialLogin, email: str) -> bool:
    """Whether the provider asserted that `email` is verified. OpenID Connect says so in
    the `email_verified` claim (allauth reads it into the address; Entra ID's optional
    `xms_edov` claim says the same for a domain its tenant verified). SAML has no such
    statement: the assertion of a provider whose domain is proven is all there is."""
    if connection.protocol == Protocol.SAML:
        return True
    if any(a.verified and a.email.lower() == email for a in sociallogin.email_addresses):
        return True
    if connection.preset == Preset.ENTRA:
        extra = sociallogin.account.extra_data or {}
        claims = {**(extra.get("id_token") or {}), **(extra.get("userinfo") or {})}
        return claims.get("xms_edov") in (True, "true", "1", 1)
    return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """The apps of the enabled connections. Asked for all of them (the page of
        connected accounts), only those of the person's own organisations: the sign-in
        page never lists which organisations use which provider."""
        connections = selectors.active_connections()
        if provider == OIDC_PROVIDER:
            connections = connections.filter(protocol=Protocol.OIDC)
        elif provider == SAML_PROVIDER:
            connections = connections.filter(protocol=Protocol.SAML)
        elif provider:
            connections = connections.filter(key=provider)
        if client_id:
            connections = connections.filter(Q(key=client_id) | Q(client_id=client_id))
        if provider is None and client_id is None:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return []
            connections = connections.filter(organization__memberships__user=user).distinct()
        apps = [social_app(connection) for connection in connections]
        return [app for app in apps if not client_id or app.client_id == client_id]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # pre_social_login refused every address outside the organisation's domains.
        return True

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        connection = selectors.connection_by_key(sociallogin.account.provider)
        if connection is None:
            raise _refuse(request, _("This sign-in connection is not active."))
        email = _asserted_email(sociallogin)
        if not selectors.domain_belongs_to(connection, email):
            raise _refuse(
                request,
                _(
                    "The provider signed in %(email)s, whose domain is not one of "
                    "%(organization)s's: ask its admins to add it."
                )
                % {"email": email or "?", "organization": connection.organization.name},
            )
        asserted_verified = _provider_verified_email(connection, sociallogin, email)
        # The provider of an organisation that proved it controls the domain is the
        # authority on the domain's addresses.
        for address in sociallogin.email_addresses:
            if address.email.lower() == email:
                address.verified = True
        sociallogin.state[PROVIDER_MFA_STATE] = provider_did_mfa(
            connection, sociallogin.account.extra_data
        )
        if sociallogin.is_existing:
            self._check_may_use_sso(request, sociallogin.user)
            return
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            self._check_may_use_sso(request, user)
            if not asserted_verified:
                # Taking over an account needs the provider's word that this person
                # owns the address, not only that it exists in its directory.
                raise _refuse(
                    request,
                    _(
                        "An account already uses %(email)s, and the provider did not "
                        "confirm that this address is verified: it cannot be linked. Ask "
                        "%(organization)s's admins to have the provider send email_verified."
                    )
                    % {"email": email, "organization": connection.organization.name},
                )
            self._link(request, sociallogin, user, connection, email)

    def _check_may_use_sso(self, request: HttpRequest, user: Any) -> None:
        # Platform admins sign in with their password and their code only: an
        # organisation's provider never opens the platform's administration.
        if user.is_staff or not user.is_active:
            raise _refuse(
                request, _("This account cannot sign in through an organisation's provider.")
            )

    def _link(
        self,
        request: HttpRequest,
        sociallogin: SocialLogin,
        user: User,
        connection: Connection,
        email: str,
    ) -> None:
        """Link the provider's account to the existing one with the same address. If
        that address was never confirmed, whoever registered it could not prove it was
        theirs: the password they chose stops working."""
        confirmed = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True)
        if not confirmed.exists():
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        sociallogin.connect(request, user)
        record(
            action="sso.account.linked",
            actor=user,
            organization=connection.organization,
            target=connection,
            request=request,
        )
