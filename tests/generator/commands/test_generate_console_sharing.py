"""`generate` with Okta credentials checks that the Admin Console's authentication policy is its
own: shared with other apps while the rules cover every user, it refuses (exit 1, nothing
written) naming the apps, unless --force; with admin-group scoping it warns; without
credentials or with --offline it says the check was not made."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from drift_support import Admin, org_in_env_fixture, write_config

from generator.cli import main
from okta_sandbox import Sandbox

org = org_in_env_fixture()


def share_console_policy(sandbox: Sandbox) -> None:
    admin = Admin(sandbox)
    [dashboard] = admin.call("GET", "/api/v1/apps", filter='name eq "okta_enduser"')
    admin.call("PUT", f"/api/v1/apps/{dashboard['id']}/policies/{admin.admin_console_policy_id()}")


def generate(config: Path, *extra: str) -> int:
    return main(["generate", "--config", str(config), *extra])


def test_not_checked_without_credentials_or_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    assert generate(config) == 0
    assert "shared with other apps was not checked (no Okta credentials)" in capsys.readouterr().err
    assert generate(config, "--offline") == 0
    assert "was not checked (--offline)" in capsys.readouterr().err


def test_an_unshared_policy_passes_quietly(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(write_config(tmp_path)) == 0
    assert "Admin Console's authentication policy" not in capsys.readouterr().err


def test_a_shared_policy_is_refused_when_the_rules_cover_everyone(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share_console_policy(org)
    config = write_config(tmp_path)
    assert generate(config) == 1
    err = capsys.readouterr().err
    assert "would confine every user of 'Okta Dashboard'; nothing was written" in err
    assert "okta.admin_console.dedicated_policy: true" in err
    assert not (tmp_path / "generated").exists()
    assert generate(config, "--force") == 0
    assert "warning: --force: the Okta Admin Console's authentication policy" in (
        capsys.readouterr().err
    )


def test_a_shared_policy_only_warns_with_admin_group_scoping(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share_console_policy(org)
    config = write_config(tmp_path)
    document = yaml.safe_load(config.read_text())
    document["okta"]["admin_console"]["applies_to"] = "admin_groups"
    config.write_text(yaml.safe_dump(document))
    assert generate(config) == 0
    err = capsys.readouterr().err
    assert "warning: the Okta Admin Console's authentication policy" in err
    assert "the admin groups' members on those apps too" in err
