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
        """Seconds from poll number ``polls`` (1 for the first) to the next."""
        base = self.poll_interval * (GROWTH ** (polls - 1))
        if base >= self.max_poll_interval:
            return self.max_poll_interval
        return min(self.max_poll_interval, base * (1 + JITTER * (2 * self.rand() - 1)))


class Waited:
    """What is known of one awaited item; ``key`` names it."""

    def __init__(self, key):
        self.key = key
        self.status = None
        self.polls = 0
        self.elapsed = None
        self.next_at = None
        self.done = False


def wait_all(items, poll, is_done, schedule, timeout, clock, sleep, on_done=None):
    """Poll every item until ``is_done(status)`` or the deadline; return True if the deadline came first.

    ``poll(key, deadline)`` returns the current status. A DeadlineError from it
    ends the wait as timed out; any other error propagates, so a missing item
    fails at once, and ``items`` still hold what was last known. Each item
    keeps its own schedule; finished items drop out, so many take as long as
    the slowest. No poll starts at or after ``start + timeout``, and no sleep
    runs past it. ``on_done(item, deadline)`` is called as each item finishes.
    """
    start = clock()
    deadline = start + timeout
    for item in items:
        item.next_at = start
    pending = list(items)
    try:
        while pending:
            for item in sorted((w for w in pending if w.next_at <= clock()), key=lambda w: w.next_at):
                if clock() >= deadline:
                    break
                item.status = poll(item.key, deadline)
                item.polls += 1
                now = clock()
                if is_done(item.status):
                    item.done = True
                    item.elapsed = now - start
                    pending.remove(item)
                    if on_done is not None:
                        on_done(item, deadline)
                else:
                    item.next_at = now + schedule.gap(item.polls)
            now = clock()
            if not pending or now >= deadline:
                break
            wake = min(min(w.next_at for w in pending), deadline)
            if wake > now:
                sleep(wake - now)
    except DeadlineError:
        pass
    finally:
        end = clock()
        for item in pending:
            item.elapsed = end - start
    return bool(pending)
