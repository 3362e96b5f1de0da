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
# Every account's token in the seed: the subaccounts' too, read from the Accounts API at run time.
seed_tokens="$(python -c 'import json, os; print(" ".join(a["auth_token"] for a in json.load(open(os.environ["SIM_SEED"]))["accounts"]))')"
EXTRA_SECRETS="wrong-token-3b9f1e ${seed_tokens}" assert_no_secrets "${out}" "${out}.log"
grep -q "is suspended, not active" "${out}" || { echo "FAILED: expected the suspended subaccount's message" >&2; exit 1; }
grep -q "Twilio rejected the credentials" "${out}" || { echo "FAILED: expected the credentials message" >&2; exit 1; }
rm -f "${out}" "${out}.log"
echo "no secret in -vvvv output or log file"
