#!/usr/bin/env bash
# Build the example project from source through ansible-playbook against the simulator, at -vvvv,
# searched for every secret afterwards.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

# ansible-test copies only the tests; the example project is in the installed collection.
export EXAMPLE_PROJECT="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless/docs/examples/project"

out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "serverless_build passed; no secret in -vvvv output"
