# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wait for Builds to finish: the waiter applied to Build Status and listings, then each finished Build once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._builds import (
    FINAL_STATUSES,
    MAX_PAGE_SIZE,
    STATUSES,
    BuildFilter,
    fetch_build,
    fetch_status,
    list_builds,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import DeadlineError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._prediction import (
    HISTORY_PAGE_SIZE,
    age,
    expected_duration,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._waiter import Waited, wait_all

# A listing polled for several builds reaches this many builds past the oldest one awaited, for builds
# created meanwhile.
LISTING_MARGIN = 10


class BuildWait(Waited):
    """One awaited Build: ``key`` is its SID; ``build`` the full Build once it finished and was read."""

    def __init__(self, sid):
        super(BuildWait, self).__init__(sid)
        self.build = {}
        self.predicted = None

    @property
    def sid(self):
        return self.key

    def summary(self):
        return dict(sid=self.key, status=self.status, elapsed=round(self.elapsed or 0.0, 3), polls=self.polls,
                    predicted_seconds=None if self.predicted is None else round(self.predicted, 1),
                    build=self.build)


class WaitOutcome:
    """What a wait found: every Build's last known state, whether the deadline came first, and the error
    that ended it early, if one did. ``late`` are Builds seen finished too close to the deadline to fetch."""

    def __init__(self, builds, elapsed, timed_out, error=None, late=()):
        self.builds = builds
        self.elapsed = elapsed
        self.timed_out = timed_out
        self.error = error
        self.late = list(late)

    @property
    def polls(self):
        return sum(b.polls for b in self.builds)

    @property
    def predicted_seconds(self):
        """When the last Build was expected to finish, in seconds from the start; None without a prediction."""
        predicted = [b.predicted for b in self.builds if b.predicted is not None]
        return round(max(predicted), 1) if predicted else None

    @property
    def status(self):
        """One word for all: building until every Build finished, then failed if any failed."""
        if self.timed_out or self.error is not None or any(b.status not in FINAL_STATUSES for b in self.builds):
            return "building"
        return "failed" if any(b.status == "failed" for b in self.builds) else "completed"


def predict(builds, recent, server_now, start):
    """Give each awaited build its expected finish, from the durations of the ``recent`` builds."""
    duration = expected_duration(recent)
    if duration is None:
        return
    by_sid = dict((b.get("sid"), b) for b in recent)
    for item in builds:
        seconds = age(by_sid.get(item.key), server_now)
        if seconds is not None:
            item.created_at = start - seconds
            item.expected_at = item.created_at + duration
            item.predicted = max(0.0, duration - seconds)


def wait_for_builds(client, service_sid, sids, schedule, timeout, recent=None, prediction=True):
    """Poll the Builds until completed or failed, or ``timeout`` seconds passed.

    With ``prediction``, the service's recent builds (``recent``, newest
    first, when the caller listed them already; else one small listing)
    tell each build's expected finish, for a PredictiveSchedule. While two or
    more builds are pending, one listing reads all their statuses; a build
    it does not reach is polled on its own. The client's clock and sleep
    drive the wait. An API or network error ends the wait (returned as
    ``error``, not raised), with what was known so far.
    """
    builds = [BuildWait(sid) for sid in sids]
    late = []
    listed = {}
    page = [min(MAX_PAGE_SIZE, max(2 * len(sids), HISTORY_PAGE_SIZE))]

    def poll(sid, limit):
        return fetch_status(client, service_sid, sid, limit)

    def poll_many(keys, limit):
        wanted = set(keys)
        found, oldest = {}, 0
        for position, build in enumerate(list_builds(client, service_sid, BuildFilter(), limit=page[0],
                                                     page_size=page[0], deadline=limit)):
            sid = build.get("sid")
            if sid in wanted:
                found[sid] = build.get("status") if build.get("status") in STATUSES else None
                listed[sid] = build
                oldest = position
        if len(found) < len(wanted):
            page[0] = min(MAX_PAGE_SIZE, page[0] * 2)
        else:
            page[0] = min(MAX_PAGE_SIZE, max(HISTORY_PAGE_SIZE, oldest + 1 + LISTING_MARGIN))
        return found

    def on_done(item, limit):
        seen = listed.get(item.key)
        if seen is not None and seen.get("status") == item.status:
            item.build = seen
            return
        # With no time left to fetch the full Build, it is reported without it rather than the wait failed.
        try:
            item.build = fetch_build(client, service_sid, item.key, limit)
        except DeadlineError:
            late.append(item.key)

    error = None
    timed_out = False
    started = client.clock()
    try:
        if prediction:
            if recent is None:
                recent = list_builds(client, service_sid, BuildFilter(), limit=HISTORY_PAGE_SIZE)
            predict(builds, recent, client.server_now(), client.clock())
        timed_out = wait_all(builds, poll, lambda status: status in FINAL_STATUSES, schedule, timeout,
                             client.clock, client.sleep, on_done, poll_many)
    except TwilioError as err:
        error = err
    return WaitOutcome(builds, client.clock() - started, timed_out, error, late)
