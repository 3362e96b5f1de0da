#!/usr/bin/env bash
# Verify environments of the simulator through ansible-playbook at -vvvv: the log gate, the roll back on failure,
# check mode, "no traffic, no logs" and bad input; then search the output for every secret.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "serverless_verify passed; no secret in -vvvv output"
