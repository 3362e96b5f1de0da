# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_deployment and serverless_environment_info against a fresh simulator per test (they change state)."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_deployment as deploy
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_environment_info as env_info

from ...conftest import ACCOUNT, TOKEN
from ..twilio_variants import serve_variants
from .conftest import FakeModule

SERVICE = "ZS77777777777777777777777777777777"
A1, A2, A3, A4, A5 = ("ZB000000000000000000000000000000a%d" % n for n in range(1, 6))


@pytest.fixture
def fresh(fresh_sim):
    return fresh_sim


@pytest.fixture
def client(fresh):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh.url,
                                                "retries": 3, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=lambda s: None)
    yield made
    made.close()


def module_for(check_mode=False, diff=False, **overrides):
    params = dict(service="release-app", environment="production", build=None, from_environment=None,
                  rollback=False)
    params.update(overrides)
    module = FakeModule(params)
    module.check_mode = check_mode
    module._diff = diff  # pylint: disable=protected-access
    return module


def run(client, module):
    result = copy.deepcopy(deploy.BLANK_RESULT)
    result["changed"] = False
    return deploy.run(module, client, result)


def posts(sim):
    return [e for e in sim.log() if e["method"] == "POST"]


def live(sim, name):
    service = sim.server.store.services[SERVICE]
    return [e.build_sid for e in service.environments if e.unique_name == name][0]


@pytest.mark.parametrize("name", ["production", "ZE" + "0" * 32, "stage", "stage-environment"])
def test_each_way_of_naming_an_environment(fresh, client, name):
    if name.startswith("ZE"):
        name = fresh.server.store.services[SERVICE].environments[1].sid
    result = run(client, module_for(environment=name, build=A4))
    assert result["changed"] is True and result["build_sid"] == A4 and result["environment"]["build_sid"] == A4
    assert len(posts(fresh)) == 1


def test_deploy_then_rerun_is_idempotent(fresh, client):
    first = run(client, module_for(build=A4))
    assert first["previous_build_sid"] == A1 and first["deployment"]["build_sid"] == A4
    assert first["build"]["sid"] == A4 and first["environment"]["build_sid"] == A4
    fresh.server.clear_log()
    again = run(client, module_for(build=A4))
    assert again["changed"] is False and again["deployment"] is None and posts(fresh) == []
    assert again["build_sid"] == again["previous_build_sid"] == A4
    # What to roll back to is the same on both runs, unlike previous_build_sid.
    assert first["rollback_build_sid"] == again["rollback_build_sid"] == A1


def test_promote_from_environment(fresh, client):
    result = run(client, module_for(from_environment="stage"))
    assert result["changed"] and result["build_sid"] == A2 == live(fresh, "production")


def test_rollback_to_the_build_live_before(fresh, client):
    run(client, module_for(build=A4))
    result = run(client, module_for(rollback=True))
    assert result["changed"] and result["previous_build_sid"] == A4 and result["build_sid"] == A1
    assert live(fresh, "production") == A1
    assert result["rollback_build_sid"] is None  # the newest deployment is now a roll back


def test_the_same_rollback_twice_deploys_once(fresh, client):
    run(client, module_for(build=A4))
    fresh.server.clear_log()
    first = run(client, module_for(rollback=True))
    module = module_for(rollback=True)
    again = run(client, module)
    assert first["changed"] and again["changed"] is False and len(posts(fresh)) == 1
    assert live(fresh, "production") == A1
    assert again["build_sid"] == again["previous_build_sid"] == A1 and again["build"]["sid"] == A1
    assert again["deployment"] is None and again["rollback_build_sid"] is None
    assert module.warnings == [
        "Environment production of service %s was already rolled back from build %s to build %s by its newest "
        "deployment (or %s was released again: the history cannot tell which), so nothing was changed. To go "
        "further back, name the build with build:; to return to %s, use build: %s" % (SERVICE, A4, A1, A1, A4, A4)]


