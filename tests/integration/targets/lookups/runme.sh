#!/usr/bin/env bash
# The two lookups in a playbook against the simulator: options from variables and
# from the environment, errors without secrets, at -vvvv.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
# main.yml tests the options from variables: the launcher's TWILIO_SERVERLESS_BASE_URL (and any other TWILIO_*
# variable of the caller) would otherwise supply them, and a broken vars: path would pass unseen.
(
    unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET TWILIO_REGION TWILIO_EDGE \
        TWILIO_SERVERLESS_BASE_URL TWILIO_SERVERLESS_CA_PATH
    run_verbose "${out}" main.yml "$@"
)
# Options from the controller's environment, as AWX's credential injects them; a blank variable is unset.
TWILIO_ACCOUNT_SID="${SIM_ACCOUNT_SID}" TWILIO_AUTH_TOKEN="${SIM_AUTH_TOKEN}" TWILIO_API_KEY="" TWILIO_API_SECRET="" \
    TWILIO_SERVERLESS_BASE_URL="${SIM_URL}" run_verbose "${out}" env.yml "$@"
assert_no_secrets "${out}"
rm -f "${out}"
echo "lookups passed; no secret in -vvvv output"
