# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_verify's run() against a fresh simulator (a roll back changes state), main() through a real
AnsibleModule, and its happy path for the contract test. Judged by the simulator's store and request log."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_verify as mod

from ...conftest import ACCOUNT, API_KEY, API_SECRET, TOKEN
from ..source_sim import SourceService
from .conftest import FakeModule

RELEASE = "ZS77777777777777777777777777777777"
A1, A2 = "ZB000000000000000000000000000000a1", "ZB000000000000000000000000000000a2"
SECRETS = (TOKEN, API_SECRET)


def params(**overrides):
    base = dict(service="release-app", environment="stage", checks=[], domain_base_url=None, settle=0, max_errors=0,
                rollback_on_failure=False, auth_token=TOKEN)
    base.update(overrides)
    return base


class Client(TwilioClient):
    """The API client, its sleeps recorded instead of slept."""

    def __init__(self, sim, **more):
        conn = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, retries=2, request_timeout=5.0)
        conn.update(more)
        self.slept = []
        super().__init__(connection_from_params(conn), sleep=self.slept.append)


@pytest.fixture
def client(fresh_sim):
    made = Client(fresh_sim)
    yield made
    made.close()


def run(client, check_mode=False, **overrides):
    module = FakeModule(params(**overrides))
    module.check_mode = check_mode
    result = dict(copy.deepcopy(mod.BLANK_RESULT), changed=False)
    try:
        return mod.run(module, client, result), module
    except TaskFailed as err:
        err.result, err.module = result, module
        raise


def stage(sim):
    return [e for e in sim.server.store.services[RELEASE].environments if e.unique_name == "stage-environment"][0]


def seed(sim, **body):
    body = dict(dict(service=RELEASE, environment="stage-environment", oldest=600), **body)
    return sim.call("POST", "/__sim/logs", body)["sids"]


def posts(sim):
    return [e for e in sim.log() if e["method"] == "POST"]


def domain_requests(sim):
    return [e for e in sim.log() if "/domains/" in e["path"] or "twil.io" in e["path"]]


def test_a_deployment_with_clean_logs_passes_and_writes_nothing(fresh_sim, client):
    seed(fresh_sim, count=4, levels=["info", "warn"])
    seed(fresh_sim, count=3, levels=["error"], deployment_sid=stage(fresh_sim).deployments[1].sid, build_sid=A1)
    result, module = run(client)
    assert result["passed"] is True and result["traffic"] is True and result["changed"] is False
    assert result["counts"] == {"info": 2, "warn": 2, "error": 0} and result["errors"] == []
    assert result["verified_build_sid"] == result["build_sid"] == A2 and result["build"]["sid"] == A2
    assert result["deployment_sid"] == stage(fresh_sim).deployments[0].sid and result["rollback_build_sid"] == A1
    assert result["rolled_back"] is False and module.warnings == [] and posts(fresh_sim) == []
    assert result["stats"]["pages"] == 1 and result["stats"]["calls"] == 0
    # Deployed an hour ago: nothing to wait for.
    assert client.slept == []


def test_error_logs_fail_the_gate_quoting_the_first_and_max_errors_lets_them_pass(fresh_sim, client):
    seed(fresh_sim, count=3, levels=["info", "error"], message="TypeError: boom %d")
    with pytest.raises(TaskFailed) as info:
        run(client)
    assert info.value.msg == (
        "Verification of build %s in environment stage-environment of service %s failed: 1 error log since the "
        "deployment went live (max_errors 0), the first: 'TypeError: boom 1'" % (A2, RELEASE))
    result = info.value.result
    assert result["passed"] is False and result["counts"]["error"] == 1 and result["changed"] is False
    assert [e["message"] for e in result["errors"]] == ["TypeError: boom 1"]
    assert result["errors"][0]["function_path"] == "/hello" and result["rolled_back"] is False
    passed, dummy = run(client, max_errors=1)
    assert passed["passed"] is True and posts(fresh_sim) == []


