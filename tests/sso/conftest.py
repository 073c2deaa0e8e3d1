from collections.abc import Iterator

import pytest

from tests.sso.oidc_provider import OpenIDProvider, running_provider


@pytest.fixture(scope="module")
def openid_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenIDProvider]:
    with running_provider(tmp_path_factory.mktemp("idp")) as provider:
        yield provider
