#!/usr/bin/env bash
# The fault matrix: both modules through ansible-playbook against the
# simulator's fault injection, at -vvvv with a log file, which are then
# searched for every secret. A second simulator stands in for "another host"
# and must receive nothing.
set -eu
source ../setup_simulator/simulator.sh

start_simulator
OTHER_PID=
stop_all() { stop_simulator; [ -n "${OTHER_PID}" ] && kill "${OTHER_PID}" 2>/dev/null; wait 2>/dev/null || true; }
trap 'rc=$?; stop_all; exit $rc' EXIT
MAIN_URL="${SIM_URL}"
other_file="$(mktemp -u)"
python "${SIM_DIR}/run_simulator.py" --port 0 --seed "${SIM_DIR}/seeds/test.json" --url-file "${other_file}" >/dev/null &
OTHER_PID=$!
for _ in $(seq 1 100); do [ -s "${other_file}" ] && break; sleep 0.1; done
OTHER_URL="$(cat "${other_file}")"
rm -f "${other_file}"
export SIM_URL="${MAIN_URL}" OTHER_URL

out="$(mktemp)"
status=0
ANSIBLE_LOG_PATH="${out}.log" ansible-playbook -vvvv -i localhost, -c local main.yml "$@" >"${out}" 2>&1 || status=$?
grep -E "^(TASK|ok|fatal|PLAY RECAP|  *\"msg\": \"MEASURED)|localhost +:" "${out}" | grep -vE "^ok: \[localhost\] => \{$" || true
if [ "${status}" != 0 ]; then
    tail -80 "${out}"
    exit "${status}"
fi
for secret in tok-7f3e9c1d5b2a4e6f8a0b sec-4c8e2a6f0d1b3e5a7c9d wrong-token-3b9f1e; do
    if grep -q -- "${secret}" "${out}" "${out}.log"; then
        echo "FAILED: a secret appears in the -vvvv output or the log file" >&2
        exit 1
    fi
done
grep -q "Traceback" "${out}" && { echo "FAILED: a traceback in the output" >&2; exit 1; }
echo "fault matrix passed; no secret and no traceback in $(wc -l <"${out}") lines of -vvvv output or the log file"
rm -f "${out}" "${out}.log"