def test_a_rollback_in_check_mode_reports_what_it_would_do(fresh, client):
    run(client, module_for(build=A4))
    before = run(client, module_for(build=A4))
    checked = run(client, module_for(check_mode=True, diff=True, rollback=True))
    assert before["rollback_build_sid"] == A1 and checked["changed"] and checked["build_sid"] == A1
    assert checked["rollback_build_sid"] is None and checked["diff"]["before"]["build_sid"] == A4
    assert live(fresh, "production") == A4 and len(posts(fresh)) == 1


def test_a_rollback_after_a_release_by_name_of_an_older_build_is_refused(fresh, client):
    for build in (A4, A2):
        run(client, module_for(build=build))
    run(client, module_for(rollback=True))  # back to A4
    run(client, module_for(build=A1))  # further back, by name: A1 ran before A4
    fresh.server.clear_log()
    result = copy.deepcopy(deploy.BLANK_RESULT)
    with pytest.raises(TaskFailed) as info:
        deploy.run(module_for(rollback=True), client, result)
    assert info.value.msg.startswith("The newest deployment of environment production of service %s made build %s "
                                     "live again after build %s" % (SERVICE, A1, A4))
    assert info.value.msg.endswith("Name the build to make live with build: (build %s ran before %s)" % (A4, A1))
    assert posts(fresh) == [] and result["rollback_build_sid"] is None and live(fresh, "production") == A1


def test_promotion_reports_the_rollback_target(fresh, client):
    checked = run(client, module_for(check_mode=True, from_environment="stage"))
    promoted = run(client, module_for(from_environment="stage"))
    again = run(client, module_for(from_environment="stage"))
    assert checked["rollback_build_sid"] == promoted["rollback_build_sid"] == again["rollback_build_sid"] == A1
    assert again["previous_build_sid"] == A2


def test_rollback_with_no_earlier_build(fresh, client):
    with pytest.raises(TaskFailed, match="^Environment production of service %s has no earlier build" % SERVICE):
        run(client, module_for(rollback=True))
    assert posts(fresh) == []


def test_check_mode_and_diff_send_nothing(fresh, client):
    result = run(client, module_for(check_mode=True, diff=True, build=A4))
    assert result["changed"] is True and result["deployment"] is None and posts(fresh) == []
    assert result["diff"]["before"]["build_sid"] == A1 and result["diff"]["after"]["build_sid"] == A4
    assert result["diff"]["after"]["build_runtime"] == "node22" and live(fresh, "production") == A1


@pytest.mark.parametrize("answers", ["as the spec's examples", "in variants"])
@pytest.mark.parametrize("sid, status", [(A3, "failed"), (A5, "building")])
def test_unfinished_or_failed_builds_are_refused(fresh, client, sid, status, answers):
    if answers == "in variants":
        serve_variants(fresh)  # FAILED, BUILDING: the message names the status as read
    with pytest.raises(TaskFailed) as info:
        run(client, module_for(build=sid))
    assert info.value.msg.startswith("Build %s of service %s is %s, not completed" % (sid, SERVICE, status))
    assert posts(fresh) == []


@pytest.mark.parametrize("sent, told", [("deploying", "of status 'deploying'"), (None, "of unknown status")])
def test_a_build_of_an_undocumented_status_is_refused_quoting_it(fresh, client, sent, told):
    fresh.fault("build", {"json": {"sid": A4, "status": sent, "runtime": "node22"}})
    with pytest.raises(TaskFailed) as info:
        run(client, module_for(build=A4))
    assert info.value.msg.startswith("Build %s of service %s is %s, not completed" % (A4, SERVICE, told))
    assert posts(fresh) == []


def test_unknown_environment_lists_those_that_exist(fresh, client):
    with pytest.raises(OptionError) as info:
        run(client, module_for(environment="qa", build=A4))
    assert str(info.value) == ("environment: 'qa' is not an environment of service %s; it has stage-environment "
                               "(suffix stage), production (suffix None), dev-environment (suffix dev)" % SERVICE)
    assert posts(fresh) == []