def test_rollback_on_failure_takes_serverless_deployments_path_once(fresh_sim, client):
    seed(fresh_sim, count=2, levels=["error"])
    with pytest.raises(TaskFailed) as info:
        run(client, rollback_on_failure=True)
    result = info.value.result
    assert info.value.msg.endswith("; rolled back: build %s is live in environment stage-environment again" % A1)
    assert result["changed"] is True and result["rolled_back"] is True and result["passed"] is False
    assert result["build_sid"] == result["rollback_build_sid"] == A1 and result["build"]["sid"] == A1
    assert result["verified_build_sid"] == A2
    assert stage(fresh_sim).build_sid == A1 and len(posts(fresh_sim)) == 1
    # The build rolled back to, with logs of its own deployment, passes with no write.
    fresh_sim.server.clear_log()
    seed(fresh_sim, count=2, levels=["info"], oldest=1)
    again, dummy = run(client, rollback_on_failure=True)
    assert again["passed"] is True and again["verified_build_sid"] == A1 and posts(fresh_sim) == []
    # Failing again, the same roll back does not toggle back to the build that failed.
    seed(fresh_sim, count=1, levels=["error"], oldest=1)
    with pytest.raises(TaskFailed) as info:
        run(client, rollback_on_failure=True)
    assert "; rollback_on_failure: nothing was rolled back: Environment stage-environment of service %s was " \
           "already rolled back from build %s to build %s" % (RELEASE, A2, A1) in info.value.msg
    assert info.value.result["changed"] is False and info.value.result["rolled_back"] is False
    assert posts(fresh_sim) == [] and stage(fresh_sim).build_sid == A1


def test_check_mode_reads_the_logs_calls_nothing_and_says_what_a_roll_back_would_do(fresh_sim, client):
    seed(fresh_sim, count=1, levels=["error"])
    with pytest.raises(TaskFailed) as info:
        run(client, check_mode=True, rollback_on_failure=True,
            checks=[{"path": "/hello"}, {"path": "/styles.css", "status": [200, 304]}],
            domain_base_url=fresh_sim.url + "/__sim/domains/{domain_name}")
    result = info.value.result
    assert info.value.msg.endswith("; rollback_on_failure would make build %s live again (check mode)" % A1)
    assert result["changed"] is True and result["rolled_back"] is False and result["build_sid"] == A1
    assert [(c["path"], c["status"], c["ok"], c["reason"], c["visibility"]) for c in result["checks"]] == [
        ("/hello", None, None, "check mode - not called", "public"),
        ("/styles.css", None, None, "check mode - not called", "public")]
    assert posts(fresh_sim) == [] and domain_requests(fresh_sim) == [] and result["stats"]["calls"] == 0
    assert stage(fresh_sim).build_sid == A2


def test_no_traffic_no_logs_is_not_called_healthy(fresh_sim, client):
    result, module = run(client, checks=[{"path": "/hello"}], check_mode=True)
    assert result["passed"] is None and result["traffic"] is False and result["changed"] is False
    assert module.warnings == [
        "No traffic, no logs: no check was called and deployment %s of build %s has written no log since it went "
        "live, so nothing was verified (passed is null). Give checks, or verify after the environment has had "
        "traffic" % (stage(fresh_sim).deployments[0].sid, A2)]


def test_an_environment_running_no_build(fresh_sim, client):
    with pytest.raises(TaskFailed, match="^Environment dev-environment of service %s runs no build; nothing to "
                                         "verify$" % RELEASE):
        run(client, environment="dev")


def test_settle_waits_from_when_the_deployment_went_live(fresh_sim, client):
    service = SourceService(fresh_sim, "fresh-app")
    version = service.add_version("function", "/hi", b"exports.handler = () => {};")
    service.deploy("live", service.add_build([version], []))
    result, module = run(client, service="fresh-app", environment="live", settle=5)
    assert len(client.slept) == 1 and 3 < client.slept[0] <= 5 and result["passed"] is None


@pytest.fixture
def guarded(fresh_sim):
    """fresh-app, live running a public, a protected and a private function."""
    service = SourceService(fresh_sim, "fresh-app")
    versions = [service.add_version("function", path, b"exports.handler = () => {};", visibility)
                for path, visibility in (("/open", "public"), ("/guarded", "protected"), ("/inner", "private"))]
    service.deploy("live", service.add_build(versions, []))
    return service


