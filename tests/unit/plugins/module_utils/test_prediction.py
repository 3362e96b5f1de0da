# SPDX-License-Identifier: GPL-3.0-or-later
"""Predicting a build's finish from the service's history, and the schedule built on it, on a fake clock."""

import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._build_wait import BuildWait, predict
from ansible_collections.twilio_community.serverless.plugins.module_utils._prediction import (
    age,
    duration,
    expected_duration,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._waiter import (
    PredictiveSchedule,
    Waited,
    wait_all,
)

from .test_waiter import FakeTime

T0 = datetime.datetime(2026, 11, 24, 8, 0, 0, tzinfo=datetime.timezone.utc)


def stamp(seconds):
    return (T0 + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def finished(seconds, status="completed", created=0):
    return {"status": status, "date_created": stamp(created), "date_updated": stamp(created + seconds)}


def test_duration_uses_only_completed_builds_with_both_dates():
    assert duration(finished(41)) == 41.0
    assert duration(finished(41, "failed")) is None and duration({"status": "completed"}) is None
    assert duration({"status": "completed", "date_created": stamp(10), "date_updated": stamp(5)}) is None


def test_expected_duration_is_the_median_of_the_newest_ten():
    assert expected_duration([finished(d) for d in (50, 70)]) is None  # too little history
    assert expected_duration([finished(d) for d in (50, 70, 60)]) == 60.0
    assert expected_duration([finished(d) for d in (50, 70, 60, 64)]) == 62.0
    history = [finished(d) for d in (10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 999, 999, 999)]
    assert expected_duration(history) == 10.0


def test_age_needs_the_servers_clock():
    build = {"date_created": stamp(0)}
    assert age(build, T0.timestamp() + 12.0) == 12.0
    assert age(build, None) is None and age({}, T0.timestamp()) is None and age(None, T0.timestamp()) is None


def test_predict_gives_each_build_its_expected_finish():
    awaited = {"sid": "ZB" + "1" * 32, "status": "building", "date_created": stamp(100)}
    recent = [awaited] + [finished(d, created=-200 * i) for i, d in enumerate((58, 60, 62))]
    builds = [BuildWait(awaited["sid"]), BuildWait("ZB" + "2" * 32)]
    predict(builds, recent, T0.timestamp() + 110.0, 1000.0)  # the build is 10 s old when the wait starts
    assert (builds[0].created_at, builds[0].expected_at, builds[0].predicted) == (990.0, 1050.0, 50.0)
    assert builds[1].expected_at is None and builds[1].predicted is None  # not in the listing: no age


def run_predicted(expected, finish, timeout=600, poll_interval=1.0, max_poll_interval=5.0):
    """Wait for one item created at 0 and expected to take ``expected`` s, that finishes at ``finish``."""
    time = FakeTime()
    item = Waited("a")
    item.created_at, item.expected_at = 0.0, expected
    polls = []

    def poll(key, limit):
        polls.append(round(time.now, 6))
        return "completed" if time.now >= finish else "building"
    timed_out = wait_all([item], poll, lambda s: s == "completed", PredictiveSchedule(poll_interval, max_poll_interval),
                         timeout, time.clock, time.sleep)
    return item, polls, timed_out


def test_polls_sparsely_then_densely_around_the_expected_finish():
    item, polls, dummy = run_predicted(60.0, 61.3)
    # At once; a third and two thirds of the way to the dense window (60 - 10% = 54); every second within it.
    assert polls == pytest.approx([0.0, 18.0, 36.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0])
    assert item.elapsed == pytest.approx(62.0)  # seen 0.7 s after it finished


def test_a_late_build_is_polled_with_growing_gaps():
    item, polls, dummy = run_predicted(60.0, 80.0)
    late = [p for p in polls if p > 66.0]
    assert late == pytest.approx([67.0, 69.0, 73.0, 78.0, 83.0])


def test_an_early_failure_is_seen_at_the_next_sparse_poll():
    item, polls, dummy = run_predicted(120.0, 5.0)
    assert polls == pytest.approx([0.0, 36.0]) and item.elapsed == pytest.approx(36.0)


def test_the_dense_window_is_at_least_two_intervals():
    dummy, polls, dummy2 = run_predicted(10.0, 11.0)
    assert polls == pytest.approx([0.0, 5.0, 8.0, 9.0, 10.0, 11.0])
