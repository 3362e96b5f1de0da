#!/usr/bin/env bash
# Set, re-run, change, prune and delete variables through ansible-playbook against the simulator, at -vvvv,
# searched afterwards for every secret: the credentials and each variable value, from the option and from the
# .env file.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

# The values main.yml sets (its vars and the .env it writes); none may appear in the output.
export EXTRA_SECRETS="option-secret-5e1f0c9a file-secret-83b2d7e4 changed-secret-c04a19f2 file-token-2b7d90aa"
out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "serverless_variables passed; no secret or variable value in -vvvv output"
