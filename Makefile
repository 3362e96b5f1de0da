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

.PHONY: help venv install demo docs test sanity units integration lint docs-check changelog-lint molecule \
        runner-test ee-check artifact-check bench clean

help:
	@echo "make demo   - set up .venv, install the collection, run the example release playbook against the simulator"
	@echo "make test   - every test suite: sanity, units, integration, lint, docs and changelog checks"
	@echo "make bench  - benchmarks against the simulator (not part of make test)"

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

SUITES := sanity units integration molecule runner-test lint docs-check changelog-lint ee-check artifact-check

# -k: every suite runs even when one fails, and make test fails if any failed.
test: install $(GET_PIP)
	$(MAKE) --no-print-directory -k $(SUITES)
	@echo "make test: all suites passed ($(SUITES))"

sanity: $(GET_PIP)
	$(ANSIBLE_TEST) sanity --python 3.11 --color no

units:
	$(ANSIBLE_TEST) units --python 3.11 --local --color no

integration:
	$(ANSIBLE_TEST) integration --python 3.11 --local --color no

molecule:
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python tests/utils/with_simulator.py -- \
		$(BIN)/molecule test -s build_gate

runner-test:
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/awx

ee-check:
	$(BIN)/python tests/utils/check_ee.py $(COLLECTIONS)

artifact-check:
	$(BIN)/python tests/utils/check_artifact.py .build/twilio_community-serverless-*.tar.gz

lint:
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-lint --offline --profile production --nocolor

# Module and role reference, generated from the code; docs-check fails when it is stale.
docs: install
	rm -rf docs/reference && mkdir -m 0755 docs/reference
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/antsibull-docs collection --use-current --squash-hierarchy \
		--output-format simplified-rst --dest-dir docs/reference twilio_community.serverless

docs-check:
	$(BIN)/python tests/utils/check_docs.py $(COLLECTIONS)

changelog-lint:
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Benchmarks against the simulator with 20 ms per request; writes docs/performance.md.
bench: install
	$(BIN)/python benchmarks/bench.py --latency 0.02 --runs 3

clean:
	rm -rf .venv .build tests/output
