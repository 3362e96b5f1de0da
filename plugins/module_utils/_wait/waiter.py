# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wait for many things at once, each on its own poll schedule, under one deadline.

Pure logic: what to poll and the clock and sleep are passed in, so the
schedule and the deadline are tested without waiting. Nothing here knows what
is awaited; _build_wait.py applies it to Builds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError

GROWTH = 2.0
JITTER = 0.1
# The last poll starts exactly at the deadline (so a thing done in the last interval is not reported as
# timed out) and may take this long.
FINAL_POLL_SECONDS = 5.0
# Past this many doublings any gap is at its cap (poll_interval > 0 and max_poll_interval <= 3600 s).
MAX_DOUBLINGS = 64
# Half the width of the dense polling window around an expected finish, as a share of the expected duration.
WINDOW = 0.10


class Schedule:
    """Gaps between polls: ``poll_interval``, then doubling, up to ``max_poll_interval``.

    The first poll is immediate. While the gap grows it gets +/-10% jitter so
    jobs started together drift apart; at the cap the gap is the cap itself,
    since jitter there could only shorten it and add polls. With the defaults
    (1 s, 5 s) polls come at about 0, 1, 3, 7, 12, 17, ... seconds.
    """

    def __init__(self, poll_interval, max_poll_interval, rand=random.random):
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.rand = rand

    def gap(self, polls):
        """Seconds from poll number ``polls`` (1 for the first) to the next.

        ``polls`` may be fractional: a listing that reads N items at once
        counts 1/N for each, so many items share one slowly growing cadence.
        """
        # The exponent is capped: 2.0 ** 1024 overflows, and a day's wait at short gaps makes more polls.
        base = self.poll_interval * (GROWTH ** min(MAX_DOUBLINGS, max(0.0, polls - 1)))
        if base >= self.max_poll_interval:
            return self.max_poll_interval
        return min(self.max_poll_interval, base * (1 + JITTER * (2 * self.rand() - 1)))

    def next_at(self, item, now, start):
        """When to poll ``item`` next, having just polled it at ``now``."""
        return now + self.gap(item.spent)


# The prior for a Build with no history to predict from (fewer than MIN_HISTORY completed Builds in its Service).
# A project without npm dependencies builds in a few seconds (the simulator's builds take 1 s, the toolkit's own
# test project's a few); one with dependencies takes tens of seconds to minutes, npm install being most of it.
# Issue 24 item 10 asks, for builds of 3 to 60 s with the defaults (1 s, 8 s), a median detection delay of at most
# 1.5 s and, from 30 s, at most half the requests of fixed 1 s polling. So by the Build's age:
# - younger than PRIOR_DENSE_SECONDS (5 s): every poll_interval, the toolkit's 1 s polling, so the quick builds
#   are seen within a second;
# - then gaps of PRIOR_STEADY_GAP (2.9 s): a finish uniform within a gap is seen 1.45 s late at the median. Over
#   builds of 3..60 s: 2 s of them seen within 1 s, 55 s of them within 1.45 s half the time, so the median delay
#   is about 1.4 s. A 30 s build is seen at the 15th poll, 5 + 9 x 2.9 = 31.1 s (fixed polling: 31 polls), and
#   the count grows by one per 2.9 s where fixed polling's grows by one per second. Why not 3 s: the median delay
#   would be 1.5 s to the hundredth; why not 2.78 s or less: a 30 s build would take a 16th poll, over half of 31.
#   A request's own time lengthens every gap, ours and fixed polling's alike; 2.9 s keeps both targets up to
#   about 60 ms a request (benchmarks/bench.py section 3d measures them with 30 ms);
# - past the age at which PRIOR_SHARE (5%) of it exceeds PRIOR_STEADY_GAP (58 s), gaps of that share of its age, so
#   a long Build costs a few more polls per doubling of its duration and is seen at most 5% of it late;
# never shorter than poll_interval nor longer than max_poll_interval. With the defaults: a 3 s Build takes 4 Status
# polls, 10 s 8 (fixed 1 s polling: 11), 30 s 15 (31), 60 s 25 (61), 120 s 40 (121); the gap reaches 8 s at a
# 160 s age. tests/unit/plugins/module_utils/_wait/test_prior.py holds these numbers.
# What else is known of a cold Service: the Build's own age (date_created against Twilio's Date header, so a
# Build already old when the wait starts is not polled densely again). The account's other Services would cost
# a listing of Services and one of Builds each before the first poll, more than the polls they could save.
PRIOR_DENSE_SECONDS = 5.0
PRIOR_STEADY_GAP = 2.9
PRIOR_SHARE = 0.05


class PriorSchedule(Schedule):
    """Without a prediction, a schedule by the Build's age: every ``poll_interval`` while the Build is younger than
    ``dense_seconds``, then gaps of ``steady_gap`` or ``share`` of its age, whichever is longer, at least
    ``poll_interval``, at most ``max_poll_interval``.

    ``created`` maps an item's key to the clock value it was created at (from
    the server's clock); an item not in it is taken as created when the wait
    started, as a Build just made is. No jitter: the gaps are the rule's
    exactly, and a Build's age already sets apart Builds made at different times.
    """

    def __init__(self, poll_interval, max_poll_interval, created=None, dense_seconds=PRIOR_DENSE_SECONDS,
                 steady_gap=PRIOR_STEADY_GAP, share=PRIOR_SHARE, rand=random.random):
        Schedule.__init__(self, poll_interval, max_poll_interval, rand)
        self.created = dict(created or {})
        self.dense_seconds = dense_seconds
        self.steady_gap = steady_gap
        self.share = share

    def gap_at(self, age):
        """Seconds to the next poll of a Build ``age`` seconds old."""
        gap = self.poll_interval if age < self.dense_seconds else max(self.steady_gap, self.share * age)
        return min(self.max_poll_interval, max(self.poll_interval, gap))

    def next_at(self, item, now, start):
        return now + self.gap_at(now - self.created.get(item.key, start))


