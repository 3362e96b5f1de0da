# SPDX-License-Identifier: GPL-3.0-or-later
"""wait_for_builds on an injected clock: the client's clock is the wait's clock."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import BuildWait, WaitOutcome, wait_for_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import WaitOptions

from ....conftest import ACCOUNT, EMPTY, SMALL, TOKEN
from ....conftest import FakeClock
from ...twilio_variants import serve_variants

DONE = "ZB00000000000000000000000000000001"
FAILED = "ZB00000000000000000000000000000002"


def options(timeout=60.0, poll_interval=1.0, max_poll_interval=5.0, prediction=False, fail_on_failed=True):
    return WaitOptions(timeout, poll_interval, max_poll_interval, prediction, fail_on_failed)


def client_on(connection, clock, **overrides):
    return TwilioClient(connection(**overrides), clock=clock, sleep=clock.sleep, rand=lambda: 0.5)


def test_one_build_is_polled_by_status_then_fetched_once(sim, connection):
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, options(), [FAILED])
    assert (outcome.status, outcome.timed_out, outcome.error, outcome.polls, outcome.elapsed) == (
        "failed", False, None, 1, 0.0)
    assert outcome.builds[0].build["sid"] == FAILED and outcome.predicted_seconds is None
    assert [e["route"] for e in sim.log()] == ["build_status", "build"]
    with pytest.raises(TaskFailed, match="^Build %s of service %s failed after 0.0 s \\(runtime node20\\)" % (
            FAILED, SMALL)):
        outcome.check(True, None)
    warnings = []
    outcome.check(False, warnings.append)
    assert len(warnings) == 1 and warnings[0].startswith("Build %s of service %s failed" % (FAILED, SMALL))


def test_several_builds_are_read_from_one_listing(fresh_sim):
    # A simulator of its own: other tests add builds to the shared one's small-app, and a listing of 20 would then
    # miss these two.
    sim = fresh_sim
    clock = FakeClock()
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url}),
                          clock=clock, sleep=clock.sleep, rand=lambda: 0.5)
    outcome = wait_for_builds(client, SMALL, options(), [DONE, FAILED])
    assert (outcome.status, outcome.polls) == ("failed", 2)
    # The listing carries the full builds: nothing to fetch afterwards.
    assert [(b.sid, b.status, b.build["sid"]) for b in outcome.builds] == [(DONE, "completed", DONE),
                                                                           (FAILED, "failed", FAILED)]
    assert [e["route"] for e in sim.log()] == ["builds"]


def test_still_building_at_the_deadline(sim, connection):
    sid = sim.builds(SMALL, {"ready_in": 600})[0]
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, options(timeout=10), [sid])
    # Polls at 0, 1, 3 and 7 s on the injected clock (no jitter with rand 0.5), and a last one at the deadline.
    assert (outcome.status, outcome.timed_out, outcome.polls, outcome.elapsed) == ("building", True, 5, 10.0)
    assert clock.slept == [1.0, 2.0, 4.0, 3.0]
    with pytest.raises(TaskFailed, match=r"^Timed out after 10.0 s waiting for 1 of 1 builds of service %s: %s "
                                         r"\(last status building, 5 polls\)$" % (SMALL, sid)):
        outcome.check(True, None)


def test_an_api_error_ends_the_wait_with_what_was_known(sim, connection):
    sim.fault("build_status", {"delay": 0}, {"status": 404})
    clock = FakeClock()
    sid = sim.builds(SMALL, {"ready_in": 600})[0]
    outcome = wait_for_builds(client_on(connection, clock, retries=0), SMALL, options(), [sid])
    assert outcome.error.http_status == 404 and not outcome.timed_out and outcome.status == "building"
    assert (outcome.builds[0].status, outcome.builds[0].polls, outcome.elapsed) == ("building", 1, 1.0)
    with pytest.raises(TwilioError):
        outcome.check(True, None)


def test_a_retry_that_would_pass_the_deadline_ends_as_the_timeout(sim, connection):
    sim.fault("build_status", {"status": 503, "retry_after": 30})
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, options(timeout=10), [DONE])
    assert outcome.timed_out and outcome.error is None and outcome.builds[0].status is None
    assert len(sim.log()) == 1 and clock.slept == []


def fresh_client(sim, clock):
    connection = connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url})
    return TwilioClient(connection, clock=clock, sleep=clock.sleep, rand=lambda: 0.5)


def test_latest_without_prediction_lists_only_the_newest(fresh_sim):
    sim = fresh_sim
    sid = sim.builds(SMALL, {"ready_in": 0})[0]
    outcome = wait_for_builds(fresh_client(sim, FakeClock()), SMALL, options())
    assert [b.sid for b in outcome.builds] == [sid] and outcome.status == "completed"
    assert sim.log()[0]["route"] == "builds" and sim.log()[0]["query"]["PageSize"] == "1"


def test_latest_of_a_service_without_builds_is_an_error_before_any_poll(sim, connection):
    outcome = wait_for_builds(client_on(connection, FakeClock()), EMPTY, options())
    assert "has no builds" in str(outcome.error) and outcome.builds == [] and outcome.status is None
    assert outcome.result() == dict(status=None, elapsed=0.0, polls=0, predicted_seconds=None, builds=[])


def test_prediction_times_the_polls_but_never_past_max_poll_interval(fresh_sim):
    """A history of 100 s builds; the newest fails at once. One listing serves as history and newest build."""
    sim = fresh_sim
    sim.builds(EMPTY, *[{"age": 1000 - 100 * i, "ready_in": 100} for i in range(4)])
    sid = sim.builds(EMPTY, {"ready_in": 600})[0]
    clock = FakeClock()
    client = fresh_client(sim, clock)
    outcome = wait_for_builds(client, EMPTY, options(timeout=30, max_poll_interval=8.0, prediction=True))
    assert [b.sid for b in outcome.builds] == [sid] and outcome.timed_out
    assert 99.0 <= outcome.predicted_seconds <= 100.0
    # Without the bound the first gap would be a third of the way to the dense window (about 30 s).
    assert max(clock.slept) <= 8.0 and sum(clock.slept) == pytest.approx(30.0)
    routes = [e["route"] for e in sim.log()]
    assert routes[0] == "builds" and sim.log()[0]["query"]["PageSize"] == "20" and routes.count("builds") == 1
    assert routes.count("build_status") == outcome.polls >= 4


def test_a_cold_service_is_polled_by_the_prior_every_second_while_the_build_is_young(fresh_sim):
    """One completed build (too few to predict): the new build, made at once, is polled every poll_interval
    while it is younger than 5 s, then every 2.9 s (the doubling schedule would poll at 0, 1, 3, 7, 15), and no
    prediction is reported."""
    sim = fresh_sim
    sim.builds(EMPTY, {"age": 300, "ready_in": 30})
    sid = sim.builds(EMPTY, {"ready_in": 600})[0]
    clock = FakeClock()
    outcome = wait_for_builds(fresh_client(sim, clock), EMPTY, options(timeout=15, max_poll_interval=8.0,
                                                                       prediction=True))
    assert [b.sid for b in outcome.builds] == [sid] and outcome.timed_out and outcome.predicted_seconds is None
    # 0, 1, 2, 3, 4, 5, 7.9, 10.8, 13.7, and the last poll at the deadline.
    assert clock.slept[:5] == [1.0] * 5 and clock.slept[5:8] == pytest.approx([2.9] * 3)
    assert outcome.polls == 10
    without = wait_for_builds(fresh_client(sim, FakeClock()), EMPTY, options(timeout=15, max_poll_interval=8.0))
    assert without.polls == 5  # prediction: false keeps the doubling schedule: 0, 1, 3, 7, 15


def outcome_of(statuses, timed_out=False, error=None):
    builds = []
    for n, status in enumerate(statuses):
        build = BuildWait("ZB%032d" % n)
        build.status, build.polls, build.build = status, 3, {"runtime": "node22"}
        builds.append(build)
    return WaitOutcome(SMALL, builds, 12.0, timed_out, error=error)


@pytest.mark.parametrize("one_build, message", [
    (True, "Timed out after 12.0 s waiting for build ZB%032d of service %s (last status building, 3 polls)" % (0, SMALL)),
    (False, "Timed out after 12.0 s waiting for 1 of 1 builds of service %s: ZB%032d (last status building, 3 polls)"
     % (SMALL, 0)),
])
def test_the_verdict_on_a_deadline_names_the_builds_as_the_result_shows_them(one_build, message):
    with pytest.raises(TaskFailed) as caught:
        outcome_of(["building"], timed_out=True).check(True, None, one_build=one_build)
    assert message in str(caught.value)


@pytest.mark.parametrize("one_build, where", [(True, "see build for"), (False, "see builds[].build for")])
def test_the_verdict_on_a_failed_build_fails_or_warns_as_asked(one_build, where):
    with pytest.raises(TaskFailed) as caught:
        outcome_of(["failed"]).check(True, None, one_build=one_build)
    assert "failed after 12.0 s (runtime node22); " + where in str(caught.value)
    warned = []
    outcome_of(["failed"]).check(False, warned.append, one_build=one_build)
    assert len(warned) == 1 and where in warned[0]
    outcome_of(["completed"]).check(True, warned.append, one_build=one_build)
    assert len(warned) == 1


def test_the_verdict_raises_the_error_that_ended_the_wait():
    error = TwilioError("boom")
    with pytest.raises(TwilioError) as caught:
        outcome_of(["building"], error=error).check(True, None, one_build=True)
    assert caught.value is error


@pytest.mark.parametrize("sids", [[FAILED], [DONE, FAILED]])
def test_statuses_in_upper_case_end_the_wait_as_lower_case_ones_do(sim, connection, sids):
    """Build Status and the listing both answer COMPLETED / FAILED: the wait reads them, and the builds it
    reports are the records Twilio sent."""
    serve_variants(sim)
    clock = FakeClock()
    outcome = wait_for_builds(client_on(connection, clock), SMALL, options(), sids)
    assert outcome.status == "failed" and outcome.timed_out is False and outcome.error is None
    assert [b.status for b in outcome.builds] == (["failed"] if len(sids) == 1 else ["completed", "failed"])
    assert all(b.build["status"] in ("COMPLETED", "FAILED") for b in outcome.builds)
