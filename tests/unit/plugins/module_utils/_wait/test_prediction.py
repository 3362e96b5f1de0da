# SPDX-License-Identifier: GPL-3.0-or-later
"""Predicting a build's finish from the service's history, and the schedule built on it, on a fake clock."""

import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import BuildWait, predict
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.prediction import (
    age,
    duration,
    expected_duration,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.waiter import (
    PredictiveSchedule,
    wait_all,
    Waited,
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
    expected = predict(builds, recent, T0.timestamp() + 110.0, 1000.0)  # the build is 10 s old when the wait starts
    assert expected == {awaited["sid"]: (990.0, 1050.0)} and builds[0].predicted == 50.0
    assert builds[1].predicted is None  # not in the listing: no age, no prediction
    assert predict(builds, recent[:3], T0.timestamp() + 110.0, 1000.0) == {}  # two finished builds: too few


def run_predicted(expected, finish, created=0.0, timeout=600, poll_interval=1.0, max_poll_interval=8.0):
    """Wait for one item created at ``created`` and expected to take ``expected`` s, finishing at ``finish``.

    The wait starts at 0 on a fake clock; returns the item, the poll times and whether it timed out.
    """
    time = FakeTime()
    item = Waited("a")
    polls = []

    def poll(key, deadline):
        polls.append(round(time.now, 6))
        return "done" if time.now >= finish else "building"
    schedule = PredictiveSchedule(poll_interval, max_poll_interval, {"a": (created, created + expected)})
    timed_out = wait_all([item], poll, lambda s: s == "done", schedule, timeout, time.clock, time.sleep)
    return item, polls, timed_out


def test_an_on_time_build_is_polled_every_max_poll_interval_then_densely():
    item, polls, dummy = run_predicted(50.0, 50.3)
    # Dense from 45 (50 - 10%): up to it, 6 even gaps of 7.5 s (45 / ceil(45 / 8)); then every second.
    assert polls == pytest.approx([0.0, 7.5, 15.0, 22.5, 30.0, 37.5, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0])
    assert item.elapsed == pytest.approx(51.0)  # seen 0.7 s after it finished


def test_an_early_failure_is_seen_within_max_poll_interval():
    # Expected to take 100 s, it fails at 10 s (10% of it): seen at the next poll, 15 s, 5 s late.
    # (0.2.0 stretched the gaps to a third of the way to the dense window: seen at 30 s, 20 s late.)
    item, polls, dummy = run_predicted(100.0, 10.0)
    assert polls == pytest.approx([0.0, 7.5, 15.0]) and item.elapsed == pytest.approx(15.0)


def test_a_late_build_is_polled_with_gaps_doubling_to_max_poll_interval():
    item, polls, dummy = run_predicted(50.0, 71.0)
    # The dense window ends at 55; then gaps of 1, 2, 4, 8, 8 s.
    assert [p for p in polls if p >= 54.0] == pytest.approx([54.0, 55.0, 56.0, 58.0, 62.0, 70.0, 78.0])


def test_the_dense_window_is_at_least_two_intervals():
    dummy, polls, dummy2 = run_predicted(10.0, 11.0)
    assert polls == pytest.approx([0.0, 8.0, 9.0, 10.0, 11.0])


def test_a_build_older_than_its_prediction_backs_off_from_poll_interval():
    dummy, polls, dummy2 = run_predicted(50.0, 30.0, created=-100.0)  # expected to finish 50 s ago
    assert polls == pytest.approx([0.0, 1.0, 3.0, 7.0, 15.0, 23.0, 31.0])


def test_no_sparse_gap_is_a_moment_long():
    # Gaps of 6.5 s would put a poll at 52 and the next at 54; nine even gaps of 6 s end where the window starts.
    dummy, polls, dummy2 = run_predicted(60.0, 61.0, max_poll_interval=6.5)
    assert polls[:11] == pytest.approx([0.0, 6.0, 12.0, 18.0, 24.0, 30.0, 36.0, 42.0, 48.0, 54.0, 55.0])


@pytest.mark.parametrize("max_poll_interval", [1.0, 5.0, 8.0, 30.0])
@pytest.mark.parametrize("expected", [3.0, 10.0, 60.0, 600.0, 3600.0])
@pytest.mark.parametrize("share", [0.0, 0.05, 0.1, 0.5, 0.89, 0.95, 1.0, 1.07, 1.2, 3.0])
def test_the_bound_holds_whatever_the_prediction(max_poll_interval, expected, share):
    """However right or wrong the prediction, no gap exceeds max_poll_interval, nor does the notice."""
    finish = share * expected
    item, polls, timed_out = run_predicted(expected, finish, timeout=10 * expected + 60,
                                           max_poll_interval=max_poll_interval)
    assert not timed_out
    gaps = [b - a for a, b in zip(polls, polls[1:])]
    assert max(gaps or [0.0]) <= max_poll_interval + 1e-9
    assert min(gaps or [1.0]) >= 1.0 - 1e-9  # never closer than poll_interval
    assert 0.0 <= item.elapsed - finish <= max_poll_interval + 1e-9


def test_a_build_without_a_prediction_follows_the_plain_schedule():
    time = FakeTime()
    polls = []

    def poll(key, deadline):
        polls.append(time.now)
        return "building"
    schedule = PredictiveSchedule(1.0, 8.0, {"other": (0.0, 50.0)}, rand=lambda: 0.5)
    wait_all([Waited("a")], poll, lambda s: False, schedule, 30.0, time.clock, time.sleep)
    assert polls == [0.0, 1.0, 3.0, 7.0, 15.0, 23.0, 30.0]


def test_duration_reads_the_status_in_any_case_and_a_null_date_as_unknown():
    assert duration(dict(finished(41), status="COMPLETED", brand_new={"x": 1})) == 41.0
    assert duration(dict(finished(41), date_updated=None)) is None
    assert duration(dict(finished(41), status="deploying")) is None
    assert age(dict(finished(41), date_created=None), 0.0) is None
