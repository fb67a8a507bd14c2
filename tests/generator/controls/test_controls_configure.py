"""Configuring Okta's own controls: what the opt-in config keys render (ThreatInsight, API
token restriction with its root-module import, the anonymizer deny rules), the lockout
preflight's proofs for them, token ids by name, and generate's root-module file."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from drift_support import write_config

from generator.cli import main
from generator.config import load_config
from generator.controls.token_ids import lookup
from generator.errors import InputError, RefusedError
from generator.lockfile import build_lock, dump_lock, read_lock
from generator.model import DesiredState, Shard, build_desired_state
from generator.okta.client import OktaClient
from generator.render import render_terraform
from generator.render.controls import IMPORTS_FILE, root_files
from generator.render.loaded import load_module
from generator.settings import (
    ApiTokensConfig,
    BreakGlassConfig,
    Config,
    ControlsConfig,
    OktaConfig,
    ThreatInsightConfig,
    TokenRef,
)
from generator.simulate.preflight import check_before_write, format_report, run_preflight
from okta_sandbox import Sandbox

SHARDS = (
    Shard("netskope-shared", 1, ("8.36.116.0/24", "8.39.144.0/24")),
    Shard("corporate", 1, ("198.51.100.0/24",)),
)
BREAK_GLASS = BreakGlassConfig(users=("breakglass@example.com",), group="Break Glass Accounts")


def state_with(
    controls: ControlsConfig,
    token_ids: dict[str, str] | None = None,
    mode: str = "enforce",
    **okta: object,
) -> DesiredState:
    config = Config(
        path=Path("egress-policy.yaml"),
        mode=mode,  # type: ignore[arg-type]
        okta=OktaConfig(break_glass=BREAK_GLASS, **okta),  # type: ignore[arg-type]
        controls=controls,
    )
    return build_desired_state(config, SHARDS, token_ids)


def write(directory: Path, state: DesiredState) -> Path:
    directory.mkdir(parents=True)
    for name, text in render_terraform(state).items():
        (directory / name).write_text(text)
    return directory


def test_nothing_opted_in_renders_no_controls() -> None:
    state = state_with(ControlsConfig())
    assert "controls.tf" not in render_terraform(state)
    assert root_files(state) == {}
    assert state.dynamic_zones == () and len(state.session_policy.rules) == 2


def test_threat_insight_excludes_exactly_the_trusted_zones(tmp_path: Path) -> None:
    state = state_with(ControlsConfig(threat_insight=ThreatInsightConfig("audit", manage=True)))
    module = load_module(write(tmp_path / "generated", state))
    resource = module.resources["okta_threat_insight_settings.this"]
    assert resource.body.attributes["action"].text == '"audit"'
    zones = resource.body.attributes["exclude_zones"].text
    assert "okta_network_zone.corporate_01.id" in zones
    assert "okta_network_zone.netskope_shared_01.id" in zones


def test_a_restricted_token_is_imported_in_the_root_and_never_destroyed() -> None:
    restrict = (TokenRef(name="ci deploy"), TokenRef(id="00Tabc123"))
    controls = ControlsConfig(api_tokens=ApiTokensConfig(restrict=restrict))
    state = state_with(controls, {"ci deploy": "00Tci1"})
    text = render_terraform(state)["controls.tf"]
    assert 'resource "okta_api_token" "ci_deploy" {\n  id = "00Tci1"' in text
    assert 'resource "okta_api_token" "token_00tabc123" {\n  id = "00Tabc123"' in text
    assert text.count("prevent_destroy = true") == 2
    assert text.count('connection = "ZONE"') == 2
    imports = root_files(state)[IMPORTS_FILE]
    assert 'to = module.egress_guard.okta_api_token.ci_deploy\n  id = "00Tci1"' in imports
    unresolved = state_with(controls)  # no id known for the name
    with pytest.raises(InputError, match="the id of API token 'ci deploy' is unknown"):
        render_terraform(unresolved)


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_anonymizer_deny_comes_right_after_allow_trusted(tmp_path: Path, mode: str) -> None:
    state = state_with(ControlsConfig(anonymizer_deny=True), mode=mode, extra_apps=("AWS",))
    [zone] = state.dynamic_zones
    assert (zone.name, zone.categories) == ("egress-guard-anonymizers", ("ALL_ANONYMIZERS",))
    status = "ACTIVE" if mode == "enforce" else "INACTIVE"
    rules = state.session_policy.rules
    assert [(r.key, r.priority) for r in rules] == [
        ("admins_allow_trusted", 1),
        ("admins_deny_anonymizers", 2),
        ("admins_deny_other", 3),
    ]
    assert (rules[1].status, rules[1].network_includes) == (status, ("anonymizers",))
    assert rules[1].users_excluded == ("breakglass@example.com",)
    assert rules[1].groups_members_excluded == ("Break Glass Accounts",)
    console, aws = state.app_policies
    assert console.rules[1].groups_included == ()  # whoever reaches the Admin Console
    assert aws.rules[1].groups_included == state.admin_groups  # only the admins of other apps
    assert [r.priority for r in aws.rules] == [1, 2, 3]
    module = load_module(write(tmp_path / "generated", state))
    dynamic = module.resources["okta_network_zone.anonymizers"]
    assert dynamic.body.attributes["type"].text == '"DYNAMIC_V2"'
    assert dynamic.body.attributes["usage"].text == '"POLICY"'
    deny = module.resources["okta_policy_rule_signon.admins_deny_other"]
    assert deny.depends_on == ("okta_policy_rule_signon.admins_deny_anonymizers",)


def test_the_preflight_proves_the_anonymizer_rule_locks_nobody_out() -> None:
    state = state_with(ControlsConfig(anonymizer_deny=True))
    assert run_preflight(state).ok  # after allow-trusted, break-glass excluded
    first = tuple(
        replace(rule, priority={1: 2, 2: 1}.get(rule.priority, rule.priority))
        for rule in state.session_policy.rules
    )
    moved = replace(state, session_policy=replace(state.session_policy, rules=first))
    report = run_preflight(moved)
    failures = [f for f in report.blocking if f.check == "dynamic-zone"]
    assert failures and all("egress-guard-anonymizers" in f.message for f in failures)
    assert "8.36.116.0/24" in failures[0].ranges
    rules = tuple(
        replace(r, users_excluded=(), groups_members_excluded=()) if "anonym" in r.key else r
        for r in state.session_policy.rules
    )
    exposed = replace(state, session_policy=replace(state.session_policy, rules=rules))
    bad = [f for f in run_preflight(exposed).blocking if f.check == "dynamic-zone"]
    assert any(f.message.startswith("break-glass breakglass@example.com") for f in bad)


def test_restricted_tokens_refuse_operator_ranges_outside_the_trusted_zones() -> None:
    controls = ControlsConfig(api_tokens=ApiTokensConfig(restrict=(TokenRef(id="00Tabc"),)))
    stream = io.StringIO()
    check_before_write(state_with(controls), force=False, stream=stream)  # no operator ranges
    assert "will only work from the trusted zones" in stream.getvalue()
    outside = state_with(controls, operator_ips=("203.0.113.0/28", "198.51.100.0/25"))
    with pytest.raises(RefusedError, match=r"operator range 203\.0\.113\.0/28"):
        check_before_write(outside, force=False, stream=io.StringIO())
    forced = io.StringIO()
    check_before_write(outside, force=True, stream=forced)
    assert "preflight FAIL [token-network]" in forced.getvalue()
    assert "198.51.100.0/25" not in format_report(run_preflight(outside))


def test_token_names_are_looked_up_exactly() -> None:
    with Sandbox.start(seed="default") as org:
        env = {"OKTA_ORG_URL": org.org_url, "OKTA_API_TOKEN": org.api_token}
        with OktaClient.from_env(env) as client:
            found = lookup(client, ["terraform"])
            assert found["terraform"].startswith("00T")
            with pytest.raises(InputError, match=r"no API token named 'nope'.*'terraform'"):
                lookup(client, ["nope"])

        def twin(state: dict[str, object]) -> None:
            for token in state["api_tokens"].values():  # type: ignore[attr-defined]
                token["name"] = "terraform"

        org.mutate(twin)
        with OktaClient.from_env(env) as client, pytest.raises(InputError, match="2 API tokens"):
            lookup(client, ["terraform"])


def test_the_lock_keeps_the_token_ids_and_old_locks_still_read(tmp_path: Path) -> None:
    lock = build_lock([], SHARDS, {"zones.tf": "x"}, {"terraform": "00T1"})
    (tmp_path / "egress-guard.lock.json").write_text(dump_lock(lock))
    assert dict(read_lock(tmp_path).api_tokens) == {"terraform": "00T1"}  # type: ignore[union-attr]
    plain = json.loads(dump_lock(build_lock([], SHARDS, {"zones.tf": "x"})))
    assert "api_tokens" not in plain  # a lock without tokens is unchanged


def _generate(config: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["generate", "--config", str(config), "--offline", *extra])
    return code, out.getvalue()


def test_generate_writes_and_removes_the_root_import_file(tmp_path: Path) -> None:
    root = tmp_path / "terraform"
    root.mkdir()
    (root / "main.tf").write_text('module "egress_guard" {\n  source = "./generated"\n}\n')
    config = write_config(tmp_path)
    document = yaml.safe_load(config.read_text())
    document["output"]["dir"] = str(root / "generated")
    document["controls"]["api_tokens"]["restrict"] = [{"id": "00Tabc123"}]
    config.write_text(yaml.safe_dump(document))
    assert _generate(config)[0] == 0
    imports = root / IMPORTS_FILE
    assert 'id = "00Tabc123"' in imports.read_text()
    assert _generate(config, "--check")[0] == 0
    imports.write_text(imports.read_text().replace("00Tabc123", "00Tother"))
    code, output = _generate(config, "--check")
    assert code == 1 and f"../{IMPORTS_FILE} (differs)" in output
    document["controls"]["api_tokens"]["restrict"] = []
    config.write_text(yaml.safe_dump(document))
    assert _generate(config)[0] == 0
    assert not imports.exists()  # nothing to import: egress-guard's file is gone


@pytest.mark.parametrize(
    ("restrict", "message"),
    [
        ([{"name": "ci"}, {"name": "ci"}], "restrict[1].name: 'ci' is listed twice"),
        ([{"id": "not-a-token"}], "restrict[0].id"),
        ([{}], "restrict[0]"),
    ],
)
def test_restricted_tokens_are_validated(tmp_path: Path, restrict: object, message: str) -> None:
    config = write_config(tmp_path)
    document = yaml.safe_load(config.read_text())
    document["controls"]["api_tokens"]["restrict"] = restrict
    config.write_text(yaml.safe_dump(document))
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(config)


def test_drift_compares_the_anonymizer_zone_and_rules(tmp_path: Path) -> None:
    from generator.drift.apply_expected import apply_expected
    from generator.drift.posture import default_posture_checks
    from generator.drift.run import DriftOptions, run_drift

    state = state_with(ControlsConfig(anonymizer_deny=True))
    with Sandbox.start(seed="hardened") as org:
        env = {"OKTA_ORG_URL": org.org_url, "OKTA_API_TOKEN": org.api_token}
        options = DriftOptions(posture_checks=default_posture_checks(), with_events=False)
        with OktaClient.from_env(env) as client:
            apply_expected(client, state)
            report = run_drift(client, state, options)
        assert report.findings == ()
        controls = {c.check_id: c for c in report.controls}
        assert controls["anonymizer-blocking"].status == "pass"
        zone = next(
            z for z in org.snapshot()["zones"].values() if z["name"] == "egress-guard-anonymizers"
        )

        def narrow(state_: dict[str, object]) -> None:
            zones = state_["zones"]
            zones[zone["id"]]["ipServiceCategories"]["include"] = ["ANONYMIZER_TOR"]  # type: ignore[index]

        org.mutate(narrow)
        with OktaClient.from_env(env) as client:
            report = run_drift(client, state, options)
        [finding] = report.findings
        assert (finding.kind, finding.name) == ("zone", "egress-guard-anonymizers")
        assert [d.path for d in finding.diffs] == ["ipServiceCategories.include"]
