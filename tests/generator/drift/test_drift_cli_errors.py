"""`egress-guard drift` errors: usage errors exit 1 (2 means drift), and no error path ever
shows a credential — malformed values, a key without its PEM lines, unexpected exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from drift_support import config_fixture

from generator.cli import main
from generator.commands import drift as drift_command

config = config_fixture("cli-errors")
SECRET = "00SECRETtokenPART"


@pytest.fixture(autouse=True)
def unreachable_org(monkeypatch: pytest.MonkeyPatch) -> None:
    # The only Okta setting (conftest removes the caller's), where nothing listens: every case
    # below must fail before the first request.
    monkeypatch.setenv("OKTA_ORG_URL", "http://127.0.0.1:9")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "the following arguments are required: --config"),
        (["--config", "x.yaml", "--format", "yaml"], "invalid choice: 'yaml'"),
        (["--config", "x.yaml", "--log-days", "abc"], "'abc' is not a whole number"),
        (["--config", "x.yaml", "--log-days", "0"], "'0' must be at least 1"),
        (["--config", "x.yaml", "--concurrency", "-2"], "'-2' must be at least 1"),
        (["--config", "x.yaml", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_1_not_the_drift_code(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["drift", *arguments])
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "usage: egress-guard drift" in err and message in err


def test_other_commands_keep_argparse_usage_code() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["simulate", "--bogus"])
    assert caught.value.code == 2


def _run(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["drift", "--config", str(config), "--no-events"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_token_with_a_line_break_is_refused_without_showing_it(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", f"{SECRET}1\n{SECRET}2")
    code, output = _run(config, capsys)
    assert code == 1
    assert "OKTA_API_TOKEN contains characters that cannot be sent" in output
    assert SECRET not in output and "Traceback" not in output


def test_client_id_with_a_space_is_refused_without_showing_it(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OKTA_API_CLIENT_ID", f"0oa {SECRET}")
    monkeypatch.setenv("OKTA_API_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nx\n")
    code, output = _run(config, capsys)
    assert code == 1 and "OKTA_API_CLIENT_ID contains characters" in output
    assert SECRET not in output


def _key_body(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


@pytest.mark.parametrize("kind", ["bare base64 body", "missing file"])
def test_private_key_value_is_never_echoed(
    config: Path,
    kind: str,
    rsa_key_pems: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = _key_body(rsa_key_pems[0])
    value = body if kind == "bare base64 body" else f"/nonexistent/{SECRET}.pem"
    monkeypatch.setenv("OKTA_API_CLIENT_ID", "0oaCLIENT")
    monkeypatch.setenv("OKTA_API_PRIVATE_KEY", value)
    code, output = _run(config, capsys)
    assert code == 1
    expected = "without its '-----BEGIN" if kind == "bare base64 body" else "neither PEM text"
    assert expected in output and "OKTA_API_PRIVATE_KEY" in output
    assert value not in output and value[:40] not in output and SECRET not in output


def test_an_unexpected_exception_is_one_line_without_its_message(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", SECRET)

    def explode(*_: object) -> None:
        # What `requests` raises for a header it cannot send: it repeats the header.
        raise ValueError(f"Invalid header value b'SSWS {SECRET}'")

    monkeypatch.setattr(drift_command, "run_drift", explode)
    code, output = _run(config, capsys)
    assert code == 1
    [line] = output.strip().splitlines()
    assert line.startswith("egress-guard: error: internal error: ValueError at ")
    assert SECRET not in output and "Traceback" not in output
