# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_service, serverless_environment and serverless_variables through main(), against a fresh simulator:
the write happens once, a re-run writes nothing (by the simulator's log), check mode reads only, diff mode says
what would change, and no variable value appears in any result."""

import json

import pytest

from ansible_collections.twilio_community.serverless.plugins.modules import serverless_environment as environment
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_service as service
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_variables as variables

from ...conftest import ACCOUNT, TOKEN, assert_no_secret

RELEASE = "ZS77777777777777777777777777777777"
WRITES = ("POST", "DELETE")


@pytest.fixture
def run(fresh_sim, run_main):
    def call(module, _check_mode=False, _diff=False, **args):
        args = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=fresh_sim.url, retries=2, **args)
        if _check_mode:
            args["_ansible_check_mode"] = True
        if _diff:
            args["_ansible_diff"] = True
        fresh_sim.server.clear_log()
        return run_main(module, args)
    call.sim = fresh_sim
    return call


def writes(sim):
    return [(e["method"], e["route"]) for e in sim.log() if e["method"] in WRITES]


# -- serverless_service -----------------------------------------------------------------------------------------

def test_service_create_rerun_update_delete(run):
    sim = run.sim
    checked = run(service, _check_mode=True, _diff=True, name="prov-app")
    assert checked["changed"] is True and writes(sim) == [] and checked["service_sid"] is None
    assert checked["diff"]["before"] == {} and checked["diff"]["after"] == {
        "unique_name": "prov-app", "friendly_name": "prov-app", "include_credentials": True, "ui_editable": False}
    created = run(service, name="prov-app")
    assert created["changed"] is True and writes(sim) == [("POST", "create_service")]
    assert created["service"]["friendly_name"] == "prov-app" and created["service_sid"].startswith("ZS")
    assert created["stats"] == {"requests": 2, "retries": 0, "writes": 1}
    again = run(service, name="prov-app")
    assert again["changed"] is False and writes(sim) == [] and again["service_sid"] == created["service_sid"]
    check_update = run(service, _check_mode=True, _diff=True, name="prov-app", ui_editable=True)
    assert check_update["changed"] is True and writes(sim) == []
    assert check_update["diff"]["before"]["ui_editable"] is False and check_update["diff"]["after"]["ui_editable"]
    updated = run(service, name="prov-app", ui_editable=True)
    assert updated["changed"] is True and updated["service"]["ui_editable"] is True
    assert [e["form"] for e in sim.log() if e["method"] == "POST"] == [{"UiEditable": "true"}]
    assert run(service, name="prov-app", ui_editable=True)["changed"] is False and writes(sim) == []
    deleted = run(service, name="prov-app", state="absent")
    assert deleted["changed"] is True and writes(sim) == [("DELETE", "delete_service")]
    gone = run(service, name="prov-app", state="absent")
    assert gone["changed"] is False and writes(sim) == [] and gone["service"] == {}


def test_service_name_is_checked_before_any_request(run):
    result = run(service, name="ZS" + "1" * 32)
    assert result["failed"] and result["msg"].startswith("name: ") and run.sim.log() == []


# -- serverless_environment -------------------------------------------------------------------------------------

def test_environment_create_rerun_delete(run):
    sim = run.sim
    checked = run(environment, _check_mode=True, _diff=True, service="release-app", name="preview", domain_suffix="pre")
    assert checked["changed"] is True and writes(sim) == []
    assert checked["diff"]["after"] == {"unique_name": "preview", "domain_suffix": "pre"}
    created = run(environment, service="release-app", name="preview", domain_suffix="pre")
    assert created["changed"] is True and writes(sim) == [("POST", "create_environment")]
    assert created["environment"]["domain_name"].endswith("-pre.twil.io") and created["environment"]["build_sid"] is None
    again = run(environment, service="release-app", name="preview", domain_suffix="pre")
    assert again["changed"] is False and writes(sim) == [] and again["environment"]["sid"] == created["environment"]["sid"]
    live = run(environment, service="release-app", name="production")
    assert live["changed"] is False and live["environment"]["build_sid"].startswith("ZB")
    deleted = run(environment, service="release-app", name="preview", state="absent")
    assert deleted["changed"] is True and writes(sim) == [("DELETE", "delete_environment")]
    assert run(environment, service="release-app", name="preview", state="absent")["changed"] is False


@pytest.mark.parametrize("name, suffix, message", [
    ("stage-environment", "staging", "exists with domain suffix stage, not staging"),
    ("production", "prod", "exists with domain suffix None, not prod"),
    ("staging-2", "stage", "Domain suffix stage of service ZS7.* is held by environment stage-environment"),
])
def test_environment_conflicts_fail_saying_which_and_write_nothing(run, name, suffix, message):
    import re
    result = run(environment, service="release-app", name=name, domain_suffix=suffix)
    assert result["failed"] and re.search(message, result["msg"]), result["msg"]
    assert writes(run.sim) == [] and "error" not in result


# -- serverless_variables ---------------------------------------------------------------------------------------

SECRETS = {"API_KEY": "sk-live-4f9a8b7c6d5e", "GREETING": "Bonjour tout le monde"}


def assert_no_values(result, *values):
    assert_no_secret(json.dumps(result), *values)


def test_a_value_from_env_file_is_masked_where_twilio_repeats_it(run, tmp_path):
    # Values read from the file are registered as secrets, as the option's are: Ansible then masks them in msg
    # when Twilio's error message quotes one.
    env_file = tmp_path / ".env"
    env_file.write_text("TOKEN_FROM_FILE=file-value-7c41d9e2\n", encoding="utf-8")
    run.sim.fault("create_variable", {"status": 400, "json": {
        "code": 20001, "status": 400, "message": "Invalid value file-value-7c41d9e2 for TOKEN_FROM_FILE"}})
    failed = run(variables, service="release-app", environment="production", env_file=str(env_file))
    assert failed["failed"] and "TOKEN_FROM_FILE" in failed["msg"], failed["msg"]
    assert_no_values(failed, "file-value-7c41d9e2")


def stored(sim, env_name="production"):
    env = [e for e in sim.server.store.services[RELEASE].environments if e.unique_name == env_name][0]
    return dict((v.key, v.value) for v in env.variables.values())


def test_variables_set_rerun_change_prune_absent(run, tmp_path):
    sim = run.sim
    env_file = tmp_path / ".env"
    env_file.write_text('ACCOUNT_SID=ACxx\nAUTH_TOKEN=file-token-9c1e\nFROM_FILE="line one\\nline two"\n'
                        'API_KEY=overridden-by-option\n', encoding="utf-8")
    args = dict(service="release-app", environment="production", variables=SECRETS, env_file=str(env_file))
    checked = run(variables, _check_mode=True, _diff=True, **args)
    assert checked["changed"] is True and writes(sim) == [] and stored(sim) == {}
    assert checked["variables"]["added"] == ["API_KEY", "FROM_FILE", "GREETING"]
    assert checked["diff"]["after"] == "API_KEY=(value hidden)\nFROM_FILE=(value hidden)\nGREETING=(value hidden)\n"
    assert_no_values(checked, "line one", "overridden", "file-token-9c1e", *SECRETS.values())
    done = run(variables, _diff=True, **args)
    assert done["changed"] is True and sorted(writes(sim)) == [("POST", "create_variable")] * 3
    assert stored(sim) == dict(SECRETS, FROM_FILE="line one\nline two")
    assert_no_values(done, "line one", "overridden", "file-token-9c1e", *SECRETS.values())
    assert done["context_bytes"] == len(json.dumps(stored(sim), separators=(",", ":"), ensure_ascii=False))
    again = run(variables, **args)
    assert again["changed"] is False and writes(sim) == []
    assert again["variables"] == {"added": [], "changed": [], "removed": [],
                                  "unchanged": ["API_KEY", "FROM_FILE", "GREETING"]}
    changed = run(variables, _diff=True, service="release-app", environment="production",
                  variables={"GREETING": "Hello", "PORT": 3000})
    assert writes(sim) == [("POST", "update_variable"), ("POST", "create_variable")]
    assert changed["variables"]["changed"] == ["GREETING"] and changed["variables"]["added"] == ["PORT"]
    assert "GREETING=(old value hidden)" in changed["diff"]["before"] and stored(sim)["PORT"] == "3000"
    pruned = run(variables, service="release-app", environment="production", variables={"PORT": "3000"}, prune=True,
                 _check_mode=True)
    assert pruned["variables"]["removed"] == ["API_KEY", "FROM_FILE", "GREETING"] and writes(sim) == []
    absent = run(variables, service="release-app", environment="production", variables={"PORT": ""}, state="absent")
    assert absent["variables"]["removed"] == ["PORT"] and writes(sim) == [("DELETE", "delete_variable")]
    assert "PORT" not in stored(sim)


@pytest.mark.parametrize("given, message", [
    ({"DEBUG": True}, "variables: the value of 'DEBUG' is a bool, not a string"),
    ({"BIG": "\u00e9" * 226}, "variables: the value of 'BIG' is 452 bytes of UTF-8; Twilio takes at most 450"),
    ({"K" * 129: "v"}, "is not 1 to 128 characters long"),
    (dict(("K%02d" % n, "v" * 400) for n in range(8)), "more than 3072); Twilio fails every invocation"),
])
def test_variables_are_checked_before_any_request_naming_no_value(run, given, message):
    result = run(variables, service="release-app", environment="production", variables=given)
    assert result["failed"] and message in result["msg"] and run.sim.log() == []
    assert "vvvv" not in result["msg"] and "\u00e9\u00e9" not in result["msg"]


def test_the_budget_counts_what_the_environment_already_holds(run):
    sim = run.sim
    assert run(variables, service="release-app", environment="production",
               variables=dict(("OLD%d" % n, "o" * 400) for n in range(6)))["changed"] is True
    warned = run(variables, service="release-app", environment="production", variables={"NEW": "n" * 180})
    assert warned["changed"] is True and "82006" in json.dumps(warned["warnings"])
    refused = run(variables, service="release-app", environment="production", variables={"MORE": "m" * 440})
    assert refused["failed"] and "nothing was written" in refused["msg"] and writes(sim) == []
    assert refused["context_bytes"] > 3072 and refused["variables"]["added"] == ["MORE"]
    pruned = run(variables, service="release-app", environment="production", variables={"MORE": "m" * 440},
                 prune=True)
    assert pruned["changed"] is True and stored(sim) == {"MORE": "m" * 440}


def test_variables_need_something_to_do(run):
    result = run(variables, service="release-app", environment="production")
    assert result["failed"] and result["msg"].startswith("variables: give variables, env_file or both")


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_service(fresh_sim):
    return {"sim": fresh_sim, "args": {"name": "contract-app", "friendly_name": "Contract app"}}


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_environment(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "name": "contract", "domain_suffix": "contract"}}


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_variables(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "environment": "production",
                                       "variables": {"GREETING": "contract-greeting-value"}}}
