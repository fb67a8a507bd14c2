#!/usr/bin/env python3
"""Rewrite the repository's terraform/*.tf and .github/workflows/*.yml from the templates that
`egress-guard init` ships (generator/scaffold/templates/), rendered for this repository's layout.
Edit the templates, then run this; tests/generator/scaffold/ fails while the two differ."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.scaffold import repository_files  # noqa: E402


def main() -> int:
    for name, text in sorted(repository_files().items()):
        path = ROOT / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"updated {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
