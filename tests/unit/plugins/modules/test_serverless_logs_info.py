# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_logs_info's run() against the simulator, main() through a real AnsibleModule, and its happy path for
the contract test."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_logs_info as mod

from ...conftest import ACCOUNT, TOKEN
from .conftest import FakeModule

RELEASE = "ZS77777777777777777777777777777777"
LIVE = "ZB000000000000000000000000000000a2"
OTHER = "ZB000000000000000000000000000000a1"
FIELDS = {"sid", "date_created", "level", "message", "function_sid", "function_path", "build_sid", "deployment_sid",
          "request_sid"}


def params(**overrides):
    base = dict(service="release-app", environment="stage", function=None, since=None, until=None, build=None,
                deployment=None, level=None, limit=1000)
    base.update(overrides)
    return base


@pytest.fixture
def release(fresh_sim):
    """The simulator, with release-app's /hello Function SID and its stage-environment."""
    service = fresh_sim.server.store.services[RELEASE]
    hello = [r.sid for r in service.resources.values() if r.friendly_name == "/hello"][0]
    env = [e for e in service.environments if e.unique_name == "stage-environment"][0]
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN,
                                                  "base_url": fresh_sim.url, "retries": 2}))
    yield fresh_sim, client, hello, env
    client.close()


def seed(sim, **body):
    body = dict(dict(service=RELEASE, environment="stage-environment"), **body)
    return sim.call("POST", "/__sim/logs", body)["sids"]


def run(client, module=None, **overrides):
    module = module or FakeModule(params(**overrides))
    return mod.run(module, client, copy.deepcopy(mod.BLANK_RESULT))


def routes(sim):
    return [entry["route"] for entry in sim.log()]


def test_logs_of_a_function_by_path(release):
    sim, client, hello, env = release
    seeded = seed(sim, count=6, oldest=1200, levels=["info", "WARNING", "error"], function_sids=[hello, "ZH" + "e" * 32])
    result = run(client, function="/hello")
    assert routes(sim) == ["service", "environments", "functions", "logs"]
    assert sim.log()[-1]["query"]["FunctionSid"] == hello
    assert [log["sid"] for log in result["logs"]] == [seeded[4], seeded[2], seeded[0]]
    assert all(set(log) == FIELDS and log["function_path"] == "/hello" for log in result["logs"])
    assert [log["level"] for log in result["logs"]] == ["warn", "error", "info"]
    assert result["counts"] == {"info": 1, "warn": 1, "error": 1}
    assert result["logs"][0]["build_sid"] == LIVE == env.build_sid
    assert result["logs"][0]["deployment_sid"] == env.deployments[0].sid
    assert result["service_sid"] == RELEASE and result["environment_sid"] == env.sid
    assert result["stats"] == {"requests": 0, "pages": 1, "windows": 1, "retries": 0}  # requests: run_module's
    assert not result["truncated"] and result["window"]["since"] < result["window"]["until"]


def test_a_function_sid_is_not_looked_up_and_paths_are_read_once_logs_name_functions(release):
    sim, client, hello, env = release
    seed(sim, count=2, oldest=600, function_sids=[hello])
    result = run(client, environment=env.sid, function=hello)
    assert routes(sim) == ["service", "environments", "logs", "functions"]
    assert [log["function_path"] for log in result["logs"]] == ["/hello", "/hello"]


def test_no_logs_no_functions_listing(release):
    sim, client, hello, env = release
    module = FakeModule(params(environment="dev"))
    result = run(client, module)
    assert result["logs"] == [] and result["counts"] == {"info": 0, "warn": 0, "error": 0}
    assert routes(sim) == ["service", "environments", "logs"]
    assert module.warnings == ["Environment dev has no deployed build; Twilio keeps Logs only for environments "
                               "that have one"]


