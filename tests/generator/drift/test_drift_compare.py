"""Comparison rules, ignore files and plan parsing, without any server."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import netaddr
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.drift.compare import canonical_cidrs, compare, duration_seconds
from generator.drift.findings import AttributeDiff, Finding
from generator.drift.ignore import IgnoreFileError, apply_ignores, load_ignore
from generator.drift.plan import PlanFileError, load_plan, parse_plan
from generator.okta.snapshot import LiveOrg

EMPTY: Any = MappingProxyType({})


def live(**kwargs: Any) -> LiveOrg:
    fields: dict[str, Any] = {
        "org_url": "https://acme.okta.com",
        "zones": (),
        "sign_on_policies": (),
        "sign_on_rules": EMPTY,
        "apps": (),
        "groups": EMPTY,
        "users": EMPTY,
        "group_members": EMPTY,
    }
    fields.update(kwargs)
    return LiveOrg(**fields)


ZONE = {
    "type": "IP",
    "name": "eg-corporate-01",
    "status": "ACTIVE",
    "usage": "POLICY",
    "gateways": [
        {"type": "CIDR", "value": "198.51.100.0/24"},
        {"type": "CIDR", "value": "203.0.113.7/32"},
    ],
    "proxies": None,
}


def test_equivalent_zone_forms_do_not_differ() -> None:
    okta_form = {
        "id": "nzo1",
        "type": "IP",
        "name": "eg-corporate-01",
        "usage": "POLICY",  # status omitted: defaulted
        "gateways": [
            {"type": "RANGE", "value": "203.0.113.7-203.0.113.7"},  # Okta's single-IP form
            {"type": "RANGE", "value": "198.51.100.0-198.51.100.255"},
        ],
        "proxies": [],
        "system": False,
    }
    assert compare("zone", ZONE, okta_form, live()) == ()


def test_widened_zone_is_a_weakening_and_narrowed_is_not() -> None:
    wider = dict(ZONE, gateways=[*ZONE["gateways"], {"type": "CIDR", "value": "192.0.2.0/24"}])
    [diff] = compare("zone", ZONE, wider, live())
    assert diff.added == ("192.0.2.0/24",) and diff.weakens
    narrower = dict(ZONE, gateways=ZONE["gateways"][:1])
    [diff] = compare("zone", ZONE, narrower, live())
    assert diff.removed == ("203.0.113.7/32",) and not diff.weakens


@given(st.integers(0, 2**32 - 1), st.integers(16, 32))
def test_any_cidr_equals_its_range_form(address: int, prefix: int) -> None:
    network = netaddr.IPNetwork(f"{netaddr.IPAddress(address)}/{prefix}").cidr
    as_range = f"{network[0]}-{network[-1]}"
    assert canonical_cidrs([{"value": as_range}]) == canonical_cidrs([str(network)])
    assert canonical_cidrs([str(network)]) == (str(network),)


RULE = {
    "type": "SIGN_ON",
    "name": "eg allow trusted egress",
    "priority": 1,
    "status": "ACTIVE",
    "conditions": {"network": {"connection": "ZONE", "include": ["nzo1"]}},
    "actions": {
        "signon": {
            "access": "ALLOW",
            "requireFactor": True,
            "factorPromptMode": "ALWAYS",
            "session": {
                "maxSessionIdleMinutes": 15,
                "maxSessionLifetimeMinutes": 120,
                "usePersistentCookie": False,
            },
        }
    },
}


def with_signon(**changes: Any) -> dict[str, Any]:
    rule = json.loads(json.dumps(RULE))
    for key, value in changes.items():
        if key in ("maxSessionIdleMinutes", "maxSessionLifetimeMinutes", "usePersistentCookie"):
            rule["actions"]["signon"]["session"][key] = value
        else:
            rule["actions"]["signon"][key] = value
    return rule


ORG = live(zones=({"id": "nzo1", "name": "eg-corporate-01"},))


def test_defaulted_and_null_forms_of_a_rule_do_not_differ() -> None:
    okta_form = json.loads(json.dumps(RULE))
    del okta_form["actions"]["signon"]["session"]["usePersistentCookie"]  # default false
    del okta_form["status"]  # default ACTIVE
    okta_form["conditions"]["network"]["exclude"] = None
    okta_form["conditions"]["people"] = {"users": {"exclude": []}}
    assert compare("session_rule", RULE, okta_form, ORG) == ()


def test_zone_ids_are_shown_by_name() -> None:
    moved = json.loads(json.dumps(RULE))
    moved["conditions"]["network"]["include"] = ["nzo1", "nzoUNKNOWN"]
    [diff] = compare("session_rule", RULE, moved, ORG)
    assert diff.added == ("nzoUNKNOWN",) and diff.weakens  # an ALLOW rule trusting more
    assert diff.expected == ("eg-corporate-01",)


@pytest.mark.parametrize(
    ("changes", "path", "weakens"),
    [
        ({"requireFactor": False}, "actions.signon.requireFactor", True),
        ({"factorPromptMode": "DEVICE"}, "actions.signon.factorPromptMode", True),
        (
            {"maxSessionLifetimeMinutes": 0},
            "actions.signon.session.maxSessionLifetimeMinutes",
            True,
        ),
        (
            {"maxSessionLifetimeMinutes": 60},
            "actions.signon.session.maxSessionLifetimeMinutes",
            False,
        ),
        ({"maxSessionIdleMinutes": 120}, "actions.signon.session.maxSessionIdleMinutes", True),
        ({"usePersistentCookie": True}, "actions.signon.session.usePersistentCookie", True),
    ],
)
def test_session_rule_weakenings(changes: dict[str, Any], path: str, weakens: bool) -> None:
    diffs = {d.path: d for d in compare("session_rule", RULE, with_signon(**changes), ORG)}
    assert diffs[path].weakens is weakens


def test_prompt_becoming_stricter_is_not_a_weakening() -> None:
    expected = with_signon(factorPromptMode="SESSION")
    [diff] = compare("session_rule", expected, RULE, ORG)
    assert diff.path == "actions.signon.factorPromptMode" and not diff.weakens


def app_rule(**method: Any) -> dict[str, Any]:
    return {
        "name": "eg admins from trusted egress",
        "priority": 1,
        "status": "ACTIVE",
        "conditions": {"network": {"connection": "ZONE", "include": ["nzo1"]}},
        "actions": {
            "appSignOn": {
                "access": "ALLOW",
                "verificationMethod": {
                    "type": "ASSURANCE",
                    "factorMode": "2FA",
                    "reauthenticateIn": "PT2H",
                    **method,
                },
            }
        },
    }


def test_app_rule_constraints_compare_as_json_sets() -> None:
    a = {"possession": {"phishingResistant": "REQUIRED", "hardwareProtection": "REQUIRED"}}
    b = {"possession": {"hardwareProtection": "REQUIRED", "phishingResistant": "REQUIRED"}}
    assert compare("app_rule", app_rule(constraints=[a]), app_rule(constraints=[b]), ORG) == ()
    [diff] = compare("app_rule", app_rule(constraints=[a]), app_rule(), ORG)
    assert diff.weakens  # a constraint removed


def test_longer_reauthentication_and_1fa_are_weakenings() -> None:
    diffs = compare(
        "app_rule", app_rule(), app_rule(reauthenticateIn="PT12H", factorMode="1FA"), ORG
    )
    assert {d.path: d.weakens for d in diffs} == {
        "actions.appSignOn.verificationMethod.factorMode": True,
        "actions.appSignOn.verificationMethod.reauthenticateIn": True,
    }
    assert duration_seconds("P1DT2H30M") == 95400.0


def finding(**kwargs: Any) -> Finding:
    base: dict[str, Any] = {
        "finding_class": "changed",
        "severity": "high",
        "kind": "session_rule",
        "name": "eg deny other networks",
        "message": "m",
        "object_id": "0pr1",
        "address": "module.egress_guard.okta_policy_rule_signon.admins_deny_other",
        "diffs": (
            AttributeDiff("status", "ACTIVE", "INACTIVE", weakens=True),
            AttributeDiff("name", "a", "b"),
        ),
    }
    base.update(kwargs)
    return Finding(**base)


def test_ignore_attribute_drops_the_diff_and_recomputes_severity(tmp_path: Path) -> None:
    path = tmp_path / "ignore.yaml"
    path.write_text("ignore:\n  - object: 'session_rule:eg deny *'\n    attributes: [status]\n")
    kept, suppressed = apply_ignores([finding()], load_ignore(path))
    assert suppressed == 1
    [only] = kept
    assert [d.path for d in only.diffs] == ["name"] and only.severity == "low"


def test_ignore_whole_objects_by_address_or_id(tmp_path: Path) -> None:
    path = tmp_path / "ignore.json"
    path.write_text(json.dumps([{"object": "module.egress_guard.okta_policy_rule_signon.*"}]))
    assert apply_ignores([finding()], load_ignore(path)) == ([], 2)
    unmanaged = finding(finding_class="unmanaged", diffs=(), address=None, object_id="0prX")
    path.write_text(json.dumps({"ignore": [{"object": "0prX"}]}))
    assert apply_ignores([unmanaged], load_ignore(path)) == ([], 1)
    path.write_text(json.dumps({"ignore": [{"object": "other"}]}))
    assert apply_ignores([unmanaged], load_ignore(path)) == ([unmanaged], 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore: {object: x}", "expected a list"),
        ("ignore:\n  - attributes: [a]", "needs an 'object'"),
        ("ignore:\n  - object: x\n    attribute: [a]", "unknown field(s) attribute"),
        ("ignore: [", "invalid YAML/JSON"),
    ],
)
def test_bad_ignore_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ignore.yaml"
    path.write_text(text)
    with pytest.raises(IgnoreFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_ignore(path)


def test_plan_ids_from_state_plan_and_resource_changes(tmp_path: Path) -> None:
    doc = {
        "format_version": "1.2",
        "values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": "module.egress_guard",
                        "resources": [
                            {
                                "address": "module.egress_guard.okta_network_zone.a",
                                "values": {"id": "nzoA"},
                            },
                            {"address": "module.egress_guard.okta_network_zone.new", "values": {}},
                        ],
                    }
                ]
            }
        },
        "resource_changes": [
            {
                "address": "module.egress_guard.okta_policy_signon.admins",
                "change": {"before": {"id": "00p1"}},
            }
        ],
    }
    index = parse_plan(doc)
    assert index.id_of("module.egress_guard.okta_network_zone.a") == "nzoA"
    assert index.id_of("module.egress_guard.okta_network_zone.new") is None
    assert index.address_of("00p1") == "module.egress_guard.okta_policy_signon.admins"
    bad = tmp_path / "plan.json"
    bad.write_text('{"resources": []}')
    with pytest.raises(PlanFileError, match="not the output of `terraform show -json`"):
        load_plan(bad)
    with pytest.raises(PlanFileError, match="No such file"):
        load_plan(tmp_path / "missing.json")
