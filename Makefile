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

.PHONY: help venv install demo test sanity units integration lint docs-check changelog-lint molecule \
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

test: install $(GET_PIP)
	$(MAKE) --no-print-directory sanity units integration lint docs-check changelog-lint
	@echo "make test: all suites passed"

sanity: $(GET_PIP)
	$(ANSIBLE_TEST) sanity --python 3.11 --color no

units:
	$(ANSIBLE_TEST) units --python 3.11 --local --color no

integration:
	$(ANSIBLE_TEST) integration --python 3.11 --local --color no

lint:
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-lint --offline --profile production --nocolor

docs-check:
	$(BIN)/python tests/utils/check_docs.py $(COLLECTIONS)

changelog-lint:
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

clean:
	rm -rf .venv .build tests/output
