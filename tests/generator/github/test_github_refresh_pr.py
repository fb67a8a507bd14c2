"""`egress-guard github refresh-pr`: one bot PR carrying regenerated files, via the Git data API."""

from __future__ import annotations

from pathlib import Path

import pytest
from github_fake import FakeGitHub, fake_github_in_env
from pytest_httpserver import HTTPServer

from generator.cli import main

OLD_ZONES = b'resource "okta_network_zone" "corporate_01" {}\n'
NEW_ZONES = b'resource "okta_network_zone" "corporate_01" { gateways = ["198.51.100.0/24"] }\n'


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    fake = fake_github_in_env(httpserver, monkeypatch)
    fake.seed_branch(
        "main",
        {
            "README.md": b"# policy\n",
            "terraform/generated/zones.tf": OLD_ZONES,
            "terraform/generated/lookups.tf": b"# lookups\n",
            "terraform/generated/stale.tf": b"# removed by the generator\n",
        },
    )
    return fake


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    generated = tmp_path / "terraform" / "generated"
    generated.mkdir(parents=True)
    (generated / "zones.tf").write_bytes(NEW_ZONES)
    (generated / "lookups.tf").write_bytes(b"# lookups\n")
    (generated / "egress-guard.lock.json").write_bytes(b"{}\n")
    (tmp_path / "summary.md").write_text("netskope-shared: +1 CIDR\n", encoding="utf-8")
    return tmp_path


def refresh(checkout: Path) -> int:
    return main(
        [
            "github", "refresh-pr", "--root", str(checkout), "--path", "terraform/generated",
            "--body-file", str(checkout / "summary.md"),
        ]
    )  # fmt: skip


def test_creates_then_updates_one_pr(github: FakeGitHub, checkout: Path) -> None:
    main_before = github.refs["main"]
    assert refresh(checkout) == 0
    (pr,) = github.pulls()
    assert pr["head"] == {"ref": "egress-guard/ip-refresh"} and pr["base"] == {"ref": "main"}
    assert "netskope-shared: +1 CIDR" in pr["body"]
    files = github.files_at("egress-guard/ip-refresh")
    assert files["terraform/generated/zones.tf"] == NEW_ZONES
    assert files["terraform/generated/egress-guard.lock.json"] == b"{}\n"
    assert "terraform/generated/stale.tf" not in files
    assert files["README.md"] == b"# policy\n"  # outside --path: untouched
    assert github.refs["main"] == main_before
    branch_commit = github.refs["egress-guard/ip-refresh"]
    assert github.commits[branch_commit]["parents"] == [{"sha": main_before}]

    # Same output next schedule: no new commit, PR unchanged.
    assert refresh(checkout) == 0
    assert github.refs["egress-guard/ip-refresh"] == branch_commit
    assert len(github.pulls()) == 1

    # Sources moved again: the branch moves, the same PR gets the new summary.
    (checkout / "terraform/generated/zones.tf").write_bytes(NEW_ZONES + b"# more\n")
    (checkout / "summary.md").write_text("corporate: -1 CIDR\n", encoding="utf-8")
    assert refresh(checkout) == 0
    assert github.refs["egress-guard/ip-refresh"] != branch_commit
    (pr,) = github.pulls()
    assert "corporate: -1 CIDR" in pr["body"]
    assert github.files_at("egress-guard/ip-refresh")["terraform/generated/zones.tf"].endswith(
        b"# more\n"
    )


def test_closes_pr_when_sources_match_base_again(github: FakeGitHub, checkout: Path) -> None:
    assert refresh(checkout) == 0
    (pr,) = github.pulls()
    generated = checkout / "terraform" / "generated"
    (generated / "zones.tf").write_bytes(OLD_ZONES)
    (generated / "egress-guard.lock.json").unlink()
    (generated / "stale.tf").write_bytes(b"# removed by the generator\n")
    assert refresh(checkout) == 0
    assert pr["state"] == "closed"
    assert "match the base branch" in github.comments_on(pr["number"])[-1]["body"]


def test_no_change_no_pr(github: FakeGitHub, tmp_path: Path) -> None:
    generated = tmp_path / "terraform" / "generated"
    generated.mkdir(parents=True)
    for path, data in github.files_at("main").items():
        if path.startswith("terraform/generated/"):
            (tmp_path / path).write_bytes(data)
    (tmp_path / "summary.md").write_text("nothing\n", encoding="utf-8")
    assert refresh(tmp_path) == 0
    assert github.pulls() == [] and set(github.refs) == {"main"}
    assert not any(method == "POST" for method, _ in github.calls)


def test_path_outside_repository_is_refused(
    github: FakeGitHub, checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["github", "refresh-pr", "--root", str(checkout), "--path", "../etc",
         "--body-file", str(checkout / "summary.md")]
    )  # fmt: skip
    assert code == 2 and "inside the repository" in capsys.readouterr().err
    assert github.pulls() == []
