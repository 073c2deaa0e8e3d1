from collections.abc import Iterator

import pytest

from tests.sso.dns_server import Zone, running_dns_server
from tests.sso.oidc_provider import OpenIDProvider, running_provider


@pytest.fixture(scope="module")
def openid_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenIDProvider]:
    with running_provider(tmp_path_factory.mktemp("idp")) as provider:
        yield provider


@pytest.fixture
def dns_zone(settings) -> Iterator[Zone]:
    """A DNS server of the test's own, which Mentorat's domain checks ask."""
    with running_dns_server() as (zone, address):
        settings.SSO_DNS_NAMESERVERS = [address]
        settings.SSO_DNS_TIMEOUT_SECONDS = 2
        yield zone
