"""Data sources: okta_group, okta_user, okta_app, okta_app_signon_policy, okta_policy,
okta_default_policy (okta_network_zone lives in zones.py)."""

from __future__ import annotations

import json
from typing import Any

from okta_sandbox.provider.api import ApiError
from okta_sandbox.provider.app_policies import policy_id_from_app
from okta_sandbox.provider.base import OktaDataSource, ProviderError, State, known, or_none
from okta_sandbox.provider.policies import POLICIES

FORBIDDEN = 403

# okta_user attribute -> Okta profile property
USER_PROFILE = {
    "city": "city", "cost_center": "costCenter", "country_code": "countryCode",
    "department": "department", "display_name": "displayName", "division": "division",
    "email": "email", "employee_number": "employeeNumber", "first_name": "firstName",
    "honorific_prefix": "honorificPrefix", "honorific_suffix": "honorificSuffix",
    "last_name": "lastName", "locale": "locale", "login": "login", "manager": "manager",
    "manager_id": "managerId", "middle_name": "middleName", "mobile_phone": "mobilePhone",
    "nick_name": "nickName", "organization": "organization", "postal_address": "postalAddress",
    "preferred_language": "preferredLanguage", "primary_phone": "primaryPhone",
    "profile_url": "profileUrl", "second_email": "secondEmail", "state": "state",
    "street_address": "streetAddress", "timezone": "timezone", "title": "title",
    "user_type": "userType", "zip_code": "zipCode",
}  # fmt: skip
USER_TOP = {
    "activated": "activated", "created": "created", "last_login": "lastLogin",
    "last_updated": "lastUpdated", "password_changed": "passwordChanged",
    "realm_id": "realmId", "status": "status", "status_changed": "statusChanged",
}  # fmt: skip


def _conflicts(config: State, name: str, others: tuple[str, ...]) -> list[str]:
    if not known(config.get(name)):
        return []
    return [f'"{name}": conflicts with {o}' for o in others if known(config.get(o))]


class GroupData(OktaDataSource):
    TYPE = "okta_group"

    def validate_config(self, config: State) -> list[str]:
        return _conflicts(config, "id", ("name", "type"))

    def _find(self, config: State) -> dict[str, Any]:
        if known(config.get("id")):
            group: dict[str, Any] = self.api.get(f"/api/v1/groups/{config['id']}")
            return group
        name, gtype = config.get("name"), config.get("type")
        if not known(name):
            raise ProviderError('invalid configuration: "id" or "name" is required')
        params = {"q": str(name)}
        if known(gtype):
            params["filter"] = f'type eq "{gtype}"'
        groups = self.api.list("/api/v1/groups", params)
        if len(groups) == 1:
            return dict(groups[0])
        for found in groups:
            profile = found.get("profile") or {}
            if profile.get("name") == name and (not known(gtype) or found.get("type") == gtype):
                return dict(found)
        raise ProviderError(f"group with name {name!r} does not exist")

    def lookup(self, config: State) -> State:
        group = self._find(config)
        users = None
        if config.get("include_users"):
            members = self.api.list(f"/api/v1/groups/{group['id']}/users")
            users = or_none([str(u["id"]) for u in members])
        profile = group.get("profile") or {}
        return {
            "id": group["id"],
            "name": profile.get("name"),
            "description": profile.get("description"),
            "type": group.get("type"),
            "users": users,
        }


