# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_verify calling the functions the simulator serves (tests/simulator/twilio_sim/domains.py): a good
environment passes with no write, a build answering 500 fails naming the path and is rolled back, an error log
fails the gate, a bad signature is a failed check. Judged by the simulator's store and request log."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_verify as mod

from ...conftest import ACCOUNT, TOKEN
from .conftest import FakeModule
from .test_serverless_verify import Client

RELEASE = "ZS77777777777777777777777777777777"
A2 = "ZB000000000000000000000000000000a2"
STAGE = "stage-environment"
GOOD = [
    {"path": "/hello", "content": "exports.handler = (c, e, cb) => cb(null, 'hello');"},
    {"path": "/admin", "visibility": "protected", "content": "// sim: body=\"admin ok\"\n"},
]
ASSETS = [{"path": "/styles.css", "content": "body { margin: 0; }", "content_type": "text/css"}]
CHECKS = [{"path": "/hello", "contains": "served by build"},
          {"path": "/admin", "method": "POST", "body": {"From": "+15005550006"}, "regex": "^admin"},
          {"path": "/styles.css", "contains": "margin"}]


@pytest.fixture
def client(fresh_sim):
    made = Client(fresh_sim)
    yield made
    made.close()


def run(sim, client, check_mode=False, **overrides):
    params = dict(service="release-app", environment="stage", checks=CHECKS, settle=0, max_errors=0,
                  rollback_on_failure=False, auth_token=TOKEN,
                  domain_base_url=sim.url + "/__sim/domains/{domain_name}")
    params.update(overrides)
    module = FakeModule(params)
    module.check_mode = check_mode
    result = dict(copy.deepcopy(mod.BLANK_RESULT), changed=False)
    try:
        return mod.run(module, client, result)
    except TaskFailed as err:
        err.result = result
        raise


def calls(sim):
    return [e for e in sim.log() if e["route"] == "domain"]


def writes(sim):
    return [e for e in sim.log() if e["method"] != "GET" and e["route"] != "domain"]


def test_a_good_environment_passes_with_no_write(fresh_sim, client):
    released = fresh_sim.deploy("release-app", STAGE, GOOD, ASSETS)
    fresh_sim.server.clear_log()
    result = run(fresh_sim, client)
    assert result["passed"] is True and result["changed"] is False, result["checks"]
    assert [(c["path"], c["status"], c["ok"], c["visibility"]) for c in result["checks"]] == [
        ("/hello", 200, True, "public"), ("/admin", 200, True, "protected"), ("/styles.css", 200, True, "public")]
    # Two invocations, two logs of this deployment; the asset logs nothing.
    assert result["counts"] == {"info": 2, "warn": 0, "error": 0}
    assert result["deployment_sid"] == released["deployment_sid"] and result["build_sid"] == released["build_sid"]
    assert writes(fresh_sim) == [] and len(calls(fresh_sim)) == 3 and result["stats"]["calls"] == 3
    assert all(c["user"] is None and "Authorization" not in c["headers"] for c in calls(fresh_sim))


def test_a_build_answering_500_fails_naming_the_path_and_is_rolled_back_once(fresh_sim, client):
    fresh_sim.deploy("release-app", STAGE, [{"path": "/hello", "content": "// sim: status=500 level=error "
                                                                          "log=\"TypeError: boom\""}])
    with pytest.raises(TaskFailed) as info:
        run(fresh_sim, client, checks=[{"path": "/hello"}], rollback_on_failure=True)
    result = info.value.result
    assert "checks[0] GET /hello: status 500, expected 200" in info.value.msg
    assert "1 error log since the deployment went live (max_errors 0), the first: 'TypeError: boom'" in info.value.msg
    assert result["changed"] and result["rolled_back"] and result["build_sid"] == A2
    assert len(writes(fresh_sim)) == 1 and fresh_sim.server.store.services[RELEASE].environments[0].build_sid == A2
    # The previous build is live again, and a second verify passes with no write.
    fresh_sim.server.clear_log()
    again = run(fresh_sim, client, checks=[{"path": "/hello"}], rollback_on_failure=True)
    assert again["passed"] is True and again["verified_build_sid"] == A2 and writes(fresh_sim) == []


def test_a_200_that_logs_an_error_fails_the_gate_unless_max_errors_allows_it(fresh_sim, client):
    fresh_sim.deploy("release-app", STAGE, [{"path": "/hello", "content": "// sim: level=error log=\"oops\""}])
    with pytest.raises(TaskFailed) as info:
        run(fresh_sim, client, checks=[{"path": "/hello"}])
    assert info.value.result["checks"][0]["ok"] is True and info.value.result["counts"]["error"] == 1
    assert info.value.msg.endswith("failed: 1 error log since the deployment went live (max_errors 0), the first: "
                                   "'oops'")
    assert run(fresh_sim, client, checks=[{"path": "/hello"}], max_errors=2)["passed"] is True


def test_a_wrong_auth_token_is_a_failed_check_and_an_unknown_path_a_404(fresh_sim, client):
    fresh_sim.deploy("release-app", STAGE, GOOD)
    with pytest.raises(TaskFailed) as info:
        run(fresh_sim, client, auth_token="not-the-token", checks=[{"path": "/admin"}, {"path": "/nope", "status": 404}])
    assert [(c["status"], c["ok"]) for c in info.value.result["checks"]] == [(401, False), (404, True)]
    assert "checks[0] GET /admin: status 401, expected 200" in info.value.msg


def test_check_mode_calls_no_function(fresh_sim, client):
    fresh_sim.deploy("release-app", STAGE, GOOD, ASSETS)
    fresh_sim.server.clear_log()
    result = run(fresh_sim, client, check_mode=True)
    assert calls(fresh_sim) == [] and result["passed"] is None and not result["traffic"]
    assert all(c["reason"] == "check mode - not called" for c in result["checks"])


def test_main_calls_the_functions_without_credentials(fresh_sim, run_main):
    fresh_sim.deploy("release-app", STAGE, GOOD, ASSETS)
    result = run_main(mod, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=fresh_sim.url, service="release-app",
                                environment="stage", settle=0, checks=CHECKS,
                                domain_base_url=fresh_sim.url + "/__sim/domains/{domain_name}"))
    assert "failed" not in result, result.get("msg")
    assert result["passed"] is True and result["stats"]["calls"] == 3 and TOKEN not in repr(result)
