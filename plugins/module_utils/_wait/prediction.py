# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""When a build should finish, from how long the service's recent builds took.

A build's duration is ``date_updated - date_created`` of a finished build:
both are the server's timestamps, so this machine's clock plays no part.
The awaited build's age is the server's current time (its HTTP Date header)
minus its ``date_created``; without a Date header there is no age, and no
prediction. Both have a resolution of one second, which the dense polling
window around the expected finish absorbs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import read_build

# How many recent builds to read for the history (one small page), how many finished ones it takes to
# predict, and how many of the newest of those count.
HISTORY_PAGE_SIZE = 20
MIN_HISTORY = 3
MAX_HISTORY = 10


def duration(build):
    """Seconds a completed build took, by the server's timestamps; None if not known."""
    read = read_build(build)
    if read["status"] != "completed":
        return None
    created, updated = read["date_created"], read["date_updated"]
    if created is None or updated is None or updated < created:
        return None
    return (updated - created).total_seconds()


def expected_duration(builds):
    """The median duration of the newest completed builds, or None with fewer than MIN_HISTORY of them."""
    durations = [d for d in (duration(b) for b in builds) if d is not None][:MAX_HISTORY]
    if len(durations) < MIN_HISTORY:
        return None
    durations.sort()
    middle = len(durations) // 2
    return durations[middle] if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2.0


def age(build, server_now):
    """Seconds since the build was created, by the server's clock; None if either is unknown."""
    created = read_build(build)["date_created"] if build else None
    if created is None or server_now is None:
        return None
    return max(0.0, server_now - created.timestamp())