def test_429_on_the_post_is_retried(fresh, client):
    fresh.fault("create_deployment", {"status": 429, "retry_after": 0})
    result = run(client, module_for(build=A4))
    assert result["changed"] and len(posts(fresh)) == 2 and client.retry_summary().startswith("1 request was")
    assert len(fresh.server.store.services[SERVICE].environments[1].deployments) == 2


@pytest.mark.parametrize("fault", [{"commit": True, "status": 503}, {"commit": True, "drop": True}])
def test_post_that_committed_then_failed_ends_with_one_deployment(fresh, client, fault):
    fresh.fault("create_deployment", fault)
    module = module_for(build=A4)
    result = run(client, module)
    assert result["changed"] and result["build_sid"] == A4 and result["deployment"]["build_sid"] == A4
    assert len(posts(fresh)) == 1 and client.sent_writes == 1
    assert len(fresh.server.store.services[SERVICE].environments[1].deployments) == 2  # the seeded one + one
    assert len(module.warnings) == 1 and "was not sent again" in module.warnings[0]


def test_post_that_failed_without_committing_is_sent_again(fresh, client):
    fresh.fault("create_deployment", {"status": 503})
    result = run(client, module_for(build=A4))
    assert result["changed"] and len(posts(fresh)) == 2 and live(fresh, "production") == A4
    assert len(fresh.server.store.services[SERVICE].environments[1].deployments) == 2


def test_a_409_race_is_reconciled(fresh, client):
    # Another job made A4 live between our read and our POST: Twilio answers 409.
    store = fresh.server.store
    service = store.services[SERVICE]
    original = client.post

    def racing_post(url, what, data):
        store.deploy(service, service.environments[1], A4)
        return original(url, what, data)
    client.post = racing_post
    module = module_for(build=A4)
    result = run(client, module)
    assert result["build_sid"] == A4 and len(posts(fresh)) == 1 and "HTTP 409" in module.warnings[0]
    assert len(service.environments[1].deployments) == 2


def test_a_post_failing_for_good_is_bounded(fresh, client):
    fresh.fault("create_deployment", {"status": 503, "times": -1})
    with pytest.raises(TwilioError) as info:
        run(client, module_for(build=A4))
    assert "is not live in environment production; gave up after 4 attempts" in info.value.msg
    assert len(posts(fresh)) == 4


@pytest.mark.parametrize("overrides, message", [
    ({}, "build: give exactly one of build, from_environment and rollback=true (got none)"),
    ({"build": A4, "rollback": True}, "build: give exactly one of build, from_environment and rollback=true (got build, rollback)"),
    ({"build": "ZS" + "0" * 32}, "build: 'ZS00000000000000000000000000000000' is a Service SID, not a Build SID"),
    ({"build": A4, "environment": " "}, "environment: an empty value names no environment"),
])
def test_bad_input_fails_before_any_request(fresh, client, overrides, message):
    with pytest.raises(OptionError) as info:
        run(client, module_for(**overrides))
    assert str(info.value).startswith(message) and fresh.log() == []


def test_environment_info_lists_live_builds_and_history(fresh, client):
    result = copy.deepcopy(env_info.BLANK_RESULT)
    module = FakeModule(dict(service=SERVICE, environment=None, deployments=5))
    result = env_info.run(module, client, result)
    assert [(e["unique_name"], e["build_sid"], e["rollback_build_sid"]) for e in result["environments"]] == [
        ("stage-environment", A2, A1), ("production", A1, None), ("dev-environment", None, None)]
    assert [d["build_sid"] for d in result["environments"][0]["deployments"]] == [A2, A1]
    assert result["environments"][2]["deployments"] == []
    store = fresh.server.store
    service = store.services[SERVICE]
    for env in result["environments"][:2]:
        held = store.build_json(service, service.by_sid[env["build_sid"]], fresh.url, 0)
        assert env["build_runtime"] == held["runtime"] and env["build_dependencies"] == held["dependencies"]
    assert result["environments"][2]["build_runtime"] is None and result["environments"][2]["build_dependencies"] is None


