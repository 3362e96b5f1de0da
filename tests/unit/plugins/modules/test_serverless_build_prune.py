# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build state=absent through main(): what the simulator's log and store say, not the module's claim."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build

from ...conftest import ACCOUNT, TOKEN

RELEASE = "ZS77777777777777777777777777777777"
A = "ZB000000000000000000000000000000a%d"


def args(sim, **more):
    return dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, service="release-app", state="absent",
                **more)


def deletes(sim):
    return [e["path"].rsplit("/", 1)[-1] for e in sim.log() if e["method"] == "DELETE"]


def listed(sim):
    return [b.sid for b in sim.server.store.services[RELEASE].builds]


def test_check_mode_is_a_dry_run_then_prune_then_nothing(fresh_sim, run_main):
    dry = run_main(serverless_build, dict(args(fresh_sim, keep=0), _ansible_check_mode=True))
    assert dry["changed"] is True and [b["sid"] for b in dry["builds"]] == [A % 4, A % 3]
    assert dry["builds"][1]["status"] == "failed"
    assert set(dry["builds"][0]) == {"sid", "status", "runtime", "date_created"}
    assert [e["method"] for e in fresh_sim.log()] == ["GET"] * len(fresh_sim.log()) and deletes(fresh_sim) == []
    assert len(listed(fresh_sim)) == 5
    fresh_sim.clear()
    done = run_main(serverless_build, args(fresh_sim, keep=0))
    assert done["changed"] is True and [b["sid"] for b in done["builds"]] == [A % 4, A % 3]
    assert deletes(fresh_sim) == [A % 4, A % 3]
    # The live builds (a2 in stage, a1 in production) and the building one (a5) stay.
    assert listed(fresh_sim) == [A % 5, A % 2, A % 1]
    fresh_sim.clear()
    again = run_main(serverless_build, args(fresh_sim, keep=0))
    assert again["changed"] is False and again["builds"] == [] and deletes(fresh_sim) == []


def test_keep_counts_completed_builds(fresh_sim, run_main):
    result = run_main(serverless_build, args(fresh_sim, keep=1))
    assert [b["sid"] for b in result["builds"]] == [A % 3] and deletes(fresh_sim) == [A % 3]


def test_one_build(fresh_sim, run_main):
    result = run_main(serverless_build, args(fresh_sim, build=A % 4))
    assert result["changed"] is True and deletes(fresh_sim) == [A % 4]
    fresh_sim.clear()
    gone = run_main(serverless_build, args(fresh_sim, build=A % 4))
    assert gone["changed"] is False and gone["builds"] == [] and deletes(fresh_sim) == []


@pytest.mark.parametrize("sid, words", [(A % 1, "live in environment production"), (A % 5, "has not finished")])
def test_a_live_or_unfinished_build_is_refused(fresh_sim, run_main, sid, words):
    result = run_main(serverless_build, args(fresh_sim, build=sid))
    assert result["failed"] is True and words in result["msg"] and sid in result["msg"]
    assert deletes(fresh_sim) == [] and sid in listed(fresh_sim)


@pytest.mark.parametrize("more, option", [
    ({}, "build"),
    ({"build": A % 4, "keep": 1}, "build"),
    ({"keep": 1, "source": "/tmp"}, "source"),
    ({"build": "ZS00000000000000000000000000000001"}, "build"),
])
def test_options_refused_before_any_request(fresh_sim, run_main, more, option):
    result = run_main(serverless_build, args(fresh_sim, **more))
    assert result["failed"] is True and result["msg"].startswith(option), result["msg"]
    assert fresh_sim.log() == [] and result["builds"] == []


def test_build_and_keep_need_state_absent(fresh_sim, run_main, tmp_path):
    result = run_main(serverless_build, dict(args(fresh_sim, keep=1, source=str(tmp_path)), state="present"))
    assert result["failed"] is True and result["msg"].startswith("keep") and fresh_sim.log() == []
