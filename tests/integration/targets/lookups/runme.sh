#!/usr/bin/env bash
# Both lookups in a playbook against the simulator: options from variables and
# from the environment, errors without secrets, at -vvvv.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
status=0
ansible-playbook -vvvv -i localhost, -c local main.yml "$@" >"${out}" 2>&1 || status=$?
grep -E "^(TASK|fatal|PLAY RECAP)|localhost +:" "${out}" || true
if [ "${status}" != 0 ]; then
    tail -60 "${out}"
    exit "${status}"
fi
# Options from the controller's environment, as AWX's credential injects them; a blank variable is unset.
TWILIO_ACCOUNT_SID="${SIM_ACCOUNT_SID}" TWILIO_AUTH_TOKEN="${SIM_AUTH_TOKEN}" TWILIO_API_KEY="" TWILIO_API_SECRET="" \
    TWILIO_SERVERLESS_BASE_URL="${SIM_URL}" ansible-playbook -vvvv -i localhost, -c local env.yml "$@" >>"${out}" 2>&1 \
    || { tail -40 "${out}"; exit 1; }
for secret in "${SIM_AUTH_TOKEN}" "${SIM_API_SECRET}"; do
    if grep -q -- "${secret}" "${out}"; then
        echo "FAILED: a secret appears in the -vvvv output" >&2
        exit 1
    fi
done
rm -f "${out}"
echo "lookups passed; no secret in -vvvv output"
