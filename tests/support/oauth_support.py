"""RSA keys for the OAuth private_key_jwt tests (the session's shared one: `rsa_key_pems` in
conftest), and a sandbox service app's OAuth environment."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from okta_sandbox import Sandbox


def new_rsa_key_pems() -> tuple[str, str]:
    """A fresh RSA key: (private key PEM, PKCS8; public key PEM, SubjectPublicKeyInfo)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


def service_app_env(
    org: Sandbox, key_dir: Path, pems: tuple[str, str], scopes: Iterable[str]
) -> dict[str, str]:
    """The OAuth environment (private_key_jwt) of a new service app of `org` granted `scopes`,
    signing with `pems` (private, public); the private key is written to `key_dir`/key.pem."""
    private, public = pems
    client_id = org.add_service_app(public, list(scopes))
    key = key_dir / "key.pem"
    key.write_text(private)
    return {
        "OKTA_ORG_URL": org.org_url,
        "OKTA_API_CLIENT_ID": client_id,
        "OKTA_API_PRIVATE_KEY": str(key),
    }
