# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wait for Builds to finish: the waiter applied to Build Status, then the finished Build fetched once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._builds import (
    FINAL_STATUSES,
    fetch_build,
    fetch_status,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import DeadlineError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._waiter import Waited, wait_all


class BuildWait(Waited):
    """One awaited Build: ``key`` is its SID; ``build`` the full Build once it finished and was fetched."""

    def __init__(self, sid):
        super(BuildWait, self).__init__(sid)
        self.build = {}

    @property
    def sid(self):
        return self.key

    def summary(self):
        return dict(sid=self.key, status=self.status, elapsed=round(self.elapsed or 0.0, 3), polls=self.polls,
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
    def status(self):
        """One word for all: building until every Build finished, then failed if any failed."""
        if self.timed_out or self.error is not None or any(b.status not in FINAL_STATUSES for b in self.builds):
            return "building"
        return "failed" if any(b.status == "failed" for b in self.builds) else "completed"


def wait_for_builds(client, service_sid, sids, schedule, timeout):
    """Poll each Build's Status until completed or failed, or ``timeout`` seconds passed.

    The client's clock and sleep drive the wait, so the wait's deadline and
    the client's deadline arithmetic are one. An API or network error ends
    the wait (returned as ``error``, not raised), with what was known so far.
    """
    builds = [BuildWait(sid) for sid in sids]
    late = []

    def poll(sid, deadline):
        return fetch_status(client, service_sid, sid, deadline)

    def on_done(item, deadline):
        # The outcome is known already; with no time left to fetch the full
        # Build it is reported without it rather than the wait failed.
        try:
            item.build = fetch_build(client, service_sid, item.key, deadline)
        except DeadlineError:
            late.append(item.key)

    started = client.clock()
    error = None
    timed_out = False
    try:
        timed_out = wait_all(builds, poll, lambda status: status in FINAL_STATUSES, schedule, timeout,
                             client.clock, client.sleep, on_done)
    except TwilioError as err:
        error = err
    return WaitOutcome(builds, client.clock() - started, timed_out, error, late)
