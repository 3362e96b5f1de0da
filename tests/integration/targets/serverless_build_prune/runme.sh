#!/usr/bin/env bash
# Prune builds through ansible-playbook against the simulator, at -vvvv, searched for every secret afterwards.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "serverless_build_prune passed; no secret in -vvvv output"
