# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wait for Builds to finish: the history, the schedule and the prediction, the waiter applied to Build Status
and listings, then each finished Build once. A module passes its WaitOptions and gets a WaitOutcome."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    build_status,
    fetch_build,
    fetch_status,
    FINAL_STATUSES,
    list_builds,
    MAX_PAGE_SIZE,
    newest_build_sid,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    DeadlineError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.prediction import (
    age,
    expected_duration,
    HISTORY_PAGE_SIZE,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.waiter import (
    PredictiveSchedule,
    PriorSchedule,
    Schedule,
    wait_all,
    Waited,
)

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

    def __init__(self, service_sid, builds, elapsed, timed_out, error=None, late=()):
        self.service_sid = service_sid
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
        """One word for all: building until every Build finished, then failed if any failed; None when the wait
        ended before it knew which Builds to poll."""
        if not self.builds:
            return None
        if self.timed_out or self.error is not None or any(b.status not in FINAL_STATUSES for b in self.builds):
            return "building"
        return "failed" if any(b.status == "failed" for b in self.builds) else "completed"

    def result(self):
        """The wait's result keys: status, elapsed, polls, predicted_seconds and builds."""
        return dict(status=self.status, elapsed=round(self.elapsed, 3), polls=self.polls,
                    predicted_seconds=self.predicted_seconds, builds=[b.summary() for b in self.builds])

    def check(self, fail_on_failed, warn, one_build=False):
        """The wait's verdict, the one place where a wait becomes a failure: raise what ended the wait (the API
        error, the deadline, a failed Build unless not ``fail_on_failed``); ``warn(msg)`` the rest.

        ``one_build``: the caller's result shows one Build under ``build`` (serverless_build), so the messages
        name it alone and point there; otherwise they count the Builds and point at ``builds[].build``."""
        if self.late:
            warn("Build %s finished at the deadline; its details were not fetched" % ", ".join(self.late))
        if self.error is not None:
            raise self.error
        if self.timed_out:
            waiting = [b for b in self.builds if b.status not in FINAL_STATUSES]
            if one_build:
                raise TaskFailed("Timed out after %.1f s waiting for build %s of service %s (last status %s, %d "
                                 "polls)" % (self.elapsed, ", ".join(b.sid for b in waiting), self.service_sid,
                                             ", ".join(b.status or "unknown" for b in waiting), self.polls))
            raise TaskFailed("Timed out after %.1f s waiting for %d of %d builds of service %s: %s" % (
                self.elapsed, len(waiting), len(self.builds), self.service_sid,
                ", ".join("%s (last status %s, %d polls)" % (b.sid, b.status or "unknown", b.polls) for b in waiting)))
        failed = [b for b in self.builds if b.status == "failed"]
        if failed:
            runtime = readers.text(failed[0].build, "runtime")
            msg = "Build %s of service %s failed after %.1f s%s; see %s for its runtime, dependencies and versions" % (
                ", ".join(b.sid for b in failed), self.service_sid, self.elapsed,
                " (runtime %s)" % runtime if len(failed) == 1 and runtime else "",
                "build" if one_build else "builds[].build")
            if fail_on_failed:
                raise TaskFailed(msg)
            warn(msg)


def predict(builds, recent, server_now, start):
    """Each awaited build's expected finish from the durations of the ``recent`` builds, as the ``expected``
    of a PredictiveSchedule (key: (created_at, expected_at), clock values); also sets each build's
    ``predicted`` seconds from ``start``."""
    duration = expected_duration(recent)
    expected = {}
    if duration is None:
        return expected
    by_sid = dict((readers.sid(b, "sid", "ZB"), b) for b in recent)
    for item in builds:
        seconds = age(by_sid.get(item.key), server_now)
        if seconds is not None:
            created_at = start - seconds
            expected[item.key] = (created_at, created_at + duration)
            item.predicted = max(0.0, duration - seconds)
    return expected


def created(builds, recent, server_now, start):
    """Each awaited build's creation as a clock value (key: its SID), for a PriorSchedule: from its age by the
    server's clock when the ``recent`` listing has it and Twilio sent a Date header; left out otherwise."""
    by_sid = dict((readers.sid(b, "sid", "ZB"), b) for b in recent or [])
    found = {}
    for item in builds:
        seconds = age(by_sid.get(item.key), server_now)
        if seconds is not None:
            found[item.key] = start - seconds
    return found


def wait_for_builds(client, service_sid, options, sids=None):
    """Poll the Builds ``sids`` (the Service's newest Build when None) until completed or failed, or until
    ``options.timeout`` seconds passed; ``options`` is a WaitOptions (see _wait_options.py).

    With ``options.prediction``, one small listing of the service's recent
    builds (the same that finds the newest) tells each build's expected
    finish, for a PredictiveSchedule; without a usable history, the
    PriorSchedule (typical build times, by each build's age); without
    prediction, the plain Schedule. While two or more builds are pending,
    one listing reads all their statuses; a build it does not reach is
    polled on its own. The client's clock, sleep and randomness drive the wait. An API
    or network error ends the wait (returned as ``error``, not raised), with
    what was known so far; ``WaitOutcome.check`` raises it.
    """
    builds = []
    late = []
    listed = {}
    page = [HISTORY_PAGE_SIZE]

    def poll(sid, deadline):
        return fetch_status(client, service_sid, sid, deadline)

    def poll_many(keys, deadline):
        wanted = set(keys)
        found, oldest = {}, 0
        for position, build in enumerate(list_builds(client, service_sid, BuildFilter(), limit=page[0],
                                                     page_size=page[0], deadline=deadline)):
            sid = readers.sid(build, "sid", "ZB")
            if sid in wanted:
                found[sid] = build_status(build)
                listed[sid] = build
                oldest = position
        if len(found) < len(wanted):
            page[0] = min(MAX_PAGE_SIZE, page[0] * 2)
        else:
            page[0] = min(MAX_PAGE_SIZE, max(HISTORY_PAGE_SIZE, oldest + 1 + LISTING_MARGIN))
        return found

    def on_done(item, deadline):
        seen = listed.get(item.key)
        if seen is not None and build_status(seen) == item.status:
            item.build = seen
            return
        # With no time left to fetch the full Build, it is reported without it rather than the wait failed.
        try:
            item.build = fetch_build(client, service_sid, item.key, deadline)
        except DeadlineError:
            late.append(item.key)

    error = None
    timed_out = False
    started = client.clock()
    try:
        recent = None
        if sids is None or options.prediction:
            # The newest build, and with prediction the history too, from one small listing.
            recent = list_builds(client, service_sid, BuildFilter(),
                                 limit=HISTORY_PAGE_SIZE if options.prediction else 1)
        if sids is None:
            sids = [newest_build_sid(recent, service_sid)]
        builds = [BuildWait(sid) for sid in sids]
        page[0] = min(MAX_PAGE_SIZE, max(2 * len(sids), HISTORY_PAGE_SIZE))
        server_now, now = client.server_now(), client.clock()
        expected = predict(builds, recent, server_now, now) if options.prediction else {}
        # The client's randomness too, so a test that injects it gets exact times.
        if expected:
            schedule = PredictiveSchedule(options.poll_interval, options.max_poll_interval, expected,
                                          rand=client.rand)
        elif options.prediction:
            # No history to predict from (a new Service): the prior of typical build times instead.
            schedule = PriorSchedule(options.poll_interval, options.max_poll_interval,
                                     created(builds, recent, server_now, now), rand=client.rand)
        else:
            schedule = Schedule(options.poll_interval, options.max_poll_interval, client.rand)
        timed_out = wait_all(builds, poll, lambda status: status in FINAL_STATUSES, schedule, options.timeout,
                             client.clock, client.sleep, on_done, poll_many)
    except TwilioError as err:
        error = err
    return WaitOutcome(service_sid, builds, client.clock() - started, timed_out, error, late)
