"""A real OpenID provider for the tests: django-oauth-toolkit in a second process
(tests/sso/idp), with an RS256 key generated here, on a port of its own."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class OpenIDProvider:
    base_url: str

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    def register(
        self, *, client_id: str, client_secret: str, redirect_uri: str, people: list[dict[str, Any]]
    ) -> None:
        """Register Mentorat as a client and create the provider's people."""
        response = requests.post(
            f"{self.base_url}/testing/setup/",
            json={
                "client": {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "redirect_uri": redirect_uri,
                },
                "people": people,
            },
            timeout=30,
        )
        response.raise_for_status()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def running_provider(folder: Path) -> Iterator[OpenIDProvider]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso.idp.settings",
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "IDP_RSA_KEY": _rsa_key_pem(),
        "IDP_ISSUER": f"{base_url}/o",
        # The provider runs on plain HTTP on the loopback interface.
        "OAUTHLIB_INSECURE_TRANSPORT": "1",
        "PYTHONPATH": str(ROOT),
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    log = (folder / "idp.log").open("w")
    process = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base_url}/o/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((folder / "idp.log").read_text()) from None
                time.sleep(0.2)
        yield OpenIDProvider(base_url)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
