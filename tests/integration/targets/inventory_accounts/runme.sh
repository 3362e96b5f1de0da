#!/usr/bin/env bash
# The accounts inventory plugin through ansible-inventory and a playbook over its hosts: hosts, groups,
# keyed_groups, the status filter's warnings, the inventory cache, a runtime migration across the subaccounts'
# Services, and no secret (the main account's or any subaccount's) in the output or the cache file.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

out="$(mktemp)"
cache="$(mktemp -d)"
trap 'status=$?; [ "${status}" = 0 ] || tail -40 "${out}"' EXIT
# Every subaccount's auth token (Twilio's Accounts list returns them to the main account): none may show.
EXTRA_SECRETS="$(python -c 'import json, sys; print(" ".join(a["auth_token"] for a in json.load(open(sys.argv[1]))["accounts"]))' \
    "${SIM_SEED}")"
export EXTRA_SECRETS
export TWILIO_ACCOUNT_SID="${SIM_ACCOUNT_SID}" TWILIO_AUTH_TOKEN="${SIM_AUTH_TOKEN}" TWILIO_API_KEY="" TWILIO_API_SECRET=""
export TWILIO_ACCOUNTS_BASE_URL="${SIM_ACCOUNTS_URL}" TWILIO_SERVERLESS_BASE_URL="${SIM_URL}"
export ANSIBLE_INVENTORY_CACHE_CONNECTION="${cache}"

# The cache is empty: this run reads Twilio and writes it.
ansible-inventory -i fleet.twilio_accounts.yml --list >"${out}.json" 2>>"${out}"
python - "${out}.json" <<'PY'
import json, sys
listed = json.load(open(sys.argv[1]))
hosts = sorted(listed["_meta"]["hostvars"])
assert hosts == ["ac11111111111111111111111111111111", "helpline_north", "helpline_south"], hosts
assert sorted(listed["state_suspended"]["hosts"]) == ["helpline_south"], listed
assert listed["northern"]["hosts"] == ["helpline_north"], listed
PY
# (ansible-core 2.16 wraps a warning's lines)
tr -s ' \n' '  ' <"${out}" | grep -q "Skipped subaccount ACa0000000000000000000000000000003: its status is closed"
ls "${cache}"/* >/dev/null
# From the cache: no request (the simulator's log stays as it was).
before="$(curl -sf "${SIM_URL}/__sim/log" | python -c 'import json, sys; print(len(json.load(sys.stdin)["requests"]))')"
ansible-inventory -i fleet.twilio_accounts.yml --list >"${out}.cached.json" 2>>"${out}"
after="$(curl -sf "${SIM_URL}/__sim/log" | python -c 'import json, sys; print(len(json.load(sys.stdin)["requests"]))')"
[ "${before}" = "${after}" ] || { echo "FAILED: the cached inventory sent requests" >&2; exit 1; }
cmp -s <(python -m json.tool --sort-keys "${out}.json") <(python -m json.tool --sort-keys "${out}.cached.json")

ansible-inventory -i services.twilio_accounts.yml --list >"${out}.services.json" 2>>"${out}"
python - "${out}.services.json" <<'PY'
import json, sys
hostvars = json.load(open(sys.argv[1]))["_meta"]["hostvars"]
assert list(hostvars) == ["helpline_north_north-hotline"], hostvars
# ansible-core 2.19 and later mark values read from an API as unsafe ({"__ansible_unsafe": ...}) in --list.
service = hostvars["helpline_north_north-hotline"]["twilio_service"]
assert "north-hotline" in (service, getattr(service, "get", lambda k: None)("__ansible_unsafe")), hostvars
PY

status=0
ansible-playbook -vvvv -i fleet.twilio_accounts.yml main.yml "$@" >>"${out}" 2>&1 || status=$?
grep -E "^(TASK|fatal|PLAY RECAP)|ok=" "${out}" || true
[ "${status}" = 0 ] || { tail -60 "${out}"; exit "${status}"; }

# docs/examples/runtime_migration.yml over the subaccounts' Services: Helpline North's live node22 build is made
# again on node24 from its versions (no upload), with the subaccount's own credentials, deployed; then nothing.
examples="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/twilio_community/serverless/docs/examples"
migrate() {
    ansible-playbook -i migrate.twilio_accounts.yml -c local \
        "${examples}/runtime_migration.yml" -e from_runtime=node22 -e to_runtime=node24 -e verify_settle=0 \
        -e "ansible_python_interpreter={{ ansible_playbook_python }}" >"${out}.migrate" 2>&1 \
        || { cat "${out}.migrate"; exit 1; }
    cat "${out}.migrate" >>"${out}"
}
curl -sf -X DELETE "${SIM_URL}/__sim/log" >/dev/null
migrate
grep -q "helpline_north_north-hotline on node22: production" "${out}.migrate"
migrate
grep -q "helpline_north_north-hotline on node22: nothing" "${out}.migrate"
curl -sf "${SIM_URL}/__sim/log" | python -c '
import json, sys
writes = [(r["route"], r["user"]) for r in json.load(sys.stdin)["requests"] if r["method"] != "GET"]
north = "ACa0000000000000000000000000000001"
assert writes == [("create_build", north), ("create_deployment", north)], writes
'

assert_no_secrets "${out}" "${out}.json" "${out}.cached.json" "${out}.services.json" "${out}.migrate" "${cache}"/*
rm -rf "${out}" "${out}".*json "${out}.migrate" "${cache}"
echo "inventory_accounts passed; no secret in the output or the cache"
