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

import random

from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import DeadlineError

GROWTH = 2.0
JITTER = 0.1
# The last poll starts exactly at the deadline (so a thing done in the last interval is not reported as
# timed out) and may take this long.
FINAL_POLL_SECONDS = 5.0
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
        base = self.poll_interval * (GROWTH ** max(0.0, polls - 1))
        if base >= self.max_poll_interval:
            return self.max_poll_interval
        return min(self.max_poll_interval, base * (1 + JITTER * (2 * self.rand() - 1)))

    def next_at(self, item, now, start):
        """When to poll ``item`` next, having just polled it at ``now``."""
        return now + self.gap(item.spent)


class PredictiveSchedule(Schedule):
    """Polls sparsely until shortly before an item's expected finish, densely around it, then backs off.

    An item with ``expected_at`` (a clock value) is polled at once, then at
    most twice more (a third and two thirds of the way) before the dense
    window, every ``poll_interval`` within ``expected_at`` +/- ``WINDOW`` of the
    expected duration (at least two intervals), and after the window with
    gaps doubling from ``poll_interval`` up to ``max_poll_interval``. An item
    without ``expected_at`` follows the plain Schedule.
    """

    def next_at(self, item, now, start):
        expected_at = getattr(item, "expected_at", None)
        if expected_at is None:
            return Schedule.next_at(self, item, now, start)
        half = max(2 * self.poll_interval, WINDOW * max(0.0, expected_at - item.created_at))
        dense_from, dense_until = expected_at - half, expected_at + half
        if now < dense_from:
            return min(now + max(self.max_poll_interval, (dense_from - start) / 3.0), dense_from)
        if now < dense_until:
            return now + self.poll_interval
        item.late_polls += 1
        return now + min(self.max_poll_interval, self.poll_interval * GROWTH ** (item.late_polls - 1))


class Waited:
    """What is known of one awaited item; ``key`` names it."""

    def __init__(self, key):
        self.key = key
        self.status = None
        self.polls = 0
        self.elapsed = None
        self.next_at = None
        self.done = False
        # Set by a caller that can predict: the clock value of the expected finish, and of the item's creation.
        self.expected_at = None
        self.created_at = None
        self.late_polls = 0
        # Polls weighted by what they cost this item: 1 for its own, 1/N for a listing shared by N items.
        self.spent = 0.0


def wait_all(items, poll, is_done, schedule, timeout, clock, sleep, on_done=None, poll_many=None):
    """Poll every item until ``is_done(status)`` or the deadline; return True if the deadline came first.

    ``poll(key, limit)`` returns the current status, with ``limit`` the clock
    value by which it must answer. ``poll_many(keys, limit)``, if given, is
    used while two or more items are pending: one call returns the statuses
    of all the keys it found (a dict), and the items it did not find are
    polled one by one when due. A DeadlineError ends the wait as timed out;
    any other error propagates, so a missing item fails at once, and
    ``items`` still hold what was last known. Finished items drop out, so
    many take as long as the slowest; a listing shared by N items counts
    1/N toward each one's backoff, so they share one cadence. The last poll starts exactly at
    ``start + timeout`` and may take FINAL_POLL_SECONDS; no sleep runs past
    the deadline. ``on_done(item, limit)`` is called as each item finishes.
    """
    start = clock()
    deadline = start + timeout
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
                on_done(item, limit)
        else:
            item.next_at = min(schedule.next_at(item, now, start), deadline)

    try:
        while pending:
            now = clock()
            due = [w for w in pending if w.next_at <= now]
            if due:
                final = now >= deadline
                limit = deadline + FINAL_POLL_SECONDS if final else deadline
                if poll_many is not None and len(pending) > 1:
                    statuses = poll_many([w.key for w in pending], limit)
                    found = [w for w in pending if w.key in statuses]
                    for item in found:
                        polled(item, statuses[item.key], 1.0 / len(found))
                    due = [w for w in due if w.key not in statuses]
                for item in sorted(due, key=lambda w: w.next_at):
                    polled(item, poll(item.key, limit))
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
