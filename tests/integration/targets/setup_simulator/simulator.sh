# shellcheck shell=bash
# Sourced by runme.sh of targets that talk to the simulator. with_simulator
# re-runs the calling script under run_simulator.py, the one launcher of the
# simulator: it starts on 127.0.0.1 on a free port and is stopped when the
# script ends, whether the tests pass or fail. Inside, SIM_URL, SIM_SEED and
# SIM_ACCOUNT_SID, SIM_AUTH_TOKEN, SIM_API_KEY, SIM_API_SECRET (the seed's
# credentials) are set.

collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless"
SIM_DIR="${collection_root}/tests/simulator"

# How the simulator answers (tests/simulator/twilio_sim/variants.py): $SIM_VARIANTS (MODE[:SEED]), which
# run_simulator.py reads, else the file variants beside it in the installed copy, as ansible-test passes no
# variable of ours to a target (`make integration SIM_VARIANTS=variants:7` and the matrix's variants run write
# it), else as the spec's examples.
if [ -z "${SIM_VARIANTS:-}" ] && [ -f "${SIM_DIR}/variants" ]; then
    SIM_VARIANTS="$(cat "${SIM_DIR}/variants")"
    export SIM_VARIANTS
fi

# with_simulator SCRIPT [ARGS...] [--url-env NAME]: exec SCRIPT under the launcher unless already under it.
with_simulator() {
    local url_env="${SIM_URL_ENV:-SIM_URL}"
    if [ -z "${!url_env:-}" ]; then
        exec python "${SIM_DIR}/run_simulator.py" --seed "${SIM_DIR}/seeds/test.json" --url-env "${url_env}" \
            -- bash "$@"
    fi
}

# secret_parts VALUE: the value's runs of 8 characters holding two digits or more (the whole value when
# shorter), one per line: a message that quotes a secret's first characters leaks it as much as the whole.
secret_parts() {
    local value="$1" i part digits
    if [ "${#value}" -le 8 ]; then
        printf '%s\n' "${value}"
        return
    fi
    for ((i = 0; i + 8 <= ${#value}; i++)); do
        part="${value:i:8}"
        digits="${part//[^0-9]/}"
        if [ "${#digits}" -ge 2 ]; then
            printf '%s\n' "${part}"
        fi
    done
}

# assert_no_secrets FILE...: fail if any of the simulator's secrets (or EXTRA_SECRETS) appears in the files,
# whole or in part (secret_parts).
assert_no_secrets() {
    local secret
    for secret in "${SIM_AUTH_TOKEN}" "${SIM_API_SECRET}" ${EXTRA_SECRETS:-}; do
        if grep -qF -f <(secret_parts "${secret}") -- "$@"; then
            echo "FAILED: a secret (or part of one) appears in $*" >&2
            exit 1
        fi
    done
}

# run_verbose OUT PLAYBOOK [ARGS...]: run a playbook at -vvvv into OUT, show its outline, and on failure its tail.
run_verbose() {
    local out="$1" status=0
    shift
    ansible-playbook -vvvv -i localhost, -c local "$@" >>"${out}" 2>&1 || status=$?
    grep -E "^(TASK|fatal|PLAY RECAP)|localhost +:" "${out}" || true
    if [ "${status}" != 0 ]; then
        tail -60 "${out}"
        exit "${status}"
    fi
}
