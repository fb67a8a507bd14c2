"""Schemas of the okta/okta types the stand-in implements, as a compact table.

Mirrors `terraform providers schema -json` of okta/okta (v6.12/v7): attribute names, cty types,
flags (R required, O optional, C computed, D deprecated) and nested blocks. Descriptions are left
out on purpose. tests/test_terraform_schema.py compares this with the shared reference file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CtyType = Any  # "string" | "number" | "bool" | ["set", T] | ["list", T] | ["object", {...}]

S: CtyType = "string"
N: CtyType = "number"
B: CtyType = "bool"
SET_S: CtyType = ["set", "string"]
LIST_S: CtyType = ["list", "string"]
LIST_ID_OBJ: CtyType = ["list", ["object", {"id": "string"}]]


@dataclass(frozen=True)
class BlockSpec:
    attrs: dict[str, tuple[CtyType, str]]
    blocks: dict[str, NestedSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class NestedSpec:
    nesting_mode: str  # "list" | "set" | "single"
    block: BlockSpec
    max_items: int | None = None


PROVIDER = BlockSpec(
    attrs={
        "access_token": (S, "O"),
        "api_token": (S, "O"),
        "backoff": (B, "O"),
        "base_url": (S, "O"),
        "client_id": (S, "O"),
        "http_proxy": (S, "O"),
        "log_level": (N, "O"),
        "max_api_capacity": (N, "O"),
        "max_retries": (N, "O"),
        "max_wait_seconds": (N, "O"),
        "min_wait_seconds": (N, "O"),
        "org_name": (S, "O"),
        "parallelism": (N, "O"),
        "private_key": (S, "O"),
        "private_key_id": (S, "O"),
        "request_timeout": (N, "O"),
        "scopes": (SET_S, "O"),
    },
)

GROUPED_RULE = BlockSpec(
    attrs={
        "access": (S, "OC"),
        "chains": (LIST_S, "O"),
        "constraints": (LIST_S, "O"),
        "custom_expression": (S, "O"),
        "device_assurances_included": (SET_S, "O"),
        "device_is_managed": (B, "O"),
        "device_is_registered": (B, "O"),
        "factor_mode": (S, "OC"),
        "groups_excluded": (SET_S, "O"),
        "groups_included": (SET_S, "O"),
        "id": (S, "OC"),
        "inactivity_period": (S, "O"),
        "name": (S, "R"),
        "network_connection": (S, "OC"),
        "network_excludes": (LIST_S, "O"),
        "network_includes": (LIST_S, "O"),
        "priority": (N, "O"),
        "re_authentication_frequency": (S, "OC"),
        "risk_score": (S, "OC"),
        "status": (S, "OC"),
        "system": (B, "C"),
        "type": (S, "OC"),
        "user_types_excluded": (SET_S, "O"),
        "user_types_included": (SET_S, "O"),
        "users_excluded": (SET_S, "O"),
        "users_included": (SET_S, "O"),
    },
    blocks={
        "keep_me_signed_in": NestedSpec(
            "list",
            BlockSpec(attrs={"post_auth": (S, "OC"), "post_auth_prompt_frequency": (S, "O")}),
            max_items=1,
        ),
        "platform_include": NestedSpec(
            "list",
            BlockSpec(attrs={"os_expression": (S, "OC"), "os_type": (S, "O"), "type": (S, "O")}),
        ),
    },
)

RESOURCES: dict[str, BlockSpec] = {
    "okta_app_access_policy_assignment": BlockSpec(
        attrs={
            "app_id": (S, "R"),
            "id": (S, "C"),
            "policy_id": (S, "R"),
        },
    ),
    "okta_app_signon_policy": BlockSpec(
        attrs={
            "catch_all": (B, "OC"),
            "default_rule_id": (S, "C"),
            "description": (S, "R"),
            "id": (S, "C"),
            "name": (S, "R"),
            "priority": (N, "OC"),
        },
    ),
    "okta_app_signon_policy_rule": BlockSpec(
        attrs={
            "access": (S, "O"),
            "chains": (LIST_S, "O"),
            "constraints": (LIST_S, "O"),
            "custom_expression": (S, "O"),
            "device_assurances_included": (SET_S, "O"),
            "device_is_managed": (B, "O"),
            "device_is_registered": (B, "O"),
            "factor_mode": (S, "O"),
            "groups_excluded": (SET_S, "O"),
            "groups_included": (SET_S, "O"),
            "id": (S, "OC"),
            "inactivity_period": (S, "O"),
            "name": (S, "R"),
            "network_connection": (S, "O"),
            "network_excludes": (LIST_S, "O"),
            "network_includes": (LIST_S, "O"),
            "office365_client_include": (SET_S, "O"),
            "policy_id": (S, "R"),
            "priority": (N, "O"),
            "re_authentication_frequency": (S, "O"),
            "risk_score": (S, "OC"),
            "status": (S, "O"),
            "system": (B, "C"),
            "type": (S, "O"),
            "user_types_excluded": (SET_S, "O"),
            "user_types_included": (SET_S, "O"),
            "users_excluded": (SET_S, "O"),
            "users_included": (SET_S, "O"),
        },
        blocks={
            "keep_me_signed_in": NestedSpec(
                "list",
                BlockSpec(
                    attrs={
                        "post_auth": (S, "O"),
                        "post_auth_prompt_frequency": (S, "O"),
                    },
                ),
                max_items=1,
            ),
            "platform_include": NestedSpec(
                "set",
                BlockSpec(
                    attrs={
                        "os_expression": (S, "O"),
                        "os_type": (S, "O"),
                        "type": (S, "O"),
                    },
                ),
                max_items=None,
            ),
        },
    ),
    # Plugin-framework resource (okta/okta >= 6.6), absent from ../shared's reference schema:
    # okta/services/idaas/resource_okta_app_signon_policy_rules.go:569-805 (v6.12.0), and
    # tests/data/provider-schema-extra.json for the schema test.
    "okta_app_signon_policy_rules": BlockSpec(
        attrs={"id": (S, "C"), "policy_id": (S, "R")},
        blocks={"rule": NestedSpec("list", GROUPED_RULE)},
    ),
    "okta_network_zone": BlockSpec(
        attrs={
            "asns": (SET_S, "O"),
            "dynamic_locations": (SET_S, "O"),
            "dynamic_locations_exclude": (SET_S, "O"),
            "dynamic_proxy_type": (S, "O"),
            "gateways": (SET_S, "O"),
            "id": (S, "OC"),
            "ip_service_categories_exclude": (SET_S, "O"),
            "ip_service_categories_include": (SET_S, "O"),
            "name": (S, "R"),
            "proxies": (SET_S, "O"),
            "set_usage_as_exempt_list": (B, "O"),
            "status": (S, "O"),
            "system": (B, "C"),
            "type": (S, "R"),
            "usage": (S, "O"),
        },
    ),
    "okta_policy_rule_signon": BlockSpec(
        attrs={
            "access": (S, "O"),
            "authtype": (S, "O"),
            "behaviors": (SET_S, "O"),
            "id": (S, "OC"),
            "identity_provider": (S, "O"),
            "identity_provider_ids": (SET_S, "O"),
            "mfa_lifetime": (N, "O"),
            "mfa_prompt": (S, "O"),
            "mfa_remember_device": (B, "O"),
            "mfa_required": (B, "O"),
            "name": (S, "R"),
            "network_connection": (S, "O"),
            "network_excludes": (LIST_S, "O"),
            "network_includes": (LIST_S, "O"),
            "policy_id": (S, "O"),
            "primary_factor": (S, "OC"),
            "priority": (N, "O"),
            "risc_level": (S, "OD"),
            "risk_level": (S, "O"),
            "session_idle": (N, "O"),
            "session_lifetime": (N, "O"),
            "session_persistent": (B, "O"),
            "status": (S, "O"),
            "users_excluded": (SET_S, "O"),
        },
        blocks={
            "factor_sequence": NestedSpec(
                "list",
                BlockSpec(
                    attrs={
                        "primary_criteria_factor_type": (S, "R"),
                        "primary_criteria_provider": (S, "R"),
                    },
                    blocks={
                        "secondary_criteria": NestedSpec(
                            "list",
                            BlockSpec(
                                attrs={
                                    "factor_type": (S, "R"),
                                    "provider": (S, "R"),
                                },
                            ),
                            max_items=None,
                        ),
                    },
                ),
                max_items=None,
            ),
        },
    ),
    "okta_policy_signon": BlockSpec(
        attrs={
            "description": (S, "O"),
            "groups_included": (SET_S, "O"),
            "id": (S, "OC"),
            "name": (S, "R"),
            "priority": (N, "O"),
            "status": (S, "O"),
        },
    ),
}

DATA_SOURCES: dict[str, BlockSpec] = {
    "okta_app": BlockSpec(
        attrs={
            "active_only": (B, "O"),
            "groups": (SET_S, "CD"),
            "id": (S, "O"),
            "label": (S, "O"),
            "label_prefix": (S, "O"),
            "links": (S, "C"),
            "name": (S, "C"),
            "skip_groups": (B, "OD"),
            "skip_users": (B, "OD"),
            "status": (S, "C"),
            "users": (SET_S, "CD"),
        },
    ),
    "okta_app_signon_policy": BlockSpec(
        attrs={
            "app_id": (S, "R"),
            "id": (S, "OC"),
            "name": (S, "C"),
        },
    ),
    "okta_default_policy": BlockSpec(
        attrs={
            "id": (S, "OC"),
            "type": (S, "R"),
        },
    ),
    "okta_group": BlockSpec(
        attrs={
            "delay_read_seconds": (S, "O"),
            "description": (S, "C"),
            "id": (S, "OC"),
            "include_users": (B, "O"),
            "name": (S, "OC"),
            "type": (S, "O"),
            "users": (SET_S, "C"),
        },
    ),
    "okta_network_zone": BlockSpec(
        attrs={
            "asns": (SET_S, "C"),
            "dynamic_locations": (SET_S, "C"),
            "dynamic_locations_exclude": (SET_S, "O"),
            "dynamic_proxy_type": (S, "C"),
            "gateways": (SET_S, "C"),
            "id": (S, "O"),
            "ip_service_categories_exclude": (SET_S, "O"),
            "ip_service_categories_include": (SET_S, "O"),
            "name": (S, "O"),
            "proxies": (SET_S, "C"),
            "status": (S, "C"),
            "system": (B, "C"),
            "type": (S, "C"),
            "usage": (S, "C"),
        },
    ),
    "okta_policy": BlockSpec(
        attrs={
            "id": (S, "OC"),
            "name": (S, "R"),
            "status": (S, "C"),
            "type": (S, "R"),
        },
    ),
    "okta_user": BlockSpec(
        attrs={
            "activated": (S, "C"),
            "admin_roles": (SET_S, "C"),
            "city": (S, "C"),
            "compound_search_operator": (S, "O"),
            "cost_center": (S, "C"),
            "country_code": (S, "C"),
            "created": (S, "C"),
            "custom_profile_attributes": (S, "C"),
            "delay_read_seconds": (S, "O"),
            "department": (S, "C"),
            "display_name": (S, "C"),
            "division": (S, "C"),
            "email": (S, "C"),
            "employee_number": (S, "C"),
            "first_name": (S, "C"),
            "group_memberships": (SET_S, "C"),
            "honorific_prefix": (S, "C"),
            "honorific_suffix": (S, "C"),
            "id": (S, "OC"),
            "last_login": (S, "C"),
            "last_name": (S, "C"),
            "last_updated": (S, "C"),
            "locale": (S, "C"),
            "login": (S, "C"),
            "manager": (S, "C"),
            "manager_id": (S, "C"),
            "middle_name": (S, "C"),
            "mobile_phone": (S, "C"),
            "nick_name": (S, "C"),
            "organization": (S, "C"),
            "password_changed": (S, "C"),
            "postal_address": (S, "C"),
            "preferred_language": (S, "C"),
            "primary_phone": (S, "C"),
            "profile_url": (S, "C"),
            "realm_id": (S, "C"),
            "roles": (SET_S, "C"),
            "second_email": (S, "C"),
            "skip_groups": (B, "O"),
            "skip_roles": (B, "O"),
            "state": (S, "C"),
            "status": (S, "C"),
            "status_changed": (S, "C"),
            "street_address": (S, "C"),
            "timezone": (S, "C"),
            "title": (S, "C"),
            "type": (LIST_ID_OBJ, "C"),
            "user_id": (S, "O"),
            "user_type": (S, "C"),
            "zip_code": (S, "C"),
        },
        blocks={
            "search": NestedSpec(
                "set",
                BlockSpec(
                    attrs={
                        "comparison": (S, "O"),
                        "expression": (S, "O"),
                        "name": (S, "O"),
                        "value": (S, "O"),
                    },
                ),
                max_items=None,
            ),
        },
    ),
}
