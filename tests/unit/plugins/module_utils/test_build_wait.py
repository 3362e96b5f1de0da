# SPDX-License-Identifier: GPL-3.0-or-later
"""wait_for_builds on an injected clock: the client's clock is the wait's clock."""

from ansible_collections.twilio_community.serverless.plugins.module_utils._build_wait import wait_for_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._waiter import Schedule

from ...conftest import SMALL
from ...conftest import FakeClock

DONE = "ZB00000000000000000000000000000001"
FAILED = "ZB00000000000000000000000000000002"
SCHEDULE = Schedule(1, 5, rand=lambda: 0.5)


def client_on(connection, clock, **overrides):
    return TwilioClient(connection(**overrides), clock=clock, sleep=clock.sleep, rand=lambda: 0.5)


def test_one_build_is_polled_by_status_then_fetched_once(sim, connection):
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, [FAILED], SCHEDULE, 60, prediction=False)
    assert (outcome.status, outcome.timed_out, outcome.error, outcome.polls, outcome.elapsed) == (
        "failed", False, None, 1, 0.0)
    assert outcome.builds[0].build["sid"] == FAILED and outcome.predicted_seconds is None
    assert [e["route"] for e in sim.log()] == ["build_status", "build"]


def test_several_builds_are_read_from_one_listing(sim, connection):
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, [DONE, FAILED], SCHEDULE, 60, prediction=False)
    assert (outcome.status, outcome.polls) == ("failed", 2)
    # The listing carries the full builds: nothing to fetch afterwards.
    assert [(b.sid, b.status, b.build["sid"]) for b in outcome.builds] == [(DONE, "completed", DONE),
                                                                           (FAILED, "failed", FAILED)]
    assert [e["route"] for e in sim.log()] == ["builds"]


def test_still_building_at_the_deadline(sim, connection):
    sid = sim.builds(SMALL, {"ready_in": 600})[0]
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, [sid], SCHEDULE, 10, prediction=False)
    # Polls at 0, 1, 3 and 7 s on the injected clock (no jitter with rand 0.5), and a last one at the deadline.
    assert (outcome.status, outcome.timed_out, outcome.polls, outcome.elapsed) == ("building", True, 5, 10.0)
    assert clock.slept == [1.0, 2.0, 4.0, 3.0]


def test_an_api_error_ends_the_wait_with_what_was_known(sim, connection):
    sim.fault("build_status", {"delay": 0}, {"status": 404})
    clock = FakeClock()
    sid = sim.builds(SMALL, {"ready_in": 600})[0]
    outcome = wait_for_builds(client_on(connection, clock, retries=0), SMALL, [sid], SCHEDULE, 60, prediction=False)
    assert outcome.error.http_status == 404 and not outcome.timed_out and outcome.status == "building"
    assert (outcome.builds[0].status, outcome.builds[0].polls, outcome.elapsed) == ("building", 1, 1.0)


def test_a_retry_that_would_pass_the_deadline_ends_as_the_timeout(sim, connection):
    sim.fault("build_status", {"status": 503, "retry_after": 30})
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, [DONE], SCHEDULE, 10, prediction=False)
    assert outcome.timed_out and outcome.error is None and outcome.builds[0].status is None
    assert len(sim.log()) == 1 and clock.slept == []
