"""The organisation admins' single sign-on pages: connections (OpenID Connect with the
Entra ID and Google presets, SAML from uploaded metadata), email domains, the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Role
from mentorat.sso import services
from mentorat.sso.adapter import SocialAccountAdapter
from mentorat.sso.models import Connection, EmailDomain
from tests.sso.flows import verified_domain
from tests.sso.saml_idp import ENTITY_ID, SSO_URL, SAMLIdentityProvider

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

SECRET = "entra-client-secret-9f3k"


def _new_oidc(client, slug: str, **values: str):
    data = {
        "name": "Université A (Entra ID)",
        "enabled": "on",
        "default_role": Role.MENTEE,
        "trust_provider_mfa": "on",
        "preset": "entra",
        "tenant": "univ-a.onmicrosoft.com",
        "client_id": "11111111-2222",
        "client_secret": SECRET,
    } | values
    return client.post(
        reverse("sso:connection_new", args=[slug]) + "?protocol=oidc", data, follow=True
    )


def test_an_admin_adds_an_entra_connection_whose_secret_is_never_shown_again(cast, client_for):
    client = client_for(cast.admin_a)
    response = _new_oidc(client, cast.org_a.slug)

    connection = Connection.objects.get(organization=cast.org_a)
    assert connection.client_secret == SECRET
    assert response.redirect_chain[-1][0] == reverse("sso:domain_add", args=[connection.pk])
    settings_page = client.get(reverse("sso:settings", args=[cast.org_a.slug]))
    text = settings_page.content.decode()
    assert SECRET not in text
    assert "••••" + SECRET[-4:] in text
    assert "https://login.microsoftonline.com/univ-a.onmicrosoft.com/v2.0" in text
    assert f"/accounts/oidc/{connection.key}/login/callback/" in text
    entry = AuditEntry.objects.get(action="sso.connection.created")
    assert entry.organization == cast.org_a
    assert SECRET not in str(entry.data)
    assert "client_secret" in entry.data["changed"]
    # The edit form does not show it either, and an empty field keeps it.
    edit_url = reverse("sso:connection_edit", args=[connection.pk])
    assert SECRET not in client.get(edit_url).content.decode()
    client.post(
        edit_url,
        {
            "name": "Université A",
            "enabled": "on",
            "default_role": Role.MENTOR,
            "preset": "entra",
            "tenant": "univ-a.onmicrosoft.com",
            "client_id": "11111111-2222",
            "client_secret": "",
        },
    )
    connection.refresh_from_db()
    assert (connection.client_secret, connection.default_role, connection.trust_provider_mfa) == (
        SECRET,
        Role.MENTOR,
        False,
    )
    changed = AuditEntry.objects.get(action="sso.connection.updated").data["changed"]
    assert changed == ["default_role", "name", "trust_provider_mfa"]


def test_the_google_preset_needs_its_workspace_domain(cast, client_for):
    response = _new_oidc(
        client_for(cast.admin_a), cast.org_a.slug, preset="google", tenant="", hosted_domain=""
    )

    assert response.status_code == 200
    assert "Give your Google Workspace domain" in response.content.decode()
    assert not Connection.objects.exists()


def test_an_admin_uploads_the_saml_metadata_and_sees_ours(cast, client_for, tmp_path):
    client = client_for(cast.admin_a)
    metadata = SAMLIdentityProvider(tmp_path).metadata()
    client.post(
        reverse("sso:connection_new", args=[cast.org_a.slug]) + "?protocol=saml",
        {
            "name": "Shibboleth",
            "enabled": "on",
            "default_role": Role.MENTOR,
            "metadata": SimpleUploadedFile("idp.xml", metadata.encode(), "text/xml"),
        },
    )

    connection = Connection.objects.get(organization=cast.org_a)
    assert (connection.idp_entity_id, connection.idp_sso_url) == (ENTITY_ID, SSO_URL)
    assert connection.idp_x509cert
    page = client.get(reverse("sso:settings", args=[cast.org_a.slug])).content.decode()
    assert f"/accounts/saml/{connection.key}/metadata/" in page
    sp_metadata = client.get(reverse("saml_metadata", args=[connection.key]))
    assert 'WantAssertionsSigned="true"' in sp_metadata.content.decode()


def test_unreadable_metadata_is_a_form_error(cast, client_for):
    response = client_for(cast.admin_a).post(
        reverse("sso:connection_new", args=[cast.org_a.slug]) + "?protocol=saml",
        {
            "name": "Broken",
            "enabled": "on",
            "default_role": Role.MENTOR,
            "metadata": SimpleUploadedFile("idp.xml", b"<not-metadata/>", "text/xml"),
        },
    )

    assert response.status_code == 200
    assert "The metadata" in response.content.decode()
    assert not Connection.objects.exists()


@pytest.fixture
def connection_of_a(cast):
    return services.save_connection(
        organization=cast.org_a,
        protocol="oidc",
        values={
            "name": "Identity of Université A",
            "preset": "generic",
            "server_url": "https://id.a.test",
            "client_id": "x",
        },
        client_secret="y",
    )


def test_a_claimed_domain_is_private_normalised_and_pending(cast, client_for, connection_of_a):
    client = client_for(cast.admin_a)
    url = reverse("sso:domain_add", args=[connection_of_a.pk])

    public = client.post(url, {"domain": "gmail.com"})
    assert "public email service" in public.content.decode()
    malformed = client.post(url, {"domain": "not a domain"})
    assert "Give a domain such as example.org." in malformed.content.decode()
    added = client.post(url, {"domain": " @Univ-A.FR "}, follow=True)

    claim = EmailDomain.objects.get()
    assert (claim.domain, claim.status) == ("univ-a.fr", "pending")
    assert AuditEntry.objects.get(action="sso.domain.added").data["domain"] == "univ-a.fr"
    # The page says what to publish, and that nobody signs in through it until then.
    page = added.content.decode()
    assert "_mentorat-challenge.univ-a.fr" in page
    assert f"mentorat-verification={claim.token}" in page
    assert "Check now" in page
    assert "Approve as platform admin" not in page
    again = client.post(url, {"domain": "univ-a.fr"})
    assert "Your organisation has already claimed univ-a.fr." in again.content.decode()


def test_removing_a_domain_and_a_connection_is_logged(cast, client_for, connection_of_a):
    client = client_for(cast.admin_a)
    domain = services.add_domain(connection=connection_of_a, domain="univ-a.fr")

    client.post(reverse("sso:domain_remove", args=[domain.pk]))
    client.post(reverse("sso:connection_delete", args=[connection_of_a.pk]))

    assert not Connection.objects.exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "sso.domain.removed",
        "sso.connection.deleted",
    }


def test_the_sign_in_page_lists_no_organisation_provider(cast, client, connection_of_a):
    verified_domain(connection_of_a, "univ-a.fr")

    page = client.get(reverse("account_login")).content.decode()

    assert "Sign in with your organisation" in page
    assert connection_of_a.name not in page
    assert "id.a.test" not in page
    assert SocialAccountAdapter().list_apps(None) == []


def test_a_member_sees_only_the_providers_of_their_organisations(rf, cast, connection_of_a):
    services.save_connection(
        organization=cast.org_b,
        protocol="oidc",
        values={
            "name": "B",
            "preset": "generic",
            "server_url": "https://id.b.test",
            "client_id": "x",
        },
        client_secret="y",
    )
    request = rf.get("/")
    request.user = cast.mentor

    assert [app.provider_id for app in SocialAccountAdapter().list_apps(request)] == [
        connection_of_a.key
    ]
