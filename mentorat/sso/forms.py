from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.sso.models import Connection
from mentorat.sso.services import OIDC_FIELDS, SAML_FIELDS

METADATA_MAX_BYTES = 1_000_000


class OIDCConnectionForm(forms.ModelForm[Connection]):
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Kept on the server and never shown again. Leave empty to keep the saved one."),
    )

    class Meta:
        model = Connection
        fields = OIDC_FIELDS
        widgets = {"preset": forms.RadioSelect}
        help_texts = {
            "server_url": _(
                "Any OpenID Connect provider: the address before /.well-known/openid-configuration."
            ),
            "tenant": _("Microsoft Entra ID: the directory (tenant) ID or its domain."),
            "hosted_domain": _("Google Workspace: only accounts of this domain are offered."),
        }


class SAMLConnectionForm(forms.ModelForm[Connection]):
    metadata = forms.FileField(
        label=_("Identity provider's metadata (XML file)"),
        required=False,
        help_text=_("Or give the address where the provider publishes it."),
    )

    class Meta:
        model = Connection
        fields = SAML_FIELDS

    def clean_metadata(self) -> str:
        upload = self.cleaned_data.get("metadata")
        if not upload:
            return ""
        if upload.size > METADATA_MAX_BYTES:
            raise forms.ValidationError(_("The metadata file is too large (1 MB at most)."))
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The metadata file must be XML in UTF-8.")) from error


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Email domain"), max_length=253, help_text=_("e.g. example.org")
    )


class StartForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work or school email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
