# SPDX-License-Identifier: GPL-3.0-or-later
"""The prior of a Build with no history (PriorSchedule): every poll_interval while it is young, then gaps of a
tenth of its age, never past max_poll_interval; and wait_for_builds choosing it for a cold Service. On a fake
clock: the schedule is tested exactly."""

import math

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import BuildWait, created
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.waiter import (
    PRIOR_DENSE_SECONDS,
    PRIOR_SHARE,
    PriorSchedule,
    wait_all,
    Waited,
)

from .test_prediction import stamp, T0
from .test_waiter import FakeTime


def run_prior(finish, created=None, timeout=600.0, poll_interval=1.0, max_poll_interval=8.0):
    """Wait for one item, created at ``created`` (clock value; None: when the wait starts at 0), done at
    ``finish``; return the poll times, the item and whether it timed out."""
    time = FakeTime()
    item = Waited("a")
    polls = []

    def poll(key, deadline):
        polls.append(round(time.now, 6))
        return "done" if time.now >= finish else "building"
    schedule = PriorSchedule(poll_interval, max_poll_interval, None if created is None else {"a": created})
    timed_out = wait_all([item], poll, lambda s: s == "done", schedule, timeout, time.clock, time.sleep)
    return polls, item, timed_out


def test_the_prior_is_twenty_dense_seconds_then_a_tenth_of_the_age():
    assert (PRIOR_DENSE_SECONDS, PRIOR_SHARE) == (20.0, 0.10)


def test_a_3_s_build_is_seen_within_a_second_as_with_the_toolkits_polling():
    polls, item, dummy = run_prior(3.0)
    assert polls == [0.0, 1.0, 2.0, 3.0] and item.elapsed == 3.0
    # A build done just after a poll: seen at the next one, 1 s later at most (doubling gaps: 4 s late).
    polls, item, dummy = run_prior(3.01)
    assert polls == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_the_schedule_exactly_past_the_dense_seconds():
    polls, dummy, dummy2 = run_prior(60.0)
    # Every second to 20 s; then each gap a tenth of the age at the poll (2, 2.2, 2.42, ...).
    expected = [float(s) for s in range(21)]
    at = 20.0
    while at < 60.0:
        at = round(at + max(1.0, 0.1 * at), 6)
        expected.append(at)
    assert polls == pytest.approx(expected)
    assert polls[20:24] == pytest.approx([20.0, 22.0, 24.2, 26.62])
    assert len(polls) == 33  # fixed 1 s polling: 61


def test_gaps_stop_growing_at_max_poll_interval():
    polls, dummy, dummy2 = run_prior(200.0)
    gaps = [round(b - a, 6) for a, b in zip(polls, polls[1:])]
    assert max(gaps) == 8.0 and gaps[-5:] == [8.0] * 5
    # A tenth of the age reaches 8 s at 80 s.
    assert all(g < 8.0 for a, g in zip(polls, gaps) if a < 80.0 - 8.0)

    # Status polls until a build is seen (fixed 1 s polling: the duration + 1), and how late it is seen.
    seen = dict((d, run_prior(d)) for d in (10.0, 30.0, 60.0, 120.0))
    assert dict((d, len(r[0])) for d, r in seen.items()) == {10.0: 11, 30.0: 26, 60.0: 33, 120.0: 41}
    late = dict((d, round(r[1].elapsed - d, 2)) for d, r in seen.items())
    assert late == {10.0: 0.0, 30.0: 2.21, 60.0: 2.77, 120.0: 3.54}


def test_a_build_already_old_is_not_polled_densely_again():
    # Created 100 s before the wait: its gaps start at a tenth of 100 s, capped at 8.
    polls, dummy, dummy2 = run_prior(30.0, created=-100.0)
    assert polls == [0.0, 8.0, 16.0, 24.0, 32.0]
    # Created 15 s before: dense for its first 20 s only.
    polls, dummy, dummy2 = run_prior(12.0, created=-15.0)
    assert polls[:7] == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0])


def test_the_users_poll_interval_is_the_shortest_gap():
    polls, dummy, dummy2 = run_prior(10.0, poll_interval=2.0)
    assert polls == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    polls, dummy, dummy2 = run_prior(40.0, poll_interval=5.0, max_poll_interval=5.0)
    assert set(round(b - a, 6) for a, b in zip(polls, polls[1:])) == {5.0}


@pytest.mark.parametrize("max_poll_interval", [1.0, 2.0, 5.0, 8.0, 30.0])
@pytest.mark.parametrize("finish", [0.5, 3.0, 19.9, 20.0, 45.3, 80.0, 333.3, 3000.0])
@pytest.mark.parametrize("created", [None, -5.0, -50.0, -5000.0])
def test_the_bound_holds_and_the_delay_is_at_most_a_tenth_of_the_age(max_poll_interval, finish, created):
    polls, item, timed_out = run_prior(finish, created, timeout=10 * finish + 60, max_poll_interval=max_poll_interval)
    assert not timed_out
    gaps = [b - a for a, b in zip(polls, polls[1:])]
    assert max(gaps or [0.0]) <= max_poll_interval + 1e-9 and min(gaps or [1.0]) >= 1.0 - 1e-9
    delay = item.elapsed - finish
    age = finish - (created or 0.0)
    assert 0.0 <= delay <= min(max_poll_interval, max(1.0, PRIOR_SHARE * math.ceil(age + 1))) + 1e-9


def test_created_takes_each_builds_age_from_the_listing_and_the_servers_clock():
    awaited = {"sid": "ZB" + "1" * 32, "status": "building", "date_created": stamp(100)}
    builds = [BuildWait(awaited["sid"]), BuildWait("ZB" + "2" * 32)]
    assert created(builds, [awaited], T0.timestamp() + 112.0, 1000.0) == {awaited["sid"]: 988.0}
    assert created(builds, [awaited], None, 1000.0) == {}  # no Date header: taken as made when the wait starts
    assert created(builds, None, T0.timestamp(), 1000.0) == {}
