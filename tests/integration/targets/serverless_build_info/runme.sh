#!/usr/bin/env bash
# Runs the module through ansible-playbook against the simulator, which the
# launcher starts on 127.0.0.1 and always stops.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

ansible-playbook -i localhost, -c local main.yml "$@"

# The secrets must not reach any output, even at -vvvv and with a failing task.
out="$(mktemp)"
ANSIBLE_LOG_PATH="${out}.log" ansible-playbook -vvvv -i localhost, -c local leak.yml >"${out}" 2>&1
for secret in "${SIM_AUTH_TOKEN}" "${SIM_API_SECRET}" wrong-token-3b9f1e; do
    if grep -q -- "${secret}" "${out}" "${out}.log"; then
        echo "FAILED: a secret appears in the -vvvv output or the log file" >&2
        exit 1
    fi
done
grep -q "Twilio rejected the credentials" "${out}" || { echo "FAILED: expected the credentials message" >&2; exit 1; }
rm -f "${out}" "${out}.log"
echo "no secret in -vvvv output or log file"
