#!/usr/bin/env bash
# The fault matrix: serverless_build_info and serverless_build_wait through ansible-playbook against the
# simulator's fault injection, at -vvvv with a log file, which are then
# searched for every secret. A second simulator stands in for "another host"
# and must receive nothing.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"
SIM_URL_ENV=OTHER_URL with_simulator "$0" "$@"

out="$(mktemp)"
status=0
ANSIBLE_LOG_PATH="${out}.log" ansible-playbook -vvvv -i localhost, -c local main.yml "$@" >"${out}" 2>&1 || status=$?
grep -E "^(TASK|ok|fatal|PLAY RECAP|  *\"msg\": \"MEASURED)|localhost +:" "${out}" | grep -vE "^ok: \[localhost\] => \{$" || true
if [ "${status}" != 0 ]; then
    tail -80 "${out}"
    exit "${status}"
fi
EXTRA_SECRETS=wrong-token-3b9f1e assert_no_secrets "${out}" "${out}.log"
grep -q "Traceback" "${out}" && { echo "FAILED: a traceback in the output" >&2; exit 1; }
echo "fault matrix passed; no secret and no traceback in $(wc -l <"${out}") lines of -vvvv output or the log file"
rm -f "${out}" "${out}.log"
