"""Resource and data-source base classes shared by every okta/okta type of the stand-in."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from tf.iface import DataSource, Resource
from tf.types import Unknown

from okta_sandbox.provider.schema_table import DATA_SOURCES, RESOURCES, BlockSpec
from okta_sandbox.provider.tfschema import build_schema, complete

if TYPE_CHECKING:
    from okta_sandbox.provider.api import OktaApi

State = dict[str, Any]


class ProviderError(Exception):
    """A failure reported to Terraform as an error diagnostic (summary + detail)."""

    def __init__(self, summary: str, detail: str = "", state: State | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail
        # When set, the object exists remotely: Terraform must keep it in state (tainted on create).
        self.state = state


class PartialCreate(Exception):
    """A create that failed after Okta created the object: Terraform keeps it (tainted)."""

    def __init__(self, cause: Exception, state: State) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.state = state


@contextmanager
def kept_on_failure(planned: State, object_id: str) -> Iterator[None]:
    """Steps after the create call: the object exists in Okta now, so any failure (org gone,
    lifecycle call refused) keeps it in state, as SDKv2 does once the ID has been set."""
    try:
        yield
    except ProviderError as error:
        if error.state is None:
            error.state = _with_id(planned, object_id)
        raise
    except Exception as error:
        raise PartialCreate(error, _with_id(planned, object_id)) from error


def _with_id(planned: State, object_id: str) -> State:
    known_values = {name: None if value is Unknown else value for name, value in planned.items()}
    return {**known_values, "id": object_id}


class ApiHolder:
    """What resources need from the configured provider."""

    def __init__(self) -> None:
        self.client: OktaApi | None = None
        self.classic_org = False  # okta/config/config.go Config.ClassicOrg
        self.queried_well_known = False  # ... Config.QueriedWellKnown

    @property
    def api(self) -> OktaApi:
        if self.client is None:
            raise ProviderError("provider is not configured", "ConfigureProvider was not called")
        return self.client

    def is_classic_org(self) -> bool:
        """okta/config/config.go:190-204 (v6.12.0) IsClassicOrg: the first call of a process
        asks `GET /.well-known/okta-organization`; a success is remembered (`pipeline` "v1" is a
        Classic Engine org), a failure is not (the next call asks again) and counts as OIE."""
        if not self.queried_well_known:
            try:
                org = self.api.get("/.well-known/okta-organization")
            except Exception:
                return self.classic_org
            self.classic_org = (org or {}).get("pipeline") == "v1"
            self.queried_well_known = True
        return self.classic_org

    def require_identity_engine(self, kind: str, name: str) -> None:
        """okta/services/idaas/idaas.go:352-371 oieOnlyFeatureError, raised by the types that
        check the org first (resource_okta_app_signon_policy*.go, data_source_okta_app_signon_
        policy.go)."""
        if self.is_classic_org():
            label = {"resources": "resource", "data-sources": "datasource"}[kind]
            url = f"https://registry.terraform.io/providers/okta/okta/latest/docs/{kind}/{name[5:]}"
            raise ProviderError(f'"{name}" is a {label} for OIE Orgs only, see {url}')


def known(value: Any) -> bool:
    return value is not None and value is not Unknown


def str_set(value: Any) -> list[str]:
    """A set/list attribute as a plain list (null and unknown become empty)."""
    if not known(value):
        return []
    return [str(item) for item in value if known(item)]


def or_none(items: list[Any]) -> list[Any] | None:
    return items or None


def json_list(values: Any) -> list[Any]:
    """A set of JSON strings (`constraints`, `chains`) as the parsed values."""
    out = []
    for value in str_set(values):
        try:
            out.append(json.loads(value))
        except ValueError as error:
            raise ProviderError(f"invalid JSON {value!r}: {error}") from error
    return out


class _OktaType:
    """What resources and data sources share: the provider's API and their schema-table row."""

    TYPE: ClassVar[str]
    TABLE: ClassVar[dict[str, BlockSpec]]

    def __init__(self, provider: ApiHolder) -> None:
        self.provider = provider

    @property
    def api(self) -> OktaApi:
        return self.provider.api

    @classmethod
    def spec(cls) -> BlockSpec:
        return cls.TABLE[cls.TYPE]

    @classmethod
    def get_name(cls) -> str:
        return cls.TYPE.removeprefix("okta_")

    @classmethod
    def get_schema(cls) -> Any:
        return build_schema(cls.spec())

    def validate_config(self, config: State) -> list[str]:
        """Plan-time checks; returns error summaries."""
        return []


class OktaResource(_OktaType, Resource):  # type: ignore[misc]
    TABLE = RESOURCES
    # SDKv2-style defaults of Optional attributes: a null in config plans as this value.
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    # Attributes whose change forces a replacement (ForceNew / RequiresReplace).
    FORCE_NEW: ClassVar[tuple[str, ...]] = ()
    # Attributes (or blocks) left unset in config keep their prior value (diff suppressed).
    KEEP_PRIOR_WHEN_UNSET: ClassVar[tuple[str, ...]] = ()

    def state(self, values: State) -> State:
        return complete(self.spec(), values)

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        """Adjust the planned state (diff suppression, computed values); default: unchanged."""
        return planned

    def import_(self, ctx: Any, id: str) -> State | None:
        state: State | None = self.read(ctx, self.state({"id": id}))
        return state


class OktaDataSource(_OktaType, DataSource):  # type: ignore[misc]
    TABLE = DATA_SOURCES

    def state(self, config: State, values: State) -> State:
        merged = {k: v for k, v in config.items() if v is not None}
        merged.update({k: v for k, v in values.items() if v is not None})
        return complete(self.spec(), merged)

    @abstractmethod
    def lookup(self, config: State) -> State:
        """The attributes of the Okta object that `config` identifies."""

    def read(self, ctx: Any, config: State) -> State | None:
        return self.state(config, self.lookup(config))
