# SPDX-License-Identifier: GPL-3.0-or-later
"""The prune step of a release (state=absent) against the simulator, without a module: what its request log and
store say, and what the step fills in the result and the warnings, also when a delete fails half-way.

release-app is seeded with a5 building, a4 completed, a3 failed, a2 live in stage-environment, a1 live in
production."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import (
    deploy_build,
    list_deployments,
    rollback_target,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import list_environments
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.prune import (
    check_prune_params,
    prune,
)

RELEASE = "ZS77777777777777777777777777777777"
A = "ZB000000000000000000000000000000a%d"


def blank():
    return dict(service_sid=RELEASE, builds=[], changed=False)


def deletes(sim):
    return [e["path"].rsplit("/", 1)[-1] for e in sim.log() if e["method"] == "DELETE"]


def listed(sim):
    return [b.sid for b in sim.server.store.services[RELEASE].builds]


def test_keep_zero_in_check_mode_lists_and_deletes_nothing(fresh_sim, fresh_client):
    warnings, result = [], blank()
    assert prune(fresh_client, RELEASE, None, 0, True, warnings, result) is result
    assert [b["sid"] for b in result["builds"]] == [A % 4, A % 3] and result["changed"] is True
    assert set(result["builds"][0]) == {"sid", "status", "runtime", "date_created"}
    assert result["builds"][1]["status"] == "failed"
    # The environments, the deployments of the two that run a build (for their roll back targets), the builds.
    assert [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in fresh_sim.log()] == [
        ("GET", "Environments"), ("GET", "Deployments"), ("GET", "Deployments"), ("GET", "Builds")] and warnings == []
    assert [(b["sid"], b["reason"]) for b in result["kept"]] == [
        (A % 5, "not finished (building)"), (A % 2, "live in environment stage-environment"),
        (A % 1, "live in environment production; the roll back target of environment stage-environment")]
    assert listed(fresh_sim) == [A % n for n in (5, 4, 3, 2, 1)]


@pytest.mark.parametrize("keep, gone", [(0, [4, 3]), (1, [3]), (10, [3])])
def test_keep_deletes_one_request_each_never_live_or_unfinished(fresh_sim, fresh_client, keep, gone):
    warnings, result = [], blank()
    prune(fresh_client, RELEASE, None, keep, False, warnings, result)
    assert deletes(fresh_sim) == [A % n for n in gone]
    assert [b["sid"] for b in result["builds"]] == [A % n for n in gone] and result["changed"] is True
    assert listed(fresh_sim) == [A % n for n in (5, 4, 3, 2, 1) if n not in gone] and warnings == []


def deploy(client, environment, build):
    """Make ``build`` live in ``environment`` of release-app, as serverless_deployment would."""
    envs = list_environments(client, RELEASE)
    env_sid = [e["sid"] for e in envs if e["unique_name"] == environment][0]
    deploy_build(client, RELEASE, env_sid, build, environment)


@pytest.mark.parametrize("check_mode", [True, False])
def test_the_roll_back_target_stays_whatever_keep_says(fresh_sim, fresh_client, check_mode):
    deploy(fresh_client, "stage-environment", A % 4)  # stage ran a1, a2, now a4: a roll back restores a2
    fresh_sim.server.clear_log()
    warnings, result = [], blank()
    prune(fresh_client, RELEASE, None, 0, check_mode, warnings, result)
    assert [b["sid"] for b in result["builds"]] == [A % 3] and result["changed"] is True
    assert [(b["sid"], b["reason"]) for b in result["kept"]] == [
        (A % 5, "not finished (building)"), (A % 4, "live in environment stage-environment"),
        (A % 2, "the roll back target of environment stage-environment"), (A % 1, "live in environment production")]
    assert deletes(fresh_sim) == ([] if check_mode else [A % 3])
    after = [b.sid for b in fresh_sim.server.store.services[RELEASE].builds]
    assert A % 2 in after
    # What serverless_deployment's roll back would deploy is still there to deploy.
    envs = list_environments(fresh_client, RELEASE)
    stage = [e for e in envs if e["unique_name"] == "stage-environment"][0]
    assert rollback_target(list_deployments(fresh_client, RELEASE, stage["sid"]), A % 4) == A % 2


def test_a_named_roll_back_target_is_refused(fresh_sim, fresh_client):
    deploy(fresh_client, "stage-environment", A % 4)
    result = blank()
    with pytest.raises(TaskFailed) as caught:
        prune(fresh_client, RELEASE, A % 2, None, False, [], result)
    assert caught.value.msg.startswith("Build %s is kept for roll backs (the roll back target of environment "
                                       "stage-environment); it can be deleted once newer deployments" % (A % 2))
    assert deletes(fresh_sim) == []


def test_keep_rollbacks_keeps_deeper_history(fresh_sim, fresh_client):
    for build in (1, 2, 4):
        deploy(fresh_client, "dev-environment", A % build)  # dev ran a1, a2, now a4: a roll back restores a2
    reasons = {}
    for depth in (1, 2):
        result = blank()
        prune(fresh_client, RELEASE, None, 0, True, [], result, depth)
        assert [b["sid"] for b in result["builds"]] == [A % 3]
        reasons[depth] = dict((b["sid"], b["reason"]) for b in result["kept"])
    assert reasons[1][A % 2] == reasons[2][A % 2] == (
        "live in environment stage-environment; the roll back target of environment dev-environment")
    assert reasons[1][A % 1] == "live in environment production; the roll back target of environment stage-environment"
    assert reasons[2][A % 1] == ("live in environment production; the roll back target of environment "
                                 "stage-environment; ran in environment dev-environment before its live build")


def test_nothing_to_delete_is_no_change(fresh_sim, fresh_client):
    prune(fresh_client, RELEASE, None, 0, False, [], blank())
    fresh_sim.server.clear_log()
    result = blank()
    prune(fresh_client, RELEASE, None, 0, False, [], result)
    assert result["builds"] == [] and result["changed"] is False and deletes(fresh_sim) == []


def test_one_named_build(fresh_sim, fresh_client):
    result = blank()
    prune(fresh_client, RELEASE, A % 3, None, False, [], result)
    assert deletes(fresh_sim) == [A % 3] and [b["sid"] for b in result["builds"]] == [A % 3]
    assert A % 3 not in listed(fresh_sim)


def test_one_named_build_already_gone_is_no_change(fresh_sim, fresh_client):
    prune(fresh_client, RELEASE, A % 3, None, False, [], blank())
    fresh_sim.server.clear_log()
    result = blank()
    assert prune(fresh_client, RELEASE, A % 3, None, False, [], result) == blank()
    assert deletes(fresh_sim) == []


@pytest.mark.parametrize("number, words", [
    (2, "Build %s is live in environment stage-environment; deploy another build there before deleting it"),
    (1, "Build %s is live in environment production; deploy another build there before deleting it"),
    (5, "Build %s has not finished; it can be deleted once it is completed or failed"),
])
def test_one_named_live_or_unfinished_build_is_refused(fresh_sim, fresh_client, number, words):
    result = blank()
    with pytest.raises(TaskFailed) as caught:
        prune(fresh_client, RELEASE, A % number, None, False, [], result)
    assert caught.value.msg == words % (A % number)
    assert deletes(fresh_sim) == [] and result == blank()


def test_a_build_that_became_live_is_kept_with_a_warning(fresh_sim, fresh_client):
    # The first DELETE is answered normally, the second as Twilio refuses a build an environment runs.
    fresh_sim.fault("delete_build", {"delay": 0}, {"status": 409})
    warnings, result = [], blank()
    prune(fresh_client, RELEASE, None, 0, False, warnings, result)
    assert deletes(fresh_sim) == [A % 4, A % 3]
    assert [b["sid"] for b in result["builds"]] == [A % 4] and result["changed"] is True
    assert len(warnings) == 1 and warnings[0].startswith("Build %s was kept: Twilio refused to delete it" % (A % 3))


def test_a_failure_half_way_says_what_went(fresh_sim, fresh_client):
    fresh_sim.fault("delete_build", {"delay": 0}, {"status": 403})
    result = blank()
    with pytest.raises(TwilioError) as caught:
        prune(fresh_client, RELEASE, None, 0, False, [], result)
    assert caught.value.http_status == 403
    assert [b["sid"] for b in result["builds"]] == [A % 4] and result["changed"] is True
    assert listed(fresh_sim) == [A % n for n in (5, 3, 2, 1)]


def test_the_first_failure_deletes_nothing_and_says_so(fresh_sim, fresh_client):
    fresh_sim.fault("delete_build", {"status": 403})
    result = blank()
    with pytest.raises(TwilioError):
        prune(fresh_client, RELEASE, None, 0, False, [], result)
    assert result["builds"] == [] and result["changed"] is False


@pytest.mark.parametrize("params, message", [
    ({"source": "/tmp", "keep": 1}, "source: is not used with state=absent; give build or keep"),
    ({}, "build: and keep: give exactly one with state=absent (one Build SID, or how many completed builds to keep)"),
    ({"build": A % 4, "keep": 1}, "build: and keep: give exactly one with state=absent"),
    ({"build": "ZS00000000000000000000000000000001"}, "build: "),
    ({"keep": -1}, "keep: "),
    ({"keep": 1, "keep_rollbacks": 0}, "keep_rollbacks: "),
    ({"build": A % 4, "keep_rollbacks": 101}, "keep_rollbacks: "),
])
def test_options_are_checked_without_a_request(params, message):
    with pytest.raises(OptionError) as caught:
        check_prune_params(params)
    assert str(caught.value).startswith(message) and caught.value.option == message.split(":")[0]


@pytest.mark.parametrize("params", [{"build": A % 4}, {"keep": 0}, {"keep": 5, "source": None},
                                    {"keep": 0, "keep_rollbacks": 1}, {"keep": 0, "keep_rollbacks": 100}])
def test_good_options_pass(params):
    assert check_prune_params(params) is None
