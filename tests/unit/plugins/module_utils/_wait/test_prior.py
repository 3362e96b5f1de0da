# SPDX-License-Identifier: GPL-3.0-or-later
"""The prior of a Build with no history (PriorSchedule): every poll_interval while it is young, then steady gaps of
2.9 s, then 5% of its age, never past max_poll_interval; and wait_for_builds choosing it for a cold Service. On a
fake clock: the schedule is tested exactly, and issue 24 item 10's targets over a grid of build durations."""

import math

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import BuildWait, created
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.waiter import (
    PRIOR_DENSE_SECONDS,
    PRIOR_SHARE,
    PRIOR_STEADY_GAP,
    PriorSchedule,
    Schedule,
    wait_all,
    Waited,
)

from .test_prediction import stamp, T0
from .test_waiter import FakeTime


def run_prior(finish, created=None, timeout=600.0, poll_interval=1.0, max_poll_interval=8.0, schedule=None,
              request=0.0):
    """Wait for one item, created at ``created`` (clock value; None: when the wait starts at 0), done at
    ``finish``, each poll taking ``request`` seconds; return the poll times, the item and whether it timed out."""
    time = FakeTime()
    item = Waited("a")
    polls = []

    def poll(key, deadline):
        polls.append(round(time.now, 6))
        status = "done" if time.now >= finish else "building"
        time.now += request
        return status
    if schedule is None:
        schedule = PriorSchedule(poll_interval, max_poll_interval, None if created is None else {"a": created})
    timed_out = wait_all([item], poll, lambda s: s == "done", schedule, timeout, time.clock, time.sleep)
    return polls, item, timed_out


def test_the_prior_is_five_dense_seconds_then_steady_gaps_then_a_share_of_the_age():
    assert (PRIOR_DENSE_SECONDS, PRIOR_STEADY_GAP, PRIOR_SHARE) == (5.0, 2.9, 0.05)


def test_a_3_s_build_is_seen_within_a_second_as_with_the_toolkits_polling():
    polls, item, dummy = run_prior(3.0)
    assert polls == [0.0, 1.0, 2.0, 3.0] and item.elapsed == 3.0
    # A build done just after a poll: seen at the next one, 1 s later at most (doubling gaps: 4 s late).
    polls, item, dummy = run_prior(3.01)
    assert polls == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_the_schedule_exactly_past_the_dense_seconds():
    polls, dummy, dummy2 = run_prior(70.0)
    # Every second to 5 s; then 2.9 s gaps while 5% of the age is shorter (to 58 s); then 5% of the age.
    expected = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    at = 5.0
    while at < 70.0:
        at = round(at + max(2.9, 0.05 * at), 6)
        expected.append(at)
    assert polls == pytest.approx(expected)
    assert polls[5:9] == pytest.approx([5.0, 7.9, 10.8, 13.7])
    assert polls[23:27] == pytest.approx([57.2, 60.1, 63.105, 66.26025])


def test_the_requests_and_delays_of_typical_builds():
    # Status polls until a build is seen (fixed 1 s polling: the duration + 1), and how late it is seen.
    seen = dict((d, run_prior(d)) for d in (3.0, 10.0, 30.0, 60.0, 120.0))
    assert dict((d, len(r[0])) for d, r in seen.items()) == {3.0: 4, 10.0: 8, 30.0: 15, 60.0: 25, 120.0: 40}
    late = dict((d, round(r[1].elapsed - d, 2)) for d, r in seen.items())
    assert late == {3.0: 0.0, 10.0: 0.8, 30.0: 1.1, 60.0: 0.1, 120.0: 4.94}


def test_gaps_stop_growing_at_max_poll_interval():
    polls, dummy, dummy2 = run_prior(300.0)
    gaps = [round(b - a, 6) for a, b in zip(polls, polls[1:])]
    assert max(gaps) == 8.0 and gaps[-5:] == [8.0] * 5
    # 5% of the age reaches 8 s at 160 s.
    assert all(g < 8.0 for a, g in zip(polls, gaps) if a < 160.0 - 8.0)


