# SPDX-License-Identifier: GPL-3.0-or-later
"""The roll back rule over deployment histories, and the order deployments are read in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import deployments
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import (
    _created,
    list_deployments,
    live_builds,
    rollback_builds,
    rollback_plan,
    rollback_target,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient

from ....conftest import ACCOUNT, TOKEN

B1, B2, B3, B4, B5, B9 = ("ZB" + "%032x" % n for n in (1, 2, 3, 4, 5, 9))
NAMES = {B1: "B1", B2: "B2", B3: "B3", B4: "B4", B5: "B5", B9: "B9"}
ENV = "environment production of service ZS77777777777777777777777777777777"


def history(*builds):
    """Deployments newest first, one minute apart."""
    return [{"sid": "ZD%032x" % i, "build_sid": b, "date_created": "2026-11-24T08:%02d:00Z" % (59 - i)}
            for i, b in enumerate(builds)]


def deploy(deployments, build):
    """The history after ``rollback: true`` made ``build`` live (what Twilio would then list)."""
    return history(build, *[d["build_sid"] for d in deployments])


def act(deployments):
    """What ``rollback: true`` does on this history: ('deploy', B), ('nothing', msg) or ('refuse', msg)."""
    plan = rollback_plan(deployments, deployments[0]["build_sid"] if deployments else None, ENV)
    if plan.target:
        assert plan.message is None and not plan.rolled_back
        return "deploy", NAMES[plan.target]
    return ("nothing" if plan.rolled_back else "refuse"), plan.message


def test_release_then_roll_back_then_roll_back_again():
    released = history(B1, B4)  # B4 ran, a release made B1 live
    assert act(released) == ("deploy", "B4")
    rolled = deploy(released, B4)
    kind, message = act(rolled)
    assert kind == "nothing"
    assert message == ("Environment production of service ZS77777777777777777777777777777777 was already rolled "
                       "back from build %s to build %s by its newest deployment (or %s was released again: the "
                       "history cannot tell which), so nothing was changed. To go further back, name the build "
                       "with build:; to return to %s, use build: %s" % (B1, B4, B4, B1, B1))


def test_roll_back_names_the_build_before_when_there_is_one():
    kind, message = act(deploy(history(B1, B4, B9), B4))
    assert kind == "nothing" and "To go further back, name the build with build: (build %s ran before %s)" % (
        B9, B4) in message


def test_a_new_release_after_a_roll_back_rolls_back_to_the_build_before_it():
    rolled = history(B4, B1, B4)
    assert act(history(B5, *[d["build_sid"] for d in rolled])) == ("deploy", "B4")


def test_re_release_of_the_build_rolled_back_from_looks_like_a_roll_back_and_changes_nothing():
    # B4, release B1, roll back to B4, release B1 again: B0 == B2, as after a roll back.
    kind, message = act(history(B1, B4, B1, B4))
    assert kind == "nothing" and "rolled back from build %s to build %s" % (B4, B1) in message
    assert "use build: %s" % B4 in message  # how to get where a re-release meant to go


def test_roll_back_after_a_re_release_of_an_older_build_is_refused():
    # B3, B4, B1 ran; then B3 was made live again by SID: a deeper roll back or a re-release.
    kind, message = act(history(B3, B1, B4, B3))
    assert kind == "refuse"
    assert message == ("The newest deployment of %s made build %s live again after build %s, and %s is not the "
                       "build that ran before %s (%s was), so it was a roll back to a build named by SID or a new "
                       "release of an old build, and the history cannot tell which; nothing was changed. Name the "
                       "build to make live with build: (build %s ran before %s)"
                       % (ENV, B3, B1, B3, B1, B4, B1, B3))


def test_going_further_back_by_name_then_relaunching_the_roll_back_is_refused():
    # B4 -> B1 (bad) -> roll back to B4 -> build: B3 by name; the roll back job is launched again.
    assert act(history(B3, B4, B1, B4, B3))[0] == "refuse"


def test_first_deployment_has_no_earlier_build():
    kind, message = act(history(B4))
    assert kind == "refuse" and message == "Environment production of service %s has no earlier build to roll back " \
        "to" % "ZS77777777777777777777777777777777"
    assert act([]) == ("refuse", "Environment production of service ZS77777777777777777777777777777777 has no "
                                 "earlier build to roll back to")


def test_a_deployment_of_the_live_build_again_counts_once():
    assert live_builds(history(B1, B1, B4, B4)) == [B1, B4]
    assert act(history(B1, B1, B4)) == ("deploy", "B4")
    assert act(deploy(history(B1, B1, B4), B4))[0] == "nothing"


def test_a_live_build_the_history_does_not_explain_is_refused():
    plan = rollback_plan(history(B1, B4), B9, ENV)
    assert plan.target is None and not plan.rolled_back
    assert plan.message.startswith("Environment production of service ZS77777777777777777777777777777777 runs "
                                   "build %s, but its newest deployment made build %s live" % (B9, B1))
    assert "runs no build," in rollback_plan(history(B1, B4), None, ENV).message


@pytest.mark.parametrize("bad", [None, "", "ZS" + "0" * 32, "ZB123"])
def test_a_deployment_without_a_valid_build_sid_is_refused(bad):
    deployments = history(B1, B4)
    deployments[1]["build_sid"] = bad
    plan = rollback_plan(deployments, B1, ENV)
    assert plan.target is None and "names no valid Build SID" in plan.message and live_builds(deployments) is None


def test_rollback_target_is_the_plan_target():
    assert rollback_target(history(B1, B4), B1) == B4
    assert rollback_target(history(B4, B1, B4), B4) is None
    assert rollback_target(history(B3, B1, B4, B3), B3) is None


def test_running_the_roll_back_many_times_never_toggles():
    deployments = history(B1, B4, B9)
    seen = []
    for dummy in range(4):
        plan = rollback_plan(deployments, deployments[0]["build_sid"])
        seen.append(plan.target)
        if plan.target:
            deployments = deploy(deployments, plan.target)
    assert seen == [B4, None, None, None] and deployments[0]["build_sid"] == B4


# -- what pruning keeps for roll backs ------------------------------------------

@pytest.mark.parametrize("builds, depth, expected", [
    ((B1, B4, B9), 1, (B4, [B4])),  # a release: the target, the build before
    ((B1, B4, B9), 2, (B4, [B4, B9])),
    ((B1, B4, B9), 5, (B4, [B4, B9])),
    ((B4, B1, B4, B9), 1, (None, [B1])),  # already rolled back: build: B1 returns, so B1 stays
    ((B4, B1, B4, B9), 2, (None, [B1, B9])),
    ((B1, B1, B4, B4, B9), 2, (B4, [B4, B9])),  # repeats count once
    ((B1,), 3, (None, [])),  # a first deployment: nothing to roll back to
    ((), 1, (None, [])),
])
def test_rollback_builds_keep_the_target_then_the_builds_before(builds, depth, expected):
    deployments = history(*builds)
    assert rollback_builds(deployments, builds[0] if builds else None, depth) == expected


def test_rollback_builds_pass_over_a_deployment_without_a_build():
    deployments = history(B1, None, B4)
    assert rollback_target(deployments, B1) is None  # refused: the history is unreadable
    assert rollback_builds(deployments, B1, 1) == (None, [B4])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([B1, B2, B3, B4, None]), max_size=8), st.sampled_from([B1, B2, None]),
       st.integers(1, 4))
def test_rollback_builds_always_hold_what_a_roll_back_would_deploy(builds, live, depth):
    """Whatever the history, the Build serverless_deployment would roll back to is kept, first, and the live one is
    never counted (it is kept anyway)."""
    deployments = history(*builds)
    target, kept = rollback_builds(deployments, live, depth)
    assert target == rollback_plan(deployments, live).target
    if target:
        assert kept[0] == target
    assert live not in kept and len(kept) == len(set(kept)) and len(kept) <= depth


# -- the order deployments are read in, from the simulator --------------------

@pytest.fixture
def client_for():
    made = []

    def make(sim):
        made.append(TwilioClient(connection_from_params({
            "account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url, "retries": 0, "request_timeout": 5.0,
            "validate_certs": True}), sleep=lambda s: None))
        return made[-1]
    yield make
    for client in made:
        client.close()


def deployments_of(sim, client, env_index=1):
    service = sim.server.store.services["ZS77777777777777777777777777777777"]
    env = service.environments[env_index]
    return service, env, list_deployments(client, service.sid, env.sid)


def test_three_deployments_in_one_second_keep_the_order_twilio_lists(fresh_sim, client_for):
    client = client_for(fresh_sim)
    service, env, dummy = deployments_of(fresh_sim, client)
    a1, a2, a4 = "ZB000000000000000000000000000000a1", "ZB000000000000000000000000000000a2", \
        "ZB000000000000000000000000000000a4"
    second = 2000000000.0  # the seeded deployment is older
    made = [fresh_sim.server.store.deploy(service, env, sid, now=second) for sid in (a4, a2, a4)]
    dummy, dummy, listed = deployments_of(fresh_sim, client)
    assert len({d["date_created"] for d in listed[:3]}) == 1
    # Twilio lists the newest first; sorting by SID would shuffle these at random.
    assert [d["sid"] for d in listed[:3]] == [d.sid for d in reversed(made)]
    assert [d["build_sid"] for d in listed] == [a4, a2, a4, a1]
    # a4 replaced a2, which had replaced a4: a roll back, nothing to do.
    assert rollback_plan(listed, a4).rolled_back


def test_deployments_are_sorted_by_date_not_by_the_api_order(fresh_sim, client_for):
    client = client_for(fresh_sim)
    service, env, dummy = deployments_of(fresh_sim, client)
    store = fresh_sim.server.store
    a2, a4 = "ZB000000000000000000000000000000a2", "ZB000000000000000000000000000000a4"
    newer = store.deploy(service, env, a4, now=2000000100.0)
    older = store.deploy(service, env, a2, now=2000000000.0)  # listed first, but older
    dummy, dummy, listed = deployments_of(fresh_sim, client)
    assert [d["sid"] for d in listed[:2]] == [newer.sid, older.sid]


@pytest.mark.parametrize("date", [None, "", "yesterday", 17])
def test_a_deployment_without_a_readable_date_sorts_as_the_oldest(date):
    deployments = history(B1, B4)
    deployments[0]["date_created"] = date
    assert [d["build_sid"] for d in sorted(deployments, key=_created, reverse=True)] == [B4, B1]


def test_dates_in_other_zones_compare_as_instants():
    deployments = [{"build_sid": B1, "date_created": "2026-11-24T09:30:00+01:00"},
                   {"build_sid": B4, "date_created": "2026-11-24T08:40:00Z"}]
    assert [d["build_sid"] for d in sorted(deployments, key=_created, reverse=True)] == [B4, B1]


def test_the_history_as_other_sources_show_it_decides_the_same():
    """Unknown fields, date_updated null, a record that is not quite complete: the roll back rule and the order
    read what they need and nothing else."""
    for builds in ((B1, B4), (B4, B1, B4), (B1, B2, B3), (B2, B2, B1)):
        canonical = history(*builds)
        shown = [dict(d, date_updated=None, brand_new={"x": [1]}, url=None) for d in canonical]
        assert live_builds(shown) == live_builds(canonical)
        plan, expected = rollback_plan(shown, builds[0], ENV), rollback_plan(canonical, builds[0], ENV)
        assert (plan.target, plan.rolled_back, plan.message) == (expected.target, expected.rolled_back,
                                                                 expected.message)
    assert live_builds([{"sid": "ZD" + "0" * 32, "date_created": None}]) is None  # no build_sid: no history
    assert _created({"date_created": None}) == _created({}) < _created(history(B1)[0])


# -- a roll back whose target was deleted ----------------------------------------

@pytest.mark.parametrize("count, named", [(0, "the service has no build left. Once one is built, to make it live"),
                                          (2, "the service's builds, newest first: B0 (completed, D0), "
                                              "B1 (completed, D1). To make one of them live"),
                                          (7, "the service's builds, newest first: B0 (completed, D0), "
                                              "B1 (completed, D1), B2 (completed, D2), B3 (completed, D3), "
                                              "B4 (completed, D4) and older ones. To make one of them live")])
def test_the_message_for_a_deleted_target_names_a_few_builds_newest_first(monkeypatch, count, named):
    listed = [{"sid": "ZB%032x" % (100 + n), "status": "completed", "date_created": "2026-11-24T08:%02d:00Z" % n}
              for n in range(count)]
    asked = {}

    def fake_list_builds(client, service_sid, build_filter, limit=None, fields=None):
        asked.update(limit=limit, fields=fields)
        return listed[:limit]
    monkeypatch.setattr(deployments, "list_builds", fake_list_builds)
    message = deployments.gone_target_message(None, "ZS" + "7" * 32, B1, "environment staging", B4)
    for n in range(count):
        message = message.replace("ZB%032x" % (100 + n), "B%d" % n).replace("2026-11-24T08:%02d:00Z" % n, "D%d" % n)
    assert message == (
        "A roll back of environment staging would make build %s live again, but that build no longer exists: it was "
        "deleted (pruned with serverless_build state=absent?); nothing was changed. Now %s, give its SID with "
        "build: (a new deployment; a roll back after it returns to build %s)" % (B1, named, B4))
    assert asked == {"limit": 5, "fields": ("sid", "status", "date_created")}
