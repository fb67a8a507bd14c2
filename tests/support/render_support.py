"""The rendered module of the render tests (test_render_output.py, test_render_rules.py): the
desired-state variants they render, written and read back through Terraform's loader, and
accessors for its resources, attributes and rule blocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.model import DesiredState, Shard, build_desired_state
from generator.render import render_terraform
from generator.render.loaded import LoadedModule, LoadedResource, load_module
from generator.settings import (
    AdminConsoleConfig,
    BreakGlassConfig,
    Config,
    Mode,
    OktaConfig,
)

FILES = {"versions.tf", "lookups.tf", "zones.tf", "session_policy.tf", "app_policies.tf"}
SHARDS = (
    Shard("netskope-shared", 1, ("8.36.116.0/24", "8.39.144.0/24"), ("8.36.116.0/24",)),
    Shard("corporate", 1, ("198.51.100.0/24", "203.0.113.7/32")),
)


def config(mode: Mode = "enforce", **okta: Any) -> Config:
    return Config(path=Path("egress-policy.yaml"), mode=mode, okta=OktaConfig(**okta))


def many_shards(count: int) -> tuple[Shard, ...]:
    return tuple(
        Shard("feed-big", index, tuple(f"{index}.{n}.0.0/16" for n in range(150)))
        for index in range(1, count + 1)
    )


VARIANTS: dict[str, DesiredState] = {
    "enforce": build_desired_state(config(), SHARDS),
    "monitor": build_desired_state(config(mode="monitor"), SHARDS),
    "phishing_resistant": build_desired_state(
        config(admin_console=AdminConsoleConfig(phishing_resistant=True)), SHARDS
    ),
    "extra_apps": build_desired_state(config(extra_apps=("Okta Dashboard", "AWS")), SHARDS),
    "break_glass_group": build_desired_state(
        config(
            break_glass=BreakGlassConfig(
                users=("breakglass@example.com", "second.bg@example.com"),
                group="Break Glass Accounts",
            )
        ),
        SHARDS,
    ),
    "many_zones": build_desired_state(config(), many_shards(40) + SHARDS),
    "console_admin_groups": build_desired_state(
        config(admin_console=AdminConsoleConfig(applies_to="admin_groups")), SHARDS
    ),
    "dedicated_console_policy": build_desired_state(
        config(
            admin_console=AdminConsoleConfig(dedicated_policy=True),
            break_glass=BreakGlassConfig(
                users=("breakglass@example.com",), group="Break Glass Accounts"
            ),
        ),
        SHARDS,
    ),
}


def write(directory: Path, state: DesiredState) -> LoadedModule:
    directory.mkdir(parents=True)
    for name, text in render_terraform(state).items():
        (directory / name).write_text(text, encoding="utf-8")
    return load_module(directory)


def strings(text: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)


def refs(text: str) -> list[str]:
    return re.findall(r"(?<![\w.\"])((?:data\.)?okta_[a-z_]+\.[A-Za-z0-9_-]+)\.", text)


def of_type(module: LoadedModule, resource_type: str) -> list[LoadedResource]:
    return [r for r in module.resources.values() if r.type == resource_type and r.mode == "managed"]


def attr(resource: LoadedResource, name: str) -> str:
    return resource.body.attributes[name].text


def rule_blocks(resource: LoadedResource) -> list[dict[str, str]]:
    """The `rule` blocks of an `okta_app_signon_policy_rules`, as {attribute: source text}."""
    return [
        {name: expr.text for name, expr in body.attributes.items()}
        for kind, body in resource.body.blocks
        if kind == "rule"
    ]


def app_rules(module: LoadedModule) -> list[dict[str, str]]:
    return [
        rule for r in of_type(module, "okta_app_signon_policy_rules") for rule in rule_blocks(r)
    ]


def app_rule(module: LoadedModule, app_key: str, name: str) -> dict[str, str]:
    rules = rule_blocks(module.resources[f"okta_app_signon_policy_rules.{app_key}"])
    return next(rule for rule in rules if strings(rule["name"]) == [name])
