#!/usr/bin/env bash
# Every playbook in docs/examples, run as a user runs it (credentials from the
# environment) against the simulator's small-app, twice where a re-run matters.
# What reached Twilio is read from the simulator's request log (check.yml).
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

# The examples of the installed collection, which ansible-test runs from.
examples="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless/docs/examples"
export TWILIO_ACCOUNT_SID="${SIM_ACCOUNT_SID}" TWILIO_AUTH_TOKEN="${SIM_AUTH_TOKEN}" TWILIO_SERVERLESS_BASE_URL="${SIM_URL}"
export ANSIBLE_NOCOLOR=1
out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT
b1=ZB00000000000000000000000000000001
b3=ZB00000000000000000000000000000003

# example PLAYBOOK [ARGS...]: run docs/examples/PLAYBOOK for small-app; its output is in ${out}/last. With
# EXAMPLE_FAILS=1, the run must fail instead.
example() {
    local name="$1" rc=0
    shift
    echo "${name}" >>"${out}/ran"
    ansible-playbook -i localhost, -c local "${examples}/${name}" -e service=small-app \
        -e "ansible_python_interpreter={{ ansible_playbook_python }}" "$@" >"${out}/last" 2>&1 || rc=$?
    cat "${out}/last"
    if [ "${EXAMPLE_FAILS:-0}" = 1 ] && [ "${rc}" = 0 ]; then
        echo "FAILED: ${name} succeeded, a failure was expected" >&2
        exit 1
    elif [ "${EXAMPLE_FAILS:-0}" != 1 ] && [ "${rc}" != 0 ]; then
        exit 1
    fi
}

# expect TEXT: the last example's output contains TEXT. Lines are joined first: ansible-core before 2.19 wraps
# warnings at 80 columns.
expect() {
    local needle
    needle=$(printf '%s' "$1" | tr -s ' \n' '  ')
    if ! tr -s ' \n' '  ' <"${out}/last" | grep -qF -- "${needle}"; then
        echo "FAILED: the output lacks: $1" >&2
        exit 1
    fi
}

# check JSON: check.yml with these variables.
check() {
    ansible-playbook -i localhost, -c local check.yml -e "$1"
}

# The release: the newest build (b1) to staging and production, which run b3.
check '{"then": "reset"}'
example release_pipeline.yml
expect "Build ${b1} completed"
expect "staging: ${b1} (released now); a roll back makes ${b3} live"
expect "production: ${b1} (released now); a roll back makes ${b3} live"
# Again: nothing changes, and the roll back target is still the build live before the release.
example release_pipeline.yml
expect "changed=0"
expect "production: ${b1} (already live); a roll back makes ${b3} live"
check "{\"expected_posts\": [\"${b1}\", \"${b1}\"], \"only_build\": \"${b1}\", \"then\": \"new_build\"}"

# A named build is the one waited for, even with a newer build in progress.
example release_pipeline.yml -e build_sid="${b1}"
expect "Build ${b1} completed"
expect "changed=0"
check "{\"expected_posts\": [\"${b1}\", \"${b1}\"], \"only_build\": \"${b1}\", \"then\": \"slow_build\"}"

# A build seen finished at the deadline comes without its details: the pipeline goes on.
example release_pipeline.yml -e build_sid="${b1}" -e wait_timeout=2
expect "Build ${b1} completed"
expect "Runtime unknown, created unknown"
expect "production: ${b1} (already live)"

# The roll back: check and diff, then production back to b3.
example rollback.yml
expect "Rolling production back from ${b1} to ${b3}"
expect "+    \"build_sid\": \"${b3}\","
expect "production runs ${b3}"
# Relaunched: nothing changes, a warning says why.
example rollback.yml
expect "changed=0"
expect "was already rolled back from build ${b1} to build ${b3}"
expect "production stays on ${b3}"
check "{\"expected_posts\": [\"${b1}\", \"${b1}\", \"${b3}\"]}"

reset_log() {
    ansible-playbook -i localhost, -c local check_writes.yml -e '{"check": false}' >/dev/null
}

# writes JSON-LIST: the writes (route names) since the last call, from the simulator's log; clears it.
writes() {
    local expected="$1"
    shift
    ansible-playbook -i localhost, -c local check_writes.yml -e "{\"expected_writes\": ${expected}}" "$@"
}

