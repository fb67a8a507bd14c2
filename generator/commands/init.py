"""`egress-guard init [DIR]`: scaffold a policy repository (the octoDNS-style layout: your own
infrastructure repository, egress-guard installed as a package).

Writes `egress-policy.yaml` (placeholders that `generate` refuses until edited), the Terraform
root module `terraform/`, the five GitHub workflows (installing this exact egress-guard version
from the package index), `.gitignore` and a README. Refuses, before writing anything, when any of
those files exists already. Exit codes: 0 written; 1 refused (files exist); 2 unusable DIR.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.atomic import write_text_atomic
from generator.errors import EXIT_OK, InputError, RefusedError
from generator.scaffold import PLACEHOLDER, Layout, scaffold_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="scaffold a policy repository: config, Terraform root module, workflows",
        description="Write egress-policy.yaml (with placeholders to edit), the Terraform root "
        "module terraform/, the GitHub workflows (.github/workflows/, installing this "
        "egress-guard version), .gitignore and README.md into DIR. Existing files are never "
        "overwritten: the command refuses and writes nothing.",
    )
    parser.add_argument(
        "dir", nargs="?", type=Path, default=Path("."), help="target directory (default: .)"
    )
    parser.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    target: Path = args.dir
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: not a directory")
    files = scaffold_files(Layout())
    existing = sorted(name for name in files if (target / name).exists())
    if existing:
        raise RefusedError(
            f"{target}: refusing to overwrite existing files: {', '.join(existing)}; nothing "
            "was written (move them away, or run init in an empty directory)"
        )
    written: list[Path] = []
    try:
        for name, text in sorted(files.items()):
            write_text_atomic(target / name, text)
            written.append(target / name)
    except OSError as error:
        for path in written:  # all or nothing
            path.unlink(missing_ok=True)
        raise InputError(
            f"{target}: cannot write {error.filename or target}: {error.strerror or error}"
        ) from None
    placeholders = files[Layout().config].count(f'"{PLACEHOLDER}')
    print(f"wrote {len(files)} files into {target}:")
    for name in sorted(files):
        print(f"  {name}")
    config = target / Layout().config
    print(
        f"next: edit {config} (replace the {placeholders} '{PLACEHOLDER} ...>' values), then\n"
        f"  egress-guard generate --config {config}\n"
        f"  egress-guard terraform --sandbox --config {config} apply   # rehearse offline\n"
        f"  egress-guard terraform --config {config} plan               # your org",
        file=sys.stderr,
    )
    return EXIT_OK
