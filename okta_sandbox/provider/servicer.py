"""gRPC servicer: the `tf` framework's, with SDKv2-like planning and error reporting.

okta/okta is (mostly) an SDKv2 provider: Optional attributes carry defaults that appear in the
plan although the config leaves them null, and diff-suppression keeps API-normalised values. Core
accepts that only from providers flagged `legacy_type_system`, which is what this servicer sets.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from copy import deepcopy
from typing import Any

import requests
from tf.gen import tfplugin_pb2 as pb
from tf.iface import ReadContext, ReadDataContext
from tf.provider import ProviderServicer
from tf.types import Unknown
from tf.utils import Diagnostics, _to_attribute_path, read_dynamic_value, to_dynamic_value

from okta_sandbox.provider.api import ApiError
from okta_sandbox.provider.base import (
    OktaDataSource,
    OktaResource,
    PartialCreate,
    ProviderError,
    State,
)
from okta_sandbox.provider.oauth import OAuthError


def _report(diags: Any, error: Exception) -> State | None:
    """Turn an exception into an error diagnostic; returns the state to keep, if any."""
    if isinstance(error, PartialCreate):
        _report(diags, error.cause)
        return error.state
    if isinstance(error, ProviderError):
        diags.add_error(error.summary, error.detail)
        return error.state
    if isinstance(error, ApiError):
        diags.add_error(str(error), error.detail)
        return None
    if isinstance(error, OAuthError):  # e.g. the OAuth token request was refused
        diags.add_error(str(error))
        return None
    if isinstance(error, requests.RequestException):
        diags.add_error("the Okta API could not be reached", str(error))
        return None
    traceback.print_exc()
    diags.add_error(f"internal error in the provider stand-in: {type(error).__name__}", str(error))
    return None


class OktaServicer(ProviderServicer):  # type: ignore[misc]
    def _resource(self, type_name: str) -> OktaResource:
        inst: OktaResource = self.app.new_resource(self._get_res_cls(type_name))
        return inst

    def _data_source(self, type_name: str) -> OktaDataSource:
        inst: OktaDataSource = self.app.new_data_source(self._get_ds_cls(type_name))
        return inst

    @staticmethod
    def _add_config_errors(
        response: Any, request: Any, instance: Callable[[str], OktaResource | OktaDataSource]
    ) -> Any:
        """Append the plan-time checks of the type `request` names to the framework's answer."""
        config = read_dynamic_value(request.config) or {}
        extra = Diagnostics()
        for summary in instance(request.type_name).validate_config(config):
            extra.add_error(summary)
        response.diagnostics.extend(extra.to_pb())
        return response

    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        response = super().ValidateResourceConfig(request, context)
        return self._add_config_errors(response, request, self._resource)

    def ValidateDataResourceConfig(self, request: Any, context: Any) -> Any:
        response = super().ValidateDataResourceConfig(request, context)
        return self._add_config_errors(response, request, self._data_source)

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        response_type = pb.PlanResourceChange.Response
        diags = Diagnostics()
        proposed = read_dynamic_value(request.proposed_new_state)
        if proposed is None:  # destroy
            return response_type(planned_state=request.proposed_new_state, legacy_type_system=True)
        prior = read_dynamic_value(request.prior_state)
        config = read_dynamic_value(request.config) or {}
        inst = self._resource(request.type_name)
        spec = inst.spec()
        planned = deepcopy(proposed)
        for name, default in inst.DEFAULTS.items():
            if planned.get(name) is None:
                planned[name] = default
        for name in inst.KEEP_PRIOR_WHEN_UNSET:
            if prior is not None and config.get(name) in (None, []):
                planned[name] = prior.get(name)
        if prior is None:
            for name, (_, flags) in spec.attrs.items():
                if "C" in flags and planned.get(name) is None:
                    planned[name] = Unknown
        replace = []
        try:
            planned = inst.plan_change(prior, planned, config)
            if prior is not None:
                replace = [n for n in inst.FORCE_NEW if planned.get(n) != prior.get(n)]
                if replace:
                    for name, (_, flags) in spec.attrs.items():
                        if flags == "C" or (name == "id" and "C" in flags):
                            planned[name] = Unknown
        except Exception as error:  # every failure becomes a diagnostic
            _report(diags, error)
        return response_type(
            planned_state=to_dynamic_value(planned),
            requires_replace=[_to_attribute_path([n]) for n in replace],
            diagnostics=diags.to_pb(),
            legacy_type_system=True,
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        diags = Diagnostics()
        prior = read_dynamic_value(request.prior_state)
        planned = read_dynamic_value(request.planned_state)
        inst = self._resource(request.type_name)
        new_state: State | None
        try:
            if prior is None:
                new_state = inst.create(None, planned)
            elif planned is None:
                inst.delete(None, prior)
                new_state = None
            else:
                new_state = inst.update(None, prior, planned)
        except Exception as error:  # every failure becomes a diagnostic
            # keep what exists remotely: a partial create, else the prior state (or nothing)
            kept = _report(diags, error)
            new_state = kept if kept is not None else prior
        if new_state is not None:
            new_state = inst.state(new_state)
        return pb.ApplyResourceChange.Response(
            new_state=to_dynamic_value(new_state),
            diagnostics=diags.to_pb(),
            legacy_type_system=True,
        )

    def ReadResource(self, request: Any, context: Any) -> Any:
        diags = Diagnostics()
        current = read_dynamic_value(request.current_state)
        inst = self._resource(request.type_name)
        try:
            new_state = inst.read(ReadContext(diags, request.type_name), current)
        except Exception as error:  # every failure becomes a diagnostic
            _report(diags, error)
            new_state = current
        if new_state is not None:
            new_state = inst.state(new_state)
        return pb.ReadResource.Response(
            new_state=to_dynamic_value(new_state), diagnostics=diags.to_pb()
        )

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        diags = Diagnostics()
        inst = self._resource(request.type_name)
        imported = []
        try:
            state = inst.import_(None, request.id)
            if state is None:
                raise ProviderError(
                    f"Cannot import non-existent remote object {request.id!r}",
                    f"{request.type_name} {request.id} was not found in the org",
                )
            imported.append(
                pb.ImportResourceState.ImportedResource(
                    type_name=request.type_name, state=to_dynamic_value(inst.state(state))
                )
            )
        except Exception as error:  # every failure becomes a diagnostic
            _report(diags, error)
        return pb.ImportResourceState.Response(
            imported_resources=imported, diagnostics=diags.to_pb()
        )

    def ReadDataSource(self, request: Any, context: Any) -> Any:
        diags = Diagnostics()
        config = read_dynamic_value(request.config) or {}
        inst = self._data_source(request.type_name)
        state = None
        try:
            state = inst.read(ReadDataContext(diags, request.type_name), config)
        except Exception as error:  # every failure becomes a diagnostic
            _report(diags, error)
        return pb.ReadDataSource.Response(state=to_dynamic_value(state), diagnostics=diags.to_pb())