# A release from source, on a service the seed does not have: everything is made on the way.
new=(-e service=examples-app)
reset_log
example release_from_source.yml "${new[@]}" -e '{"release_to": ["staging"]}'
expect "(new)"
expect "live: staging run ZB"
# The first writes, in any order (the uploads run concurrently): every resource made once, 7 files and the
# build manifest uploaded once each, one build, one deployment.
writes "$(python -c 'import json; print(json.dumps(sorted(["create_service", "create_environment"] + ["create_variable"] * 2
    + ["create_function", "create_function_version"] * 4 + ["create_asset", "create_asset_version"] * 4
    + ["create_build", "create_deployment"])))')" -e sort=true
# Promote: production is made, the build staging runs is reused (no upload, no build) and deployed there.
example release_from_source.yml "${new[@]}"
expect "(unchanged: no upload, no build)"
expect "live: staging and production run ZB"
writes '["create_environment", "create_variable", "create_variable", "create_deployment"]'
# Again: nothing changes, nothing is written.
example release_from_source.yml "${new[@]}"
expect "changed=0"
writes '[]'
# Two changes released to staging: the first of the two builds is then live nowhere.
project="${out}/project"
cp -r "${examples}/project" "${project}"
echo "// v2" >>"${project}/functions/hello.js"
example release_from_source.yml "${new[@]}" -e source="${project}" -e '{"release_to": ["staging"]}'
expect "uploaded: ['/hello']"
echo "/* v3 */" >>"${project}/assets/style.css"
example release_from_source.yml "${new[@]}" -e source="${project}" -e '{"release_to": ["staging"]}'
expect "uploaded: ['/style.css']"
# A third: staging's roll back would now restore the second build, so the first of the three is needed nowhere.
echo "// v4" >>"${project}/functions/hello.js"
example release_from_source.yml "${new[@]}" -e source="${project}" -e '{"release_to": ["staging"]}'
expect "uploaded: ['/hello']"
reset_log
# Prune keeping one: the dry run names the one build neither live nor a roll back target, the prune deletes it
# alone, and says why each other build stays.
example prune.yml "${new[@]}"
expect "would delete ['ZB"
expect "deleted ['ZB"
expect "the roll back target of environment staging"
writes '["delete_build"]'
example prune.yml "${new[@]}"
expect "would delete nothing"
expect "changed=0"
writes '[]'

# The runtime migration, one service a wave, from node20. examples-app fails its verify (a check that cannot pass)
# and is rolled back, which ends the run: small-app's wave never starts.
sim_deploy() {
    curl -sf -X POST -H 'Content-Type: application/json' "${SIM_URL}/__sim/deploy" -d "$1" >/dev/null
}
for service in examples-app small-app; do
    sim_deploy "{\"service\": \"${service}\", \"environment\": \"staging\", \"runtime\": \"node20\",
        \"functions\": [{\"path\": \"/hello\", \"content\": \"exports.handler = () => {};\"}]}"
done
printf '%s\n' 'twilio_services:' '  hosts: {examples-app: {}, small-app: {}}' \
    '  vars: {verify_checks: [{path: /hello, contains: served by build}], verify_settle: 0}' >"${out}/services.yml"
migrate=(-i "${out}/services.yml" -e from_runtime=node20)
export TWILIO_SERVERLESS_DOMAIN_BASE_URL="${SIM_URL}/__sim/domains/{domain_name}"
EXAMPLE_FAILS=1 example runtime_migration.yml "${migrate[@]}" -e '{"verify_checks": [{"path": "/hello", "contains": "nope"}]}'
expect "examples-app on node20: staging"
expect "small-app on node20: staging"
expect "checks[0] GET /hello:"
expect "small-app : ok=3 changed=0 unreachable=0 failed=0"
# Again, with checks that pass: examples-app's rebuild of the first run is found (no build) and deployed again;
# small-app's staging is rebuilt on node22 from its versions (no upload), deployed; both verified.
reset_log
example runtime_migration.yml "${migrate[@]}"
expect "examples-app on node20: staging"
writes '["create_build", "create_deployment", "create_deployment"]' -e sort=true
# Again: nothing is on node20 any more, nothing changes.
example runtime_migration.yml "${migrate[@]}"
expect "small-app on node20: nothing"
expect "changed=0"
# Every example ran.
# fleet_release.yml runs in tests/awx/test_fleet_slices.py instead (the AWX recipe's copy, byte for byte, over the
# accounts inventory, sliced): it needs subaccounts with services, and this target runs on every ansible-core.
echo fleet_release.yml >>"${out}/ran"
for playbook in "${examples}"/*.yml; do
    if ! grep -qx "$(basename "${playbook}")" "${out}/ran"; then
        echo "FAILED: docs/examples/$(basename "${playbook}") is not run by this test" >&2
        exit 1
    fi
done
echo "examples passed"
