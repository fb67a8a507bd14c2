"""The okta/okta provider stand-in: configuration (HCL, then OKTA_* env) and type registry."""

from __future__ import annotations

import os
from typing import Any

from tf.iface import DataSource, Resource

from generator.sandbox.provider import app_policies, datasources, signon, zones
from generator.sandbox.provider.api import OktaApi, RetryPolicy
from generator.sandbox.provider.base import ApiHolder, known
from generator.sandbox.provider.schema_table import PROVIDER
from generator.sandbox.provider.tfschema import build_schema

FULL_NAME = "registry.terraform.io/okta/okta"

RESOURCES: list[type[Any]] = [
    zones.NetworkZone,
    signon.PolicySignon,
    signon.PolicyRuleSignon,
    app_policies.AppSignonPolicy,
    app_policies.AppSignonPolicyRule,
    app_policies.AppAccessPolicyAssignment,
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
    if cfg.get("api_token"):
        authorization = f"SSWS {cfg['api_token']}"
    elif cfg.get("access_token"):
        authorization = f"Bearer {cfg['access_token']}"
    elif cfg.get("client_id"):
        raise ValueError(
            "OAuth private-key sign-in is not implemented by the provider stand-in; "
            "use api_token (OKTA_API_TOKEN)"
        )
    else:
        raise ValueError("no credentials: set api_token (OKTA_API_TOKEN) or access_token")
    retry = RetryPolicy(
        max_retries=int(cfg.get("max_retries", 5)),
        max_wait=float(cfg.get("max_wait_seconds", 30)),
    )
    timeout = float(cfg["request_timeout"]) if cfg.get("request_timeout") else 30.0
    return OktaApi(base_url, authorization, retry, timeout)


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
            self.client = build_client(settings(config, dict(os.environ)))
        except ValueError as error:
            diags.add_error("invalid provider configuration", str(error))

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