class PredictiveSchedule(Schedule):
    """Polls every ``max_poll_interval`` until shortly before an item's expected finish, densely around it, then
    backs off: a prediction may shorten gaps, never stretch one past ``max_poll_interval``.

    ``expected`` maps an item's key to ``(created_at, expected_at)``, clock
    values of its creation and expected finish. Such an item is polled at
    once, then at even gaps of at most ``max_poll_interval`` that end exactly
    where the dense window starts, every ``poll_interval`` within
    ``expected_at`` +/- ``window`` of the expected duration (at least two
    intervals), and after the window with gaps doubling from ``poll_interval``
    up to ``max_poll_interval``. So an item that finishes at any time, the
    prediction right or wrong, is seen within ``max_poll_interval`` plus one
    poll. An item not in ``expected`` follows the plain Schedule.
    """

    def __init__(self, poll_interval, max_poll_interval, expected=None, window=WINDOW, rand=random.random):
        Schedule.__init__(self, poll_interval, max_poll_interval, rand)
        self.expected = dict(expected or {})
        self.window = window
        # Polls of each item after its dense window, for the backoff there.
        self.late_polls = {}

    def dense_window(self, key):
        """The clock values between which ``key`` is polled every ``poll_interval``; None without a prediction."""
        if key not in self.expected:
            return None
        created_at, expected_at = self.expected[key]
        half = max(2 * self.poll_interval, self.window * max(0.0, expected_at - created_at))
        return expected_at - half, expected_at + half

    def next_at(self, item, now, start):
        window = self.dense_window(item.key)
        if window is None:
            return Schedule.next_at(self, item, now, start)
        dense_from, dense_until = window
        if now < dense_from:
            # Even gaps that end where the dense window starts, rather than a short one just before it;
            # never shorter than poll_interval.
            ahead = dense_from - now
            even = ahead / math.ceil(ahead / self.max_poll_interval)
            return now + min(self.max_poll_interval, max(self.poll_interval, even))
        if now < dense_until:
            return now + self.poll_interval
        late = self.late_polls[item.key] = self.late_polls.get(item.key, 0) + 1
        return now + min(self.max_poll_interval, self.poll_interval * GROWTH ** min(MAX_DOUBLINGS, late - 1))


class Waited:
    """What is known of one awaited item; ``key`` names it."""

    def __init__(self, key):
        self.key = key
        self.status = None
        self.polls = 0
        self.elapsed = None
        self.next_at = None
        self.done = False
        # Polls weighted by what they cost this item: 1 for its own, 1/N for a listing shared by N items.
        self.spent = 0.0


def wait_all(items, poll, is_done, schedule, timeout, clock, sleep, on_done=None, poll_many=None):
    """Poll every item until ``is_done(status)`` or the deadline; return True if the deadline came first.

    ``poll(key, deadline)`` returns the current status, with ``deadline`` the
    clock value by which it must answer. ``poll_many(keys, deadline)``, if given, is
    used while two or more items are pending: one call returns the statuses
    of all the keys it found (a dict), and the items it did not find are
    polled one by one when due. A DeadlineError ends the wait as timed out;
    any other error propagates, so a missing item fails at once, and
    ``items`` still hold what was last known. Finished items drop out, so
    many take as long as the slowest; a listing shared by N items counts
    1/N toward each one's backoff, so they share one cadence. The last poll starts exactly at
    ``start + timeout`` and may take FINAL_POLL_SECONDS; no sleep runs past
    the deadline. ``on_done(item, deadline)`` is called as each item finishes.
    """
    start = clock()
    end_at = start + timeout
    for item in items:
        item.next_at = start
    pending = list(items)

    def polled(item, status, share=1.0):
        item.status = status
        item.polls += 1
        item.spent += share
        now = clock()
        if is_done(status):
            item.done = True
            item.elapsed = now - start
            pending.remove(item)
            if on_done is not None:
                on_done(item, answer_by)
        else:
            item.next_at = min(schedule.next_at(item, now, start), end_at)

    try:
        while pending:
            now = clock()
            due = [w for w in pending if w.next_at <= now]
            if due:
                final = now >= end_at
                answer_by = end_at + FINAL_POLL_SECONDS if final else end_at
                if poll_many is not None and len(pending) > 1:
                    statuses = poll_many([w.key for w in pending], answer_by)
                    found = [w for w in pending if w.key in statuses]
                    for item in found:
                        polled(item, statuses[item.key], 1.0 / len(found))
                    due = [w for w in due if w.key not in statuses]
                for item in sorted(due, key=lambda w: w.next_at):
                    polled(item, poll(item.key, answer_by))
                if final:
                    break
            if not pending:
                break
            now = clock()
            wake = min(w.next_at for w in pending)
            if wake > now:
                sleep(wake - now)
    except DeadlineError:
        pass
    finally:
        end = clock()
        for item in pending:
            item.elapsed = end - start
    return bool(pending)
