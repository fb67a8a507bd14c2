"""The okta/okta provider stand-in: configuration (HCL, then OKTA_* env) and type registry."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import requests
import requests.auth
from tf.iface import DataSource, Resource

from okta_sandbox.provider import app_policies, app_rules, controls, datasources, signon, zones
from okta_sandbox.provider.api import ApiError, OktaApi, RetryPolicy
from okta_sandbox.provider.base import ApiHolder, ProviderError, known
from okta_sandbox.provider.oauth import PrivateKeyJwt
from okta_sandbox.provider.schema_table import PROVIDER
from okta_sandbox.provider.tfschema import build_schema

FULL_NAME = "registry.terraform.io/okta/okta"

RESOURCES: list[type[Any]] = [
    zones.NetworkZone,
    signon.PolicySignon,
    signon.PolicyRuleSignon,
    app_policies.AppSignonPolicy,
    app_policies.AppSignonPolicyRule,
    app_rules.AppSignonPolicyRules,
    app_policies.AppAccessPolicyAssignment,
    controls.ThreatInsightSettings,
    controls.ApiToken,
]
DATA_SOURCES: list[type[Any]] = [
    zones.NetworkZoneData,
    datasources.GroupData,
    datasources.UserData,
    datasources.AppData,
    datasources.AppSignonPolicyData,
    datasources.PolicyData,
    datasources.DefaultPolicyData,
]

ENV_FALLBACKS = {
    "org_name": "OKTA_ORG_NAME",
    "base_url": "OKTA_BASE_URL",
    "api_token": "OKTA_API_TOKEN",
    "access_token": "OKTA_ACCESS_TOKEN",
    "client_id": "OKTA_API_CLIENT_ID",
    "private_key": "OKTA_API_PRIVATE_KEY",
    "private_key_id": "OKTA_API_PRIVATE_KEY_ID",
    "scopes": "OKTA_API_SCOPES",
    "http_proxy": "OKTA_HTTP_PROXY",
}
TOKEN_CONFLICTS = ("client_id", "private_key", "scopes")


def settings(config: dict[str, Any], environ: dict[str, str]) -> dict[str, Any]:
    """Provider arguments with the okta/okta environment fallbacks applied."""
    merged = {k: v for k, v in config.items() if known(v)}
    for name, env in ENV_FALLBACKS.items():
        if name not in merged and environ.get(env):
            merged[name] = environ[env]
    return merged


def config_errors(cfg: dict[str, Any]) -> list[str]:
    errors = []
    if cfg.get("api_token") and cfg.get("access_token"):
        errors.append('"api_token": conflicts with access_token')
    for token in ("api_token", "access_token"):
        errors += [
            f'"{token}": conflicts with {o}'
            for o in TOKEN_CONFLICTS
            if cfg.get(token) and cfg.get(o)
        ]
    checks = (
        ("max_retries", 0, 100),
        ("log_level", 1, 5),
        ("max_api_capacity", 1, 100),
        ("request_timeout", 0, 300),
    )
    for name, low, high in checks:
        value = cfg.get(name)
        if value is not None and not low <= value <= high:
            errors.append(f"expected {name} to be in the range ({low} - {high}), got {value}")
    return errors


def _pem(value: str) -> str:
    """okta/okta takes the private key as PEM text or as a path to a PEM file."""
    if "-----BEGIN" in value:
        return value.replace("\\n", "\n")
    try:
        return Path(value).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"private_key: not PEM text and not a readable file: {error}") from None


def private_key_jwt(base_url: str, cfg: dict[str, Any]) -> requests.auth.AuthBase:
    """OAuth 2.0 client credentials with a private_key_jwt assertion."""
    if not cfg.get("private_key"):
        raise ValueError("client_id needs private_key (OKTA_API_PRIVATE_KEY)")
    scopes = cfg.get("scopes")
    if isinstance(scopes, str):
        scopes = [s for s in scopes.replace(",", " ").split() if s]
    if not scopes:
        raise ValueError("client_id needs scopes (OKTA_API_SCOPES)")
    return PrivateKeyJwt(
        base_url,
        str(cfg["client_id"]),
        _pem(str(cfg["private_key"])),
        cfg.get("private_key_id") or None,
        sorted(scopes),
    )


def build_client(cfg: dict[str, Any]) -> OktaApi:
    if cfg.get("http_proxy"):
        base_url = str(cfg["http_proxy"]).rstrip("/")
    elif cfg.get("org_name") and cfg.get("base_url"):
        base_url = f"https://{cfg['org_name']}.{cfg['base_url']}"
    else:
        raise ValueError(
            "org_name and base_url (or http_proxy) must be set: "
            "OKTA_ORG_NAME / OKTA_BASE_URL / OKTA_HTTP_PROXY"
        )
    auth: requests.auth.AuthBase | str
    if cfg.get("api_token"):
        auth = f"SSWS {cfg['api_token']}"
    elif cfg.get("access_token"):
        auth = f"Bearer {cfg['access_token']}"
    elif cfg.get("client_id"):
        auth = private_key_jwt(base_url, cfg)
    else:
        raise ValueError(
            "no credentials: set api_token (OKTA_API_TOKEN), access_token, or client_id + "
            "private_key + scopes (OKTA_API_CLIENT_ID, OKTA_API_PRIVATE_KEY, OKTA_API_SCOPES)"
        )
    retry = RetryPolicy(
        max_retries=int(cfg.get("max_retries", 5)),
        max_wait=float(cfg.get("max_wait_seconds", 30)),
    )
    timeout = float(cfg["request_timeout"]) if cfg.get("request_timeout") else 30.0
    return OktaApi(base_url, auth, retry, timeout)


def verify_credentials(api: OktaApi, cfg: dict[str, Any]) -> None:
    """okta/provider/provider.go:128-152 and okta/config/config.go:257-271 (v6.12.0): with an
    SSWS token (only), configure checks it with `GET /api/v1/users/me`, once with each of the
    SDKs the provider carries (v3, then v2); OAuth credentials are not checked."""
    if not cfg.get("api_token"):
        return
    for sdk in ("v3", "v2"):
        try:
            api.get("/api/v1/users/me")
        except (ApiError, requests.RequestException) as error:
            raise ProviderError(f"error with {sdk} SDK client: {error}") from error


class OktaProvider(ApiHolder):
    def get_model_prefix(self) -> str:
        return "okta_"

    def full_name(self) -> str:
        return FULL_NAME

    def get_provider_schema(self, diags: Any) -> Any:
        return build_schema(PROVIDER)

    def validate_config(self, diags: Any, config: dict[str, Any]) -> None:
        for error in config_errors({k: v for k, v in config.items() if known(v)}):
            diags.add_error(error)

    def configure_provider(self, diags: Any, config: dict[str, Any]) -> None:
        try:
            cfg = settings(config, dict(os.environ))
            self.client = build_client(cfg)
        except ValueError as error:
            diags.add_error("invalid provider configuration", str(error))
            return
        if not os.environ.get("OKTA_VCR_TF_ACC"):
            try:
                verify_credentials(self.client, cfg)
            except ProviderError as error:
                diags.add_error(error.summary, error.detail)

    def get_data_sources(self) -> list[type[DataSource]]:
        return DATA_SOURCES

    def get_resources(self) -> list[type[Resource]]:
        return RESOURCES

    def get_functions(self) -> list[Any]:
        return []

    def new_resource(self, klass: type[Any]) -> Any:
        return klass(self)

    def new_data_source(self, klass: type[Any]) -> Any:
        return klass(self)
