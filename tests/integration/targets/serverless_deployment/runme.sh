#!/usr/bin/env bash
# Deploy, promote and roll back through ansible-playbook against the simulator,
# at -vvvv, searched for every secret afterwards.
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
for secret in "${SIM_AUTH_TOKEN}" "${SIM_API_SECRET}"; do
    if grep -q -- "${secret}" "${out}"; then
        echo "FAILED: a secret appears in the -vvvv output" >&2
        exit 1
    fi
done
rm -f "${out}"
echo "deployments passed; no secret in -vvvv output"