def test_a_build_already_old_is_not_polled_densely_again():
    # Created 100 s before the wait: its gaps start at 5% of 100 s and grow with its age.
    polls, dummy, dummy2 = run_prior(12.0, created=-100.0)
    assert polls == pytest.approx([0.0, 5.0, 10.25, 15.7625])
    # Created 200 s before: at the cap at once.
    polls, dummy, dummy2 = run_prior(30.0, created=-200.0)
    assert polls == [0.0, 8.0, 16.0, 24.0, 32.0]
    # Created 3 s before: dense for its first 5 s only.
    polls, dummy, dummy2 = run_prior(12.0, created=-3.0)
    assert polls == pytest.approx([0.0, 1.0, 2.0, 4.9, 7.8, 10.7, 13.6])


def test_the_users_poll_interval_is_the_shortest_gap():
    polls, dummy, dummy2 = run_prior(10.0, poll_interval=2.0)
    assert polls == pytest.approx([0.0, 2.0, 4.0, 6.0, 8.9, 11.8])
    polls, dummy, dummy2 = run_prior(40.0, poll_interval=5.0, max_poll_interval=5.0)
    assert set(round(b - a, 6) for a, b in zip(polls, polls[1:])) == {5.0}


@pytest.mark.parametrize("max_poll_interval", [1.0, 2.0, 5.0, 8.0, 30.0])
@pytest.mark.parametrize("finish", [0.5, 3.0, 4.99, 5.0, 19.9, 45.3, 80.0, 333.3, 3000.0])
@pytest.mark.parametrize("created", [None, -5.0, -50.0, -5000.0])
def test_the_bound_holds_and_the_delay_is_at_most_the_steady_gap_or_a_share_of_the_age(
        max_poll_interval, finish, created):
    polls, item, timed_out = run_prior(finish, created, timeout=10 * finish + 60, max_poll_interval=max_poll_interval)
    assert not timed_out
    gaps = [b - a for a, b in zip(polls, polls[1:])]
    assert max(gaps or [0.0]) <= max_poll_interval + 1e-9 and min(gaps or [1.0]) >= 1.0 - 1e-9
    delay = item.elapsed - finish
    age = finish - (created or 0.0)
    assert 0.0 <= delay <= min(max_poll_interval, max(PRIOR_STEADY_GAP, PRIOR_SHARE * math.ceil(age + 1))) + 1e-9


# Issue 24 item 10: builds of 3 to 60 s on a Service with no completed build, every 0.1 s.
GRID = [round(3.0 + 0.1 * n, 1) for n in range(571)]


@pytest.mark.parametrize("request_seconds", [0.0, 0.03])
def test_a_cold_service_meets_the_delay_and_request_targets_of_item_10(request_seconds):
    """With the defaults: the median detection delay at most 1.5 s, from 30 s at most half the Status polls of
    fixed 1 s polling (each build, not the median), and no gap above max_poll_interval; with requests that take no
    time and with 30 ms ones (which lengthen fixed polling's gaps as well as ours)."""
    delays, worse = [], []
    for finish in GRID:
        polls, item, timed_out = run_prior(finish, request=request_seconds)
        assert not timed_out and max(b - a for a, b in zip(polls, polls[1:])) <= 8.0 + request_seconds + 1e-9
        delays.append(polls[-1] - finish)
        fixed, dummy, dummy2 = run_prior(finish, schedule=Schedule(1.0, 1.0), request=request_seconds)
        if finish >= 30.0 and 2 * len(polls) > len(fixed):
            worse.append((finish, len(polls), len(fixed)))
    assert sorted(delays)[len(delays) // 2] <= 1.5
    assert worse == []


def test_created_takes_each_builds_age_from_the_listing_and_the_servers_clock():
    awaited = {"sid": "ZB" + "1" * 32, "status": "building", "date_created": stamp(100)}
    builds = [BuildWait(awaited["sid"]), BuildWait("ZB" + "2" * 32)]
    assert created(builds, [awaited], T0.timestamp() + 112.0, 1000.0) == {awaited["sid"]: 988.0}
    assert created(builds, [awaited], None, 1000.0) == {}  # no Date header: taken as made when the wait starts
    assert created(builds, None, T0.timestamp(), 1000.0) == {}
