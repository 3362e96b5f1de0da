# SPDX-License-Identifier: GPL-3.0-or-later
"""The poll schedule and the deadline, on a fake clock: no real sleeping."""

import math

import pytest
from hypothesis import given, strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.waiter import Schedule, wait_all, Waited


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


def builds_finishing_at(time, finish, final="completed"):
    """A poll function: key k is done at finish[k] seconds (None: never)."""
    polls = []

    def poll(key, deadline):
        assert time.now < deadline  # no poll starts at or after the deadline
        polls.append((key, time.now))
        done_at = finish[key]
        return final if done_at is not None and time.now >= done_at else "building"
    return poll, polls


def run(finish, timeout=600, poll_interval=1.0, max_poll_interval=5.0, rand=lambda: 0.5):
    time = FakeTime()
    poll, polls = builds_finishing_at(time, finish)
    waited = [Waited(key) for key in finish]
    timed_out = wait_all(waited, poll, lambda s: s in ("completed", "failed"),
                         Schedule(poll_interval, max_poll_interval, rand), timeout, time.clock, time.sleep)
    return waited, timed_out, polls, time


def test_schedule_gaps_double_up_to_the_cap():
    schedule = Schedule(1.0, 5.0, rand=lambda: 0.5)
    assert [schedule.gap(n) for n in range(1, 7)] == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_schedule_jitter_is_ten_percent_while_growing_and_none_at_cap():
    low, high = Schedule(1.0, 5.0, rand=lambda: 0.0), Schedule(1.0, 5.0, rand=lambda: 1.0)
    assert low.gap(2) == pytest.approx(1.8) and high.gap(2) == pytest.approx(2.2)
    assert low.gap(3) == pytest.approx(3.6) and high.gap(3) == 4.4
    assert low.gap(4) == high.gap(4) == 5.0


@given(poll_interval=st.floats(0.05, 30.0), ratio=st.floats(1.0, 1000.0), below=st.floats(0.5, 1.0),
       rand=st.floats(0.0, 1.0))
def test_no_gap_of_the_plain_schedule_passes_max_poll_interval(poll_interval, ratio, below, rand):
    # Jitter may shorten a gap, never stretch one past the bound the user set: +10% of a gap just under the
    # cap would. The poll count is chosen so that the gap before jitter is ``below`` times the cap.
    cap = poll_interval * ratio
    polls = 1 + math.log2(max(1.0, ratio * below))
    assert Schedule(poll_interval, cap, rand=lambda: rand).gap(polls) <= cap


def test_first_poll_is_immediate_and_3s_build_takes_3_polls():
    waited, timed_out, polls, time = run({"a": 3.0})
    assert not timed_out and [at for dummy, at in polls] == [0.0, 1.0, 3.0]
    assert waited[0].elapsed == 3.0 and waited[0].polls == 3 and time.sleeps == [1.0, 2.0]


def test_60s_build_takes_15_polls_and_is_seen_within_5s():
    waited, dummy, polls, dummy2 = run({"a": 60.0})
    assert [at for dummy, at in polls] == [0.0, 1.0, 3.0, 7.0, 12.0, 17.0, 22.0, 27.0, 32.0, 37.0, 42.0, 47.0, 52.0,
                                           57.0, 62.0]
    assert waited[0].elapsed == 62.0


@pytest.mark.parametrize("rand", [0.0, 1.0])
def test_60s_build_poll_count_with_extreme_jitter(rand):
    dummy, dummy2, polls, dummy3 = run({"a": 60.0}, rand=lambda: rand)
    assert len(polls) <= 15


def test_deadline_is_exact_with_a_last_poll_at_it():
    waited, timed_out, polls, time = run({"a": None}, timeout=4.0)
    assert timed_out and waited[0].status == "building"
    assert [at for dummy, at in polls] == [0.0, 1.0, 3.0, 4.0]
    assert time.now == 4.0 and waited[0].elapsed == 4.0  # slept to the deadline, not past it


def test_a_build_done_in_the_last_interval_is_seen_by_the_last_poll():
    waited, timed_out, polls, time = run({"a": 3.5}, timeout=4.0)
    assert not timed_out and waited[0].status == "completed" and waited[0].elapsed == 4.0
    assert [at for dummy, at in polls] == [0.0, 1.0, 3.0, 4.0]


def test_deadline_between_polls_cuts_the_sleep():
    dummy, timed_out, dummy2, time = run({"a": None}, timeout=10.0)
    assert timed_out and time.now == 10.0 and time.sleeps[-1] == 3.0


def test_many_builds_take_as_long_as_the_slowest():
    finish = dict(("b%02d" % i, 5.0 + i) for i in range(20))
    waited, timed_out, polls, time = run(finish)
    assert not timed_out
    assert max(w.elapsed for w in waited) <= 24.0 + 5.0
    assert time.now <= 29.0  # not the sum of 20 waits
    assert all(w.polls <= 8 for w in waited)
    # finished builds drop out: no poll of a build after it was seen done
    seen_done = {}
    for key, at in polls:
        assert key not in seen_done
        if at >= finish[key]:
            seen_done[key] = at


def test_poll_error_propagates_at_once():
    time = FakeTime()

    def poll(key, deadline):
        raise LookupError(key)
    items = [Waited("x")]
    with pytest.raises(LookupError):
        wait_all(items, poll, bool, Schedule(1, 5), 600, time.clock, time.sleep)
    assert time.now == 0.0 and (items[0].polls, items[0].status, items[0].elapsed) == (0, None, 0.0)


def test_deadline_error_from_a_poll_ends_the_wait_as_timed_out():
    time = FakeTime()
    answers = iter(["building"])

    def poll(key, deadline):
        for answer in answers:
            return answer
        time.now = 2.5  # the request ran into the deadline
        raise DeadlineError("No answer before the deadline")
    items = [Waited("x")]
    assert wait_all(items, poll, lambda s: s == "completed", Schedule(1, 5), 3, time.clock, time.sleep) is True
    assert (items[0].status, items[0].polls, items[0].elapsed) == ("building", 1, 2.5)


def test_on_done_called_once_per_item():
    time = FakeTime()
    done = []
    poll, dummy = builds_finishing_at(time, {"a": 0.0, "b": 2.0})
    wait_all([Waited("a"), Waited("b")], poll, lambda s: s == "completed", Schedule(1, 5), 60, time.clock, time.sleep,
             on_done=lambda item, deadline: done.append((item.key, deadline)))
    assert done == [("a", 60.0), ("b", 60.0)]


def test_a_days_wait_at_short_gaps_does_not_overflow():
    # 2.0 ** (polls - 1) overflowed past 1025 polls: a day at 5 s gaps is 17,280.
    schedule = Schedule(0.01, 5.0, rand=lambda: 0.5)
    assert schedule.gap(17280) == 5.0 and schedule.gap(1e9) == 5.0
