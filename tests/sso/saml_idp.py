"""An identity provider built with pysaml2 for the SAML tests: a self-signed key and
certificate generated here, its metadata (which the admin uploads), and signed answers
to Mentorat's authentication requests."""

import base64
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

ENTITY_ID = "https://idp.acme.test/saml/metadata"
SSO_URL = "https://idp.acme.test/saml/sso"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MFA_CONTEXT = "https://refeds.org/profile/mfa"


def _key_and_certificate(folder: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _config(folder: Path, sp_metadata: str | None) -> IdPConfig:
    key_file, cert_file = (
        (folder / "idp.key", folder / "idp.crt")
        if (folder / "idp.key").exists()
        else _key_and_certificate(folder)
    )
    settings: dict[str, Any] = {
        "entityid": ENTITY_ID,
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "service": {
            "idp": {
                "endpoints": {"single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
                "want_authn_requests_signed": False,
            }
        },
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
    }
    config = IdPConfig()
    config.load(settings)
    return config


@dataclass
class SAMLIdentityProvider:
    folder: Path

    def metadata(self) -> str:
        """The provider's metadata, as its administrator hands it over."""
        return str(create_metadata_string(None, config=_config(self.folder, None)).decode())

    def answer(
        self,
        *,
        sp_metadata: str,
        saml_request: str,
        email: str,
        uid: str,
        context: str = PASSWORD_CONTEXT,
        signed: bool = True,
    ) -> tuple[str, str]:
        """The signed response (XML) to the AuthnRequest Mentorat sent, and the URL of
        Mentorat's assertion consumer service to POST it to."""
        server = Server(config=_config(self.folder, sp_metadata))
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        acs_url = request.assertion_consumer_service_url
        response = server.create_authn_response(
            identity={"mail": [email], "givenName": ["Grace"], "sn": ["Hopper"]},
            in_response_to=request.id,
            destination=acs_url,
            sp_entity_id=request.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=uid),
            authn={"class_ref": context, "authn_auth": ENTITY_ID},
            sign_assertion=signed,
            sign_response=False,
            sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
        )
        return str(response), acs_url


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


__all__ = ["BINDING_HTTP_POST", "MFA_CONTEXT", "PASSWORD_CONTEXT", "SAMLIdentityProvider", "encode"]