def test_a_private_path_is_refused_before_any_call_and_nothing_is_rolled_back(fresh_sim, client, guarded):
    with pytest.raises(TaskFailed) as info:
        run(client, service="fresh-app", environment="live", rollback_on_failure=True,
            checks=[{"path": "/open"}, {"path": "/inner"}], domain_base_url=fresh_sim.url + "/v9/{domain_name}")
    assert info.value.msg.startswith("checks[1] (GET /inner) names a private function or asset of build ZB")
    assert domain_requests(fresh_sim) == [] and posts(fresh_sim) == [] and info.value.result["stats"]["calls"] == 0


def test_a_protected_path_with_an_api_key_only_is_refused_naming_the_check(fresh_sim, guarded):
    keyed = Client(fresh_sim, auth_token=None, api_key=API_KEY, api_secret=API_SECRET)
    try:
        with pytest.raises(TaskFailed) as info:
            run(keyed, service="fresh-app", environment="live", auth_token=None, api_key=API_KEY,
                checks=[{"path": "/guarded", "method": "POST"}], domain_base_url=fresh_sim.url + "/v9/{domain_name}")
    finally:
        keyed.close()
    assert info.value.msg.startswith("checks[0] (POST /guarded) calls a protected function of build ZB")
    assert "only api_key and api_secret were given" in info.value.msg and domain_requests(fresh_sim) == []


def test_calls_go_to_the_domain_without_credentials(fresh_sim, client, guarded):
    # The simulator answers 404 for a path it does not serve, and logs every request's headers.
    with pytest.raises(TaskFailed) as info:
        run(client, service="fresh-app", environment="live",
            checks=[{"path": "/open", "status": 404}, {"path": "/guarded?x=1", "method": "POST", "body": {"a": 1}}],
            domain_base_url=fresh_sim.url + "/v9/{domain_name}")
    result = info.value.result
    calls = domain_requests(fresh_sim)
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("GET", "/v9/fresh-app-%04d-live.twil.io/open" % (int(guarded.sid[-4:], 16) % 10000), 404),
        ("POST", "/v9/fresh-app-%04d-live.twil.io/guarded" % (int(guarded.sid[-4:], 16) % 10000), 404)]
    assert all(c["user"] is None and "Authorization" not in c["headers"] for c in calls)
    assert "X-Twilio-Signature" not in calls[0]["headers"] and calls[1]["headers"]["X-Twilio-Signature"]
    assert calls[1]["form"] == {"a": "1"} and calls[1]["query"] == {"x": "1"}
    assert [c["ok"] for c in result["checks"]] == [True, False] and result["stats"]["calls"] == 2
    assert info.value.msg.startswith("Verification of build %s in environment live of service %s failed: "
                                     "checks[1] POST /guarded?x=1: status 404, expected 200"
                                     % (guarded.service.environments[0].build_sid, guarded.sid))
    assert not any(secret in repr(result) or secret in info.value.msg for secret in SECRETS)


def test_main_in_check_mode(fresh_sim, run_main):
    seed(fresh_sim, count=2)
    result = run_main(mod, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=fresh_sim.url, service="release-app",
                                environment="stage", settle=0, checks=[{"path": "/hello", "regex": "hel+o"}],
                                _ansible_check_mode=True))
    assert "failed" not in result, result.get("msg")
    assert result["passed"] is True and result["changed"] is False and result["checks"][0]["ok"] is None
    assert all(e["method"] == "GET" for e in fresh_sim.log()) and domain_requests(fresh_sim) == []


def test_main_refuses_an_unknown_check_field(fresh_sim, run_main):
    result = run_main(mod, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=fresh_sim.url, service="release-app",
                                environment="stage", checks=[{"path": "/hello", "contain": "x"}]))
    assert result["failed"] and "contain" in result["msg"] and fresh_sim.log() == []
    assert result["passed"] is None and result["checks"] == []


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_verify(sim):
    sim.call("POST", "/__sim/logs", {"service": "small-app", "environment": "staging", "count": 2, "oldest": 60,
                                     "levels": ["info"]})
    # max_errors: serverless_logs_info's happy path seeds error logs in the same environment of the shared simulator.
    return {"sim": sim, "args": {"service": "small-app", "environment": "staging", "settle": 0, "max_errors": 100000}}
