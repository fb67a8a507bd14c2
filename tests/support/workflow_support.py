"""Reading the workflows in .github/workflows/ (test_workflows_structure.py,
test_workflows_lifecycles.py): their YAML, steps, triggers, and the simple commands of their
`run:` scripts."""

from __future__ import annotations

import re
import shlex
from typing import Any

import yaml
from paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"
NAMES = ("pr.yml", "apply.yml", "drift.yml", "ip-refresh.yml", "watch.yml")
EG = "egress-guard"
KEYWORDS = {"if", "then", "else", "elif", "fi", "!"}
# Third-party actions pinned by full commit SHA (a tag can be moved to other code), the release
# in a comment. SHAs of the releases as pinned in several public repositories' workflows (GitHub
# itself is out of reach here; see docs/gitops.md).
PINNED_ACTIONS = {
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683": "v4.2.2",
    "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065": "v5.6.0",
    "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02": "v4.6.2",
    "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093": "v4.3.0",
    "actions/cache/restore@5a3ec84eff668545956fd18022155c47e93e2684": "v4.2.3",
    "actions/cache/save@5a3ec84eff668545956fd18022155c47e93e2684": "v4.2.3",
}
UPLOAD = next(a for a in PINNED_ACTIONS if a.startswith("actions/upload-artifact@"))


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on: dict[str, Any] = workflow[True]  # YAML 1.1 reads the key `on` as True
    return on


ON_CONFIG = 'terraform --config "$EGRESS_GUARD_CONFIG" '


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    """The steps of every job; `terraform --config "$EGRESS_GUARD_CONFIG" ACTION` reads as
    `terraform ACTION` (test_terraform_runs_on_the_configs_root_module checks the option)."""
    found = [dict(step) for job in workflow["jobs"].values() for step in job["steps"]]
    for step in found:
        if "run" in step:
            step["run"] = step["run"].replace(ON_CONFIG, "terraform ")
    return found


def step_named(workflow: dict[Any, Any], fragment: str) -> dict[str, Any]:
    return next(s for s in steps(workflow) if fragment in s.get("name", ""))


SEPARATORS = {";", "&&", "||", "|", "&"}
REDIRECTIONS = {">", ">>", "<", ">&", "&>", "<&"}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def commands(script: str) -> list[list[str]]:
    """Simple commands of a run script (quotes respected, redirections dropped)."""
    found: list[list[str]] = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        words: list[str] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if token in REDIRECTIONS:
                index += 2
                continue
            if token.isdigit() and following in REDIRECTIONS:
                index += 1
                continue
            if token in SEPARATORS:
                found.append(words)
                words = []
            else:
                words.append(token)
            index += 1
        found.append(words)
    result = []
    for words in found:
        while words and (words[0] in KEYWORDS or ASSIGNMENT.match(words[0])):
            words = words[1:]
        if words:
            result.append(words)
    return result


def all_commands() -> list[tuple[str, list[str]]]:
    return [
        (name, words)
        for name in NAMES
        for step in steps(load(name))
        if "run" in step
        for words in commands(step["run"])
    ]
