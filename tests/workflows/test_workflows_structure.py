"""What every workflow promises: least privilege, pinned actions, Okta secrets only where Okta is
called, the committed lock file, and every `run:` command being one the project provides (each
workflow's own lifecycle: test_workflows_lifecycles.py)."""

from __future__ import annotations

import re

import pytest
from paths import REPO
from workflow_support import (
    EG,
    NAMES,
    ON_CONFIG,
    PINNED_ACTIONS,
    WORKFLOWS,
    all_commands,
    commands,
    load,
)

from generator.cli import build_parser

EXTERNAL = {"python", EG}
BUILTINS = {"echo", "exit", "set", "[", "test", "true"}
ALLOWED_ACTIONS = set(PINNED_ACTIONS)
# The steps that talk to Okta, and so the only ones given its secrets.
OKTA_STEPS = {
    "pr.yml": {"terraform plan"},
    "apply.yml": {
        "terraform plan",
        "terraform apply (the saved plan; Terraform refuses it if the state moved since)",
    },
    "drift.yml": {"egress-guard drift (0 in sync, 2 drift, 1 error)"},
    "ip-refresh.yml": set(),
    "watch.yml": {"egress-guard watch (0 nothing found, 2 alerts, 1 error)"},
}


def test_command_splitting() -> None:
    script = (
        'set +e\nif [ "$c" = 2 ]; then echo "a; b | c" >> "$OUT"; exit 0; fi\nx 2>&1 > f\nc=$? y'
    )
    assert commands(script) == [
        ["set", "+e"],
        ["[", "$c", "=", "2", "]"],
        ["echo", "a; b | c"],
        ["exit", "0"],
        ["x"],
        ["y"],
    ]


def test_every_workflow_is_checked() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.y*ml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_least_privilege(name: str) -> None:
    workflow = load(name)
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    # Only the apply job, behind the protected environment, asks for write scopes in Okta.
    assert text.count(".manage") == (2 if name == "apply.yml" else 0)
    assert isinstance(workflow["permissions"], dict), "explicit top-level permissions"
    assert "write-all" not in str(workflow)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
            if "uses" in step:
                assert step["uses"] in ALLOWED_ACTIONS


def test_run_steps_only_call_project_commands() -> None:
    used = {words[0] for _, words in all_commands()}
    assert used <= EXTERNAL | BUILTINS, used - EXTERNAL - BUILTINS


def test_egress_guard_invocations_match_the_cli() -> None:
    parser = build_parser()
    invocations = [words for _, words in all_commands() if words[0] == EG]
    assert len(invocations) >= 20
    for words in invocations:
        args = [re.sub(r"\$\{?[A-Z_]+\}?", "1", word) for word in words[1:]]
        try:
            parser.parse_args(args)
        except SystemExit as error:
            pytest.fail(f"{' '.join(words)}: egress-guard refuses these arguments ({error})")


def test_terraform_runs_on_the_configs_root_module() -> None:
    """Every Terraform step derives the root module from the policy's output.dir, so a
    workflow can never plan or apply another module than the one generate wrote."""
    for name in NAMES:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert text.count("egress-guard terraform ") == text.count("egress-guard " + ON_CONFIG)


def test_workflows_install_the_package_not_the_checkout_tools() -> None:
    installs = [words for _, words in all_commands() if words[0] == "python"]
    assert installs and all(words[:4] == ["python", "-m", "pip", "install"] for words in installs)
    assert "make" not in {words[0] for _, words in all_commands()}


@pytest.mark.parametrize("name", NAMES)
def test_okta_secrets_reach_only_the_steps_that_call_okta(name: str) -> None:
    """Not job-level: `pip install` (third-party code) and `terraform init` (provider
    downloads) run without the Okta credentials in their environment."""
    workflow = load(name)
    assert "secrets.OKTA" not in str(workflow.get("env", {}))
    given: set[str] = set()
    for job in workflow["jobs"].values():
        assert "secrets.OKTA" not in str(job.get("env", {})), "job-level Okta secrets"
        for step in job["steps"]:
            if "secrets.OKTA" in str(step.get("env", {})):
                given.add(step["name"])
                assert set(step["env"]) >= {"OKTA_API_TOKEN", "OKTA_API_PRIVATE_KEY"}
            if "pip install" in step.get("run", "") or " init" in step.get("run", ""):
                assert "secrets." not in str(step.get("env", {}))
    assert given == OKTA_STEPS[name]


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned_by_commit_sha_with_the_release_in_a_comment(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", action), action
        assert comment.strip() == f"# {PINNED_ACTIONS[action]}"


@pytest.mark.parametrize("name", NAMES)
def test_terraform_init_keeps_the_committed_lock_file(name: str) -> None:
    inits = [words for wf, words in all_commands() if wf == name and "init" in words]
    for words in inits:
        assert words[-2:] == ["--lockfile", "readonly"], words
    assert bool(inits) == (name in ("pr.yml", "apply.yml"))


def test_the_lock_file_is_not_ignored() -> None:
    """docs/terraform.md says to commit terraform/.terraform.lock.hcl: git must not ignore it."""
    for ignore in (REPO / ".gitignore", REPO / "generator/scaffold/templates/root/gitignore"):
        assert ".terraform.lock.hcl" not in [
            line.strip() for line in ignore.read_text().splitlines()
        ]
