#!/usr/bin/env bash
# Seed logs in the simulator, read them with filters through ansible-playbook at -vvvv, refuse bad input, and
# search the output for every secret afterwards.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "serverless_logs_info passed; no secret in -vvvv output"