def test_build_deployment_and_level_filters(release):
    sim, client, hello, env = release
    old_deployment = env.deployments[1].sid
    seed(sim, count=4, oldest=600, levels=["info", "error"])
    older = seed(sim, count=3, oldest=600, build_sid=OTHER, deployment_sid=old_deployment, levels=["ERROR"])
    assert {log["sid"] for log in run(client, build=OTHER)["logs"]} == set(older)
    assert {log["sid"] for log in run(client, deployment=old_deployment)["logs"]} == set(older)
    result = run(client, build=LIVE, level=["Error"])
    assert len(result["logs"]) == 2 and result["counts"] == {"info": 0, "warn": 0, "error": 2}


def test_limit_truncates_to_the_newest(release):
    sim, client, hello, env = release
    seeded = seed(sim, count=5, oldest=600)
    result = run(client, limit=2)
    assert [log["sid"] for log in result["logs"]] == seeded[:-3:-1] and result["truncated"]


def test_an_unknown_function_path_names_those_there_are(release):
    sim, client, hello, env = release
    with pytest.raises(OptionError, match=r"^function: '/nope' is not a function of service ZS7+; it has /hello$"):
        run(client, function="/nope")
    assert "logs" not in routes(sim)


def test_a_window_past_the_retention_warns(release):
    sim, client, hello, env = release
    module = FakeModule(params(since="40d", until="39d"))
    run(client, module)
    assert module.warnings[0].startswith("since is ") and "Twilio keeps logs for 30 days" in module.warnings[0]


@pytest.mark.parametrize("overrides, fragment", [
    ({"service": "a/b"}, "service: 'a/b' is neither a Service SID"),
    ({"environment": " "}, "environment: an empty value names no environment"),
    ({"since": "yesterday"}, "since: 'yesterday' is neither an ISO 8601 date-time nor a duration"),
    ({"until": "2026-13-01"}, "until: '2026-13-01' is neither"),
    ({"since": "1h", "until": "2h"}, "since: '1h' ("),
    ({"level": ["info", "verbose"]}, "level: 'verbose' is not a log level"),
    ({"limit": 0}, "limit: 0 is out of range; expected a whole number at least 1"),
    ({"function": "hello"}, "function: 'hello' is neither a function path"),
    ({"build": "ZB1"}, "build: 'ZB1' is not a valid Build SID"),
    ({"deployment": "ZB" + "0" * 32}, "deployment: 'ZB000"),
])
def test_bad_input_fails_before_any_request(release, overrides, fragment):
    sim, client, hello, env = release
    with pytest.raises(OptionError) as info:
        run(client, **overrides)
    assert str(info.value).startswith(fragment)
    assert sim.log() == [] and client.sent_requests == 0


def test_main_in_check_mode_reads_and_changes_nothing(release, run_main):
    sim, client, hello, env = release
    seed(sim, count=3, levels=["warn"])
    result = run_main(mod, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, service="release-app",
                                environment="stage-environment", since="2h", level=["WARN"],
                                _ansible_check_mode=True))
    assert result["changed"] is False and "failed" not in result, result.get("msg")
    assert result["counts"]["warn"] == 3 and result["stats"]["requests"] == len(sim.log()) == 4
    assert all(entry["method"] == "GET" for entry in sim.log())


def test_main_refuses_build_with_deployment(release, run_main):
    sim, client, hello, env = release
    result = run_main(mod, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, service="release-app",
                                environment="stage", build=LIVE, deployment=env.deployments[0].sid))
    assert result["failed"] and "build|deployment" in result["msg"] and sim.log() == []
    assert result["logs"] == [] and result["window"] == {"since": None, "until": None}


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_logs_info(sim):
    sim.call("POST", "/__sim/logs", {"service": "small-app", "environment": "staging", "count": 3,
                                     "levels": ["info", "warn", "error"]})
    return {"sim": sim, "args": {"service": "small-app", "environment": "staging", "since": "2h", "level": ["error"]}}
