# SPDX-License-Identifier: GPL-3.0-or-later
"""The prune planner (pure; property tests: never a live or unfinished build, exactly the keep rule) and the
deletes against the simulator (one DELETE per build, a 404 is gone, a 409 is kept)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import delete_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.prune import (
    live_builds,
    plan_prune,
    refusal,
    rollback_needs,
)

from ....conftest import ACCOUNT, TOKEN

RELEASE = "ZS77777777777777777777777777777777"


@pytest.fixture
def fresh_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 3, "request_timeout": 5.0}), sleep=lambda s: None)
    yield made
    made.close()


def sid(n):
    return "ZB%032x" % n


BUILDS = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["completed", "failed", "building", None, "odd"])),
                  max_size=30)


@st.composite
def cases(draw):
    """A newest-first listing (SIDs may repeat, as a shifting page can show one twice), environments running some
    of them (or builds not listed, or nothing), and a keep."""
    listing = [{"sid": sid(n), "status": status} for n, status in draw(BUILDS)]
    known = [b["sid"] for b in listing] + [sid(99), None, "not-a-sid"]
    environments = [{"unique_name": "env%d" % i, "build_sid": draw(st.sampled_from(known))}
                    for i in range(draw(st.integers(0, 4)))]
    return listing, environments, draw(st.integers(0, 10))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_never_a_live_or_unfinished_build_and_exactly_the_keep_rule(case):
    listing, environments, keep = case
    plan = plan_prune(listing, environments, keep)
    live = set(live_builds(environments))
    deleted = [b["sid"] for b in plan.delete]
    assert len(deleted) == len(set(deleted)), "one DELETE per build"
    for build in plan.delete:
        assert build["sid"] not in live
        assert build["status"] in ("completed", "failed")
    # The first listing of each SID decides; the `keep` newest completed are kept.
    first = {}
    for build in listing:
        first.setdefault(build["sid"], build["status"])
    completed = [s for s in first if first[s] == "completed"]
    assert plan.kept == completed[:keep]
    expected = [s for s in first if s not in completed[:keep] and s not in live and first[s] in ("completed", "failed")]
    assert deleted == expected


@settings(max_examples=200, deadline=None)
@given(cases())
def test_one_build_is_refused_when_live_or_unfinished(case):
    listing, environments, dummy = case
    live = live_builds(environments)
    for build in listing:
        plan = plan_prune([build], environments)
        reason = refusal(plan, build["sid"])
        if build["sid"] in live:
            assert reason and "live in environment" in reason and live[build["sid"]][0] in reason
            assert plan.delete == []
        elif build["status"] not in ("completed", "failed"):
            assert reason and "has not finished" in reason and plan.delete == []
        else:
            assert reason is None and [b["sid"] for b in plan.delete] == [build["sid"]]


@st.composite
def with_rollbacks(draw):
    """A case, and some of its builds (or builds not listed) needed for roll backs."""
    listing, environments, keep = draw(cases())
    known = [b["sid"] for b in listing] + [sid(98)]
    needed = draw(st.lists(st.sampled_from(known), max_size=4))
    return listing, environments, keep, dict((s, ["the roll back target of environment e"]) for s in needed)


@settings(max_examples=300, deadline=None)
@given(with_rollbacks())
def test_a_build_roll_backs_need_is_never_deleted_and_each_kept_one_says_why(case):
    listing, environments, keep, rollbacks = case
    plan = plan_prune(listing, environments, keep, rollbacks)
    deleted = set(b["sid"] for b in plan.delete)
    assert not deleted & set(rollbacks)
    stayed = [record["sid"] for record, dummy in plan.stay]
    # Every distinct listed SID is either deleted or stays with a reason, once.
    assert sorted(stayed + list(deleted)) == sorted(set(b["sid"] for b in listing))
    for record, reason in plan.stay:
        assert reason
        if record["sid"] in rollbacks:
            assert "the roll back target of environment e" in reason
    without = plan_prune(listing, environments, keep)
    # Roll backs only ever take builds off the delete list.
    assert deleted == set(b["sid"] for b in without.delete) - set(rollbacks)
    for build in listing:
        if build["sid"] in rollbacks and build["sid"] not in live_builds(environments):
            one = plan_prune([build], environments, rollbacks=rollbacks)
            assert one.delete == [] and "is kept for roll backs" in refusal(one, build["sid"])


def test_rollback_needs_of_each_environment_with_its_reason():
    live, target, older, other = sid(1), sid(2), sid(3), sid(4)
    history = [{"build_sid": s, "date_created": "2026-11-24T08:%02d:00Z" % (59 - i)}
               for i, s in enumerate((live, target, older))]
    environments = [{"sid": "ZE%032x" % 1, "unique_name": "staging", "build_sid": live},
                    {"sid": "ZE%032x" % 2, "unique_name": None, "build_sid": other}]
    histories = {"ZE%032x" % 1: history, "ZE%032x" % 2: [{"build_sid": other}]}
    assert rollback_needs(histories, environments) == {target: ["the roll back target of environment staging"]}
    assert rollback_needs(histories, environments, 2) == {
        target: ["the roll back target of environment staging"],
        older: ["ran in environment staging before its live build"]}
    assert rollback_needs({}, environments) == {}


def test_a_record_without_a_valid_sid_is_left_alone():
    plan = plan_prune([{"sid": None, "status": "failed"}, {"sid": "ZB123", "status": "failed"}, {"status": "failed"}],
                      [], 0)
    assert plan.delete == []


def test_the_seeded_service():
    """release-app: a5 building, a4 completed, a3 failed, a2 live in stage, a1 live in production."""
    listing = [{"sid": "ZB000000000000000000000000000000a%d" % n, "status": s}
               for n, s in ((5, "building"), (4, "completed"), (3, "failed"), (2, "completed"), (1, "completed"))]
    environments = [{"unique_name": "stage-environment", "build_sid": "ZB000000000000000000000000000000a2"},
                    {"unique_name": "production", "build_sid": "ZB000000000000000000000000000000a1"},
                    {"unique_name": "dev-environment", "build_sid": None}]
    assert [b["sid"][-2:] for b in plan_prune(listing, environments, 1).delete] == ["a3"]
    assert [b["sid"][-2:] for b in plan_prune(listing, environments, 0).delete] == ["a4", "a3"]
    plan = plan_prune(listing, environments, 10)
    # keep counts completed builds only: a failed one goes whatever keep says.
    assert [b["sid"][-2:] for b in plan.delete] == ["a3"] and plan.unfinished == ["ZB000000000000000000000000000000a5"]


def test_deletes_one_request_each_404_is_gone_409_is_kept(fresh_sim, fresh_client):
    builds = [{"sid": "ZB000000000000000000000000000000a4"}, {"sid": "ZB000000000000000000000000000000a3"},
              {"sid": "ZB000000000000000000000000000000a2"}]
    # a3 is gone already (someone else deleted it); a2 is live (it became live since the listing, say).
    fresh_sim.server.store.delete_build(fresh_sim.server.store.services[RELEASE],
                                        fresh_sim.server.store.services[RELEASE].by_sid[builds[1]["sid"]])
    warnings, deleted = [], []
    delete_builds(fresh_client, RELEASE, builds, warnings, deleted)
    assert [b["sid"][-2:] for b in deleted] == ["a4", "a3"]
    assert [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in fresh_sim.log()] == [
        ("DELETE", b["sid"]) for b in builds]
    assert len(warnings) == 1 and "ZB000000000000000000000000000000a2 was kept" in warnings[0]


def test_a_delete_answered_503_after_it_took_effect_is_not_sent_again(fresh_sim, fresh_client):
    fresh_sim.fault("delete_build", {"commit": True, "status": 503})
    warnings, deleted = [], []
    delete_builds(fresh_client, RELEASE, [{"sid": "ZB000000000000000000000000000000a4"}], warnings, deleted)
    assert len(deleted) == 1
    assert [e["method"] for e in fresh_sim.log()] == ["DELETE", "GET"]
    assert "had taken effect" in warnings[0]


def shown_otherwise(listing, environments, case):
    """The same listing and environments as another source shows them: statuses in ``case``, unknown fields,
    a null build_sid left out altogether, null unique names."""
    builds = [dict(b, status=case(b["status"]) if isinstance(b["status"], str) else b["status"], brand_new=[None])
              for b in listing]
    envs = []
    for env in environments:
        env = dict(env, date_updated=None, custom_domain_name=None)
        if env["build_sid"] is None:
            del env["build_sid"]
        envs.append(env)
    return builds, envs


@settings(max_examples=200, deadline=None)
@given(cases(), st.sampled_from([str.upper, str.title, lambda s: " %s" % s]))
def test_statuses_in_any_case_and_unknown_fields_prune_as_the_canonical_records(case, shape):
    listing, environments, keep = case
    canonical = plan_prune(listing, environments, keep)
    builds, envs = shown_otherwise(listing, environments, shape)
    plan = plan_prune(builds, envs, keep)
    assert [b["sid"] for b in plan.delete] == [b["sid"] for b in canonical.delete]
    assert (plan.kept, plan.live, plan.unfinished) == (canonical.kept, canonical.live, canonical.unfinished)
    assert all(b in builds for b in plan.delete)  # the records as Twilio sent them


def test_a_live_environment_without_a_unique_name_is_named_by_its_sid():
    env = {"sid": "ZE" + "1" * 32, "unique_name": None, "build_sid": sid(1)}
    plan = plan_prune([{"sid": sid(1), "status": "COMPLETED"}], [env])
    assert plan.delete == [] and refusal(plan, sid(1)).startswith("Build %s is live in environment ZE111" % sid(1))
