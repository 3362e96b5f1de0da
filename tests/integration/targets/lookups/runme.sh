#!/usr/bin/env bash
# Both lookups in a playbook against the simulator: options from variables and
# from the environment, errors without secrets, at -vvvv.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
run_verbose "${out}" main.yml "$@"
# Options from the controller's environment, as AWX's credential injects them; a blank variable is unset.
TWILIO_ACCOUNT_SID="${SIM_ACCOUNT_SID}" TWILIO_AUTH_TOKEN="${SIM_AUTH_TOKEN}" TWILIO_API_KEY="" TWILIO_API_SECRET="" \
    TWILIO_SERVERLESS_BASE_URL="${SIM_URL}" run_verbose "${out}" env.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "lookups passed; no secret in -vvvv output"