class UserData(OktaDataSource):
    TYPE = "okta_user"

    def _search(self, config: State) -> str:
        clauses = []
        for item in config.get("search") or []:
            if known(item.get("expression")) and item.get("expression"):
                clauses.append(str(item["expression"]))
                continue
            comparison = item.get("comparison") or "eq"
            value = item.get("value")
            operand = f' "{value}"' if known(value) and value else ""
            clauses.append(f"{item.get('name')} {comparison}{operand}")
        operator = config.get("compound_search_operator") or "and"
        return f" {operator} ".join(clauses)

    def lookup(self, config: State) -> State:
        if known(config.get("user_id")):
            user = self.api.get(f"/api/v1/users/{config['user_id']}")
        elif config.get("search"):
            found = self.api.get("/api/v1/users", {"search": self._search(config), "limit": "1"})
            if not found:
                raise ProviderError("no users found using search criteria")
            user = found[0]
        else:
            raise ProviderError('invalid configuration: "user_id" or "search" is required')
        profile = user.get("profile") or {}
        state: State = {k: profile.get(v) for k, v in USER_PROFILE.items()}
        state.update({k: user.get(v) for k, v in USER_TOP.items()})
        state["id"] = user["id"]
        known_props = set(USER_PROFILE.values())
        custom = {k: v for k, v in profile.items() if k not in known_props}
        state["custom_profile_attributes"] = json.dumps(custom, sort_keys=True)
        if user.get("type"):
            state["type"] = [{"id": user["type"].get("id")}]
        if not config.get("skip_roles"):
            # data_source_okta_user.go:48-190, user.go:285-360 (v6.12.0): two role listings,
            # `admin_roles` the standard roles assigned to the user directly, `roles` all of
            # them; a 403 leaves them empty
            direct = self._roles(user["id"])
            state["admin_roles"] = or_none(
                sorted(
                    str(r.get("type"))
                    for r in direct
                    if r.get("assignmentType", "USER") == "USER" and r.get("type") != "CUSTOM"
                )
            )
            state["roles"] = or_none(sorted({str(r.get("type")) for r in self._roles(user["id"])}))
        if not config.get("skip_groups"):
            groups = self.api.list(f"/api/v1/users/{user['id']}/groups")
            state["group_memberships"] = or_none([str(g["id"]) for g in groups])
        return state

    def _roles(self, user_id: str) -> list[dict[str, Any]]:
        try:
            roles: list[dict[str, Any]] = self.api.list(f"/api/v1/users/{user_id}/roles")
        except ApiError as error:
            if error.status != FORBIDDEN:
                raise
            return []
        return roles


class AppData(OktaDataSource):
    TYPE = "okta_app"

    def validate_config(self, config: State) -> list[str]:
        return _conflicts(config, "id", ("label", "label_prefix")) + _conflicts(
            config, "label", ("label_prefix",)
        )

    def lookup(self, config: State) -> State:
        active_only = config.get("active_only") is not False
        params = {"filter": 'status eq "ACTIVE"'} if active_only else {}
        if known(config.get("id")):
            app = self.api.get(f"/api/v1/apps/{config['id']}")
        elif known(config.get("label")) or known(config.get("label_prefix")):
            # app_filter.go:32-55 (v6.12.0): one app per page, every `next` page followed
            label = config.get("label") if known(config.get("label")) else None
            query = str(label or config.get("label_prefix"))
            apps = self.api.list("/api/v1/apps", {**params, "limit": "1", "q": query})
            exact = [a for a in apps if label is not None and a.get("label") == label]
            if not (exact or apps):
                raise ProviderError(f"no application found with label {query!r}")
            app = (exact or apps)[0]
        else:
            raise ProviderError('invalid configuration: one of "id", "label", "label_prefix"')
        return {
            "id": app["id"],
            "label": app.get("label"),
            "name": app.get("name"),
            "status": app.get("status"),
            "links": json.dumps(app.get("_links") or {}, sort_keys=True),
            "active_only": config.get("active_only"),
        }


class AppSignonPolicyData(OktaDataSource):
    TYPE = "okta_app_signon_policy"

    def lookup(self, config: State) -> State:
        """data_source_okta_app_signon_policy.go:14-56 (v6.12.0): the Classic check first
        (`GET /.well-known/okta-organization`, once per process), the app, its policy."""
        self.provider.require_identity_engine("data-sources", self.TYPE)
        app = self.api.get(f"/api/v1/apps/{config['app_id']}")
        policy_id = policy_id_from_app(app)
        if not policy_id:
            raise ProviderError(f"app {config['app_id']} has no authentication policy")
        policy = self.api.get(f"{POLICIES}/{policy_id}")
        return {"id": policy["id"], "name": policy.get("name")}


class PolicyData(OktaDataSource):
    TYPE = "okta_policy"

    def lookup(self, config: State) -> State:
        for policy in self.api.list(POLICIES, {"type": str(config["type"])}):
            if policy.get("name") == config["name"]:
                return {"id": policy["id"], "status": policy.get("status")}
        raise ProviderError(f"no policy {config['name']!r} of type {config['type']}")


class DefaultPolicyData(OktaDataSource):
    TYPE = "okta_default_policy"

    def lookup(self, config: State) -> State:
        for policy in self.api.list(POLICIES, {"type": str(config["type"])}):
            description = str(policy.get("description") or "")
            named = "Default" in str(policy.get("name")) or "default" in description
            if policy.get("system") and named:
                return {"id": policy["id"]}
        raise ProviderError(f"no default policy of type {config['type']}")