def test_environment_info_reports_the_live_runtime(fresh, client):
    """What a runtime audit reads: the runtime of the build made live last, whichever Twilio answers with."""
    fresh.server.store.services[SERVICE].by_sid[A4].runtime = "node20"
    run(client, module_for(build=A4))
    serve_variants(fresh)
    module = FakeModule(dict(service=SERVICE, environment=None, deployments=0))
    result = env_info.run(module, client, copy.deepcopy(env_info.BLANK_RESULT))
    assert [(e["unique_name"], e["build_runtime"]) for e in result["environments"]] == [
        ("stage-environment", "node22"), ("production", "node20"), ("dev-environment", None)]
    assert any(d.get("name") == "@twilio/runtime-handler" for d in result["environments"][1]["build_dependencies"])


def test_environment_info_when_the_live_build_is_gone(fresh, client):
    store = fresh.server.store
    store.delete_build(store.services[SERVICE], store.services[SERVICE].by_sid[A1])
    module = FakeModule(dict(service=SERVICE, environment="production", deployments=0))
    [env] = env_info.run(module, client, copy.deepcopy(env_info.BLANK_RESULT))["environments"]
    assert env["build_sid"] == A1 and env["build_runtime"] is None and env["build_dependencies"] is None
    assert module.warnings == ["Environment production runs build %s, which Twilio does not find" % A1]


def test_environment_info_one_by_suffix(fresh, client):
    module = FakeModule(dict(service=SERVICE, environment="stage", deployments=0))
    result = env_info.run(module, client, copy.deepcopy(env_info.BLANK_RESULT))
    assert [e["unique_name"] for e in result["environments"]] == ["stage-environment"]
    assert "deployments" not in result["environments"][0] and result["environments"][0]["rollback_build_sid"] == A1
    # The environments, then the one environment's deployments for its roll back target, and its live build.
    assert [e["route"] for e in fresh.log()] == ["environments", "deployments", "build"]


def test_environment_info_agrees_with_the_rollback(fresh, client):
    run(client, module_for(build=A4))
    module = FakeModule(dict(service=SERVICE, environment="production", deployments=0))
    reported = env_info.run(module, client, copy.deepcopy(env_info.BLANK_RESULT))["environments"][0]
    rolled = run(client, module_for(rollback=True))
    after = env_info.run(module, client, copy.deepcopy(env_info.BLANK_RESULT))["environments"][0]
    assert reported["rollback_build_sid"] == rolled["build_sid"] == A1 and after["rollback_build_sid"] is None


def test_deploy_roll_back_and_promote_on_a_server_answering_as_other_sources(fresh, client):
    """Builds in upper case, date_updated null, custom_domain_name null and unknown fields everywhere (issue 23):
    the same decisions as on the simulator's own records."""
    serve_variants(fresh)
    first = run(client, module_for(build=A4))
    assert first["changed"] and first["previous_build_sid"] == A1 and first["rollback_build_sid"] == A1
    assert first["build"]["status"] == "COMPLETED"  # shown as sent
    fresh.server.clear_log()
    assert run(client, module_for(build=A4))["changed"] is False and posts(fresh) == []
    back = run(client, module_for(rollback=True))
    assert back["changed"] and back["build_sid"] == A1 == live(fresh, "production")
    assert run(client, module_for(rollback=True))["changed"] is False and live(fresh, "production") == A1
    promoted = run(client, module_for(from_environment="stage"))
    assert promoted["changed"] and promoted["build_sid"] == A2 == live(fresh, "production")
    info = env_info.run(FakeModule(dict(service="release-app", environment="production", deployments=0)), client,
                        copy.deepcopy(env_info.BLANK_RESULT))
    assert info["environments"][0]["rollback_build_sid"] == A1


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_deployment(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "environment": "production",
                                       "from_environment": "stage"}}


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_environment_info(sim):
    return {"sim": sim, "args": {"service": "small-app", "deployments": 1}}
