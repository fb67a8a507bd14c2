"""What `egress-guard init` writes: the policy, the Terraform root module, the workflows,
`.gitignore` and a README, shipped as package data (`templates/`).

The repository's own `terraform/*.tf` and `.github/workflows/*.yml` are these templates rendered
for the repository's layout (`repository_layout()`); a test keeps them equal, and
`python -m generator.scaffold --sync-repository` rewrites them from the templates.

Templates use `@@NAME@@` markers (never `$`/`{{`: the workflows' shell and expressions use
those): CONFIG (the policy file, from the repository root), GENERATED (its output.dir, from the
root), INSTALL (the pip requirement the workflows install) and VERSION.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

from generator import __version__

DISTRIBUTION = "okta-egress-guard"
MARKER = re.compile(r"@@([A-Z]+)@@")
WORKFLOWS = ("pr.yml", "apply.yml", "drift.yml", "ip-refresh.yml", "watch.yml")
ROOT_MODULE = ("versions.tf", "providers.tf", "main.tf", "variables.tf", "backend.tf.example")
POLICY_FILE = "egress-policy.yaml"
# Marks a value `init` leaves for the user to fill in; `load_config` refuses any left over.
PLACEHOLDER = "<CHANGE ME"


@dataclass(frozen=True)
class Layout:
    """Where things live, relative to the repository root (POSIX paths)."""

    config: str = POLICY_FILE
    generated: str = "terraform/generated"
    install: str = f"{DISTRIBUTION}=={__version__}"  # what the workflows `pip install`

    @property
    def terraform(self) -> str:
        """The root module: the parent of the generated directory."""
        return str(PurePosixPath(self.generated).parent)

    def values(self) -> dict[str, str]:
        return {
            "CONFIG": self.config,
            "GENERATED": self.generated,
            "INSTALL": self.install,
            "VERSION": __version__,
        }


def repository_layout() -> Layout:
    """This source repository: the example policy, and the checkout itself installed."""
    return Layout(config="examples/egress-policy.yaml", install=".")


def template(name: str) -> str:
    """The text of one packaged template (`workflows/pr.yml`, `terraform/main.tf`, ...)."""
    node = resources.files(__package__).joinpath("templates", *name.split("/"))
    return node.read_text(encoding="utf-8")


def fill(text: str, values: dict[str, str], name: str) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {name}: unknown marker @@{key}@@")
        return values[key]

    return MARKER.sub(value, text)


def workflow_files(layout: Layout) -> dict[str, str]:
    """`.github/workflows/<name>` → text."""
    values = layout.values()
    return {
        f".github/workflows/{name}": fill(template(f"workflows/{name}"), values, name)
        for name in WORKFLOWS
    }


def root_module_files(layout: Layout) -> dict[str, str]:
    """`<terraform dir>/<name>` → text of the hand-written root module."""
    values = layout.values()
    return {
        f"{layout.terraform}/{name}": fill(template(f"terraform/{name}"), values, name)
        for name in ROOT_MODULE
    }


def scaffold_files(layout: Layout | None = None) -> dict[str, str]:
    """Every file `egress-guard init` writes, by path relative to the target directory."""
    chosen = layout or Layout()
    values = chosen.values()
    files = {
        chosen.config: fill(template(f"root/{POLICY_FILE}"), values, POLICY_FILE),
        ".gitignore": fill(template("root/gitignore"), values, "gitignore"),
        "README.md": fill(template("root/README.md"), values, "README.md"),
    }
    files.update(root_module_files(chosen))
    files.update(workflow_files(chosen))
    return files


def repository_files() -> dict[str, str]:
    """The files of this repository that are rendered from the templates."""
    layout = repository_layout()
    return {**root_module_files(layout), **workflow_files(layout)}
