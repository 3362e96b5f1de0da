# shellcheck shell=bash
# Sourced by runme.sh of targets that talk to the simulator. with_simulator
# re-runs the calling script under run_simulator.py, the one launcher of the
# simulator: it starts on 127.0.0.1 on a free port and is stopped when the
# script ends, whether the tests pass or fail. Inside, SIM_URL, SIM_SEED and
# SIM_ACCOUNT_SID, SIM_AUTH_TOKEN, SIM_API_KEY, SIM_API_SECRET (the seed's
# credentials) are set.

collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless"
SIM_DIR="${collection_root}/tests/simulator"

# with_simulator SCRIPT [ARGS...] [--url-env NAME]: exec SCRIPT under the launcher unless already under it.
with_simulator() {
    local url_env="${SIM_URL_ENV:-SIM_URL}"
    if [ -z "${!url_env:-}" ]; then
        exec python "${SIM_DIR}/run_simulator.py" --seed "${SIM_DIR}/seeds/test.json" --url-env "${url_env}" \
            -- bash "$@"
    fi
}
