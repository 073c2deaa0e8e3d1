"""allauth's two-factor step of the sign-in, skipped when the organisation's provider
vouched for a second factor (`mentorat.sso.mfa`); it still applies otherwise.
`mentorat.accounts.adapter.AccountAdapter.get_login_stages` puts it in allauth's place."""

from allauth.mfa.stages import AuthenticateStage as BaseAuthenticateStage
from django.http import HttpRequest

from mentorat.sso.adapter import PROVIDER_MFA_STATE


class AuthenticateStage(BaseAuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(PROVIDER_MFA_STATE):
            return False
        return bool(super()._should_handle(request))
