# shellcheck shell=bash
# Sourced by runme.sh of targets that talk to the simulator: start_simulator
# starts it on 127.0.0.1 on a free port, exports SIM_URL, and arranges for it to
# be stopped when the script exits, whether the tests pass or fail.

collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless"
SIM_DIR="${collection_root}/tests/simulator"

stop_simulator() {
    if [ -n "${SIM_PID:-}" ]; then
        kill "${SIM_PID}" 2>/dev/null || true
        wait "${SIM_PID}" 2>/dev/null || true
        SIM_PID=
    fi
}

start_simulator() {
    local seed="${1:-${SIM_DIR}/seeds/test.json}" url_file
    url_file="$(mktemp -u)"
    python "${SIM_DIR}/run_simulator.py" --host 127.0.0.1 --port 0 --seed "${seed}" --url-file "${url_file}" >/dev/null &
    SIM_PID=$!
    trap 'rc=$?; stop_simulator; exit $rc' EXIT
    for _ in $(seq 1 100); do
        [ -s "${url_file}" ] && break
        kill -0 "${SIM_PID}" 2>/dev/null || { echo "the simulator did not start" >&2; exit 1; }
        sleep 0.1
    done
    SIM_URL="$(cat "${url_file}")"
    rm -f "${url_file}"
    export SIM_URL
}
