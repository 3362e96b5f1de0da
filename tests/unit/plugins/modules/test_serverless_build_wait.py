# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build_wait's run() against the simulator."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as mod

from ...conftest import SMALL
from ...conftest import FakeClock
from .conftest import FakeModule

DONE = "ZB00000000000000000000000000000001"
FAILED = "ZB00000000000000000000000000000002"


def params(**overrides):
    base = dict(service=SMALL, sids=None, latest=False, timeout=30.0, poll_interval=0.05, max_poll_interval=0.2,
                fail_on_failed=True, prediction=False)
    base.update(overrides)
    return base


def run(client, **overrides):
    return mod.run(FakeModule(params(**overrides)), client, copy.deepcopy(mod.BLANK_RESULT))


def run_failing(client, error=TaskFailed, **overrides):
    """Run a wait that must fail; return (the error, the result as the module would report it)."""
    result = copy.deepcopy(mod.BLANK_RESULT)
    with pytest.raises(error) as info:
        mod.run(FakeModule(params(**overrides)), client, result)
    return info.value, result


def test_completed_build_returns_it_in_full(sim, client):
    result = run(client, sids=[DONE])
    assert result["status"] == "completed" and result["polls"] == 1
    entry = result["builds"][0]
    assert entry["sid"] == DONE and entry["build"]["runtime"] == "node22" and entry["build"]["sid"] == DONE
    assert [e["route"] for e in sim.log()] == ["build_status", "build"]


def test_building_build_is_polled_until_done(sim, client):
    sid = sim.builds(SMALL, {"ready_in": 0.4})[0]
    result = run(client, sids=[sid])
    # Real time here (the simulator's build finishes in real time); the schedule's exact times are pinned in
    # test_waiter.py with an injected clock.
    assert result["status"] == "completed" and result["builds"][0]["polls"] >= 2


def test_failed_build_fails_with_context(sim, client):
    err, result = run_failing(client, sids=[FAILED])
    assert err.msg.startswith("Build %s of service %s failed after" % (FAILED, SMALL)) and "(runtime node20)" in err.msg
    assert result["status"] == "failed" and result["builds"][0]["build"]["runtime"] == "node20"


def test_failed_build_reported_and_warned_when_told(sim, client):
    module = FakeModule(params(sids=[FAILED, DONE], fail_on_failed=False))
    result = mod.run(module, client, copy.deepcopy(mod.BLANK_RESULT))
    assert result["status"] == "failed" and [b["status"] for b in result["builds"]] == ["failed", "completed"]
    assert len(module.warnings) == 1 and module.warnings[0].startswith("Build %s of service %s failed" % (FAILED, SMALL))


def test_latest(sim, client):
    sid = sim.builds(SMALL, {"ready_in": 0.1})[0]
    result = run(client, latest=True)
    assert [b["sid"] for b in result["builds"]] == [sid]
    assert sim.log()[0]["query"]["PageSize"] == "1"  # without prediction, the newest build alone


def test_timeout_names_waiting_builds(sim, connection):
    sid = sim.builds(SMALL, {"ready_in": 60})[0]
    clock = FakeClock()
    client = TwilioClient(connection(), clock=clock, sleep=clock.sleep)
    err, result = run_failing(client, sids=[sid, DONE], timeout=0.5, poll_interval=0.2, max_poll_interval=0.2)
    # One listing at 0 reads both (DONE is done); then sid alone at 0.2, 0.4 and a final poll at the deadline 0.5.
    assert err.msg == ("Timed out after 0.5 s waiting for 1 of 2 builds of service %s: %s (last status building, "
                       "4 polls)" % (SMALL, sid))
    assert result["status"] == "building" and result["elapsed"] == 0.5 and result["polls"] == 5
    assert [(b["sid"], b["status"], b["polls"]) for b in result["builds"]] == [(sid, "building", 4), (DONE, "completed", 1)]
    assert clock.slept == pytest.approx([0.2, 0.2, 0.1])


def test_unknown_build_fails_at_once_with_what_was_known(sim, client):
    err, result = run_failing(client, TwilioError, sids=["ZB" + "d" * 32], timeout=30)
    assert err.http_status == 404 and len(sim.log()) == 1
    assert result["status"] == "building" and result["builds"][0]["status"] is None and result["polls"] == 0


def test_no_builds_for_latest(sim, client):
    with pytest.raises(TwilioError, match="has no builds"):
        run(client, service="empty-app", latest=True)


@pytest.mark.parametrize("overrides, fragment", [
    ({}, "sids: give the Builds to wait for in sids, or set latest"),
    ({"sids": [DONE], "latest": True}, "exactly one of them"),
    ({"sids": ["zb" + "0" * 32]}, "sids: 'zb0000"),
    ({"sids": [DONE, DONE]}, "sids: names a Build more than once"),
    ({"sids": [DONE], "timeout": 0.0}, "timeout: 0.0 is out of range"),
    ({"sids": [DONE], "timeout": -5.0}, "timeout: -5.0 is out of range"),
    ({"sids": [DONE], "poll_interval": 0.0}, "poll_interval: 0.0 is out of range"),
    ({"sids": [DONE], "poll_interval": 2.0, "max_poll_interval": 1.0}, "max_poll_interval: 1.0 is below poll_interval"),
    ({"sids": [DONE], "service": "x?y"}, "service: 'x?y' is neither"),
])
def test_bad_input_fails_before_any_request(sim, client, overrides, fragment):
    with pytest.raises(OptionError) as info:
        mod.run(FakeModule(dict(params(), **dict({"sids": None}, **overrides))), client, copy.deepcopy(mod.BLANK_RESULT))
    assert fragment in str(info.value)
    assert sim.log() == []


class JumpingClock:
    """Monotonic time that leaps past any deadline once the first Status answer is in."""

    def __init__(self):
        self.now = 1000.0
        self.polled = False

    def __call__(self):
        return self.now + (100.0 if self.polled else 0.0)

    def sleep(self, seconds):
        self.now += seconds


def test_build_done_at_the_deadline_is_reported_without_details(sim, connection):
    clock = JumpingClock()
    client = TwilioClient(connection(), clock=clock, sleep=clock.sleep)
    original = client.get

    def get(url, what, params=None, deadline=None):
        answer = original(url, what, params, deadline)
        if url.endswith("/Status"):
            clock.polled = True  # the Status said completed; the deadline passes before the fetch
        return answer
    client.get = get
    module = FakeModule(params(sids=[DONE], timeout=10.0))
    result = mod.run(module, client, copy.deepcopy(mod.BLANK_RESULT))
    assert result["status"] == "completed" and result["builds"][0]["build"] == {}
    assert module.warnings == ["Build %s finished at the deadline; its details were not fetched" % DONE]
    assert [e["route"] for e in sim.log()] == ["build_status"]


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_build_wait(sim):
    never = sim.builds("ZS44444444444444444444444444444444", {"ready_in": 3600})[0]
    return {"sim": sim, "args": {"service": "small-app", "sids": ["ZB00000000000000000000000000000001"]},
            "deadline_args": {"service": "small-app", "sids": [never], "timeout": 0.3, "poll_interval": 0.1}}
