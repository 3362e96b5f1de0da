# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""When to retry a GET, and how long to wait first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import time

# 429: Twilio's rate limit (error 20429), which it asks clients to retry with
# backoff. 500/502/503/504: transient faults of Twilio or a proxy in front of
# it. Reads are idempotent, so retrying them is safe. Other 4xx are final.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
# A Retry-After beyond this is treated as this: a server asking for minutes
# should not stall a pipeline silently; the retry bound still applies.
RETRY_AFTER_CAP = 60.0


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed is None or parsed.tzinfo is None:
            return None
        seconds = parsed.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def backoff_delay(attempt, rand=random.random, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Exponential backoff with equal jitter for retry ``attempt`` (0 for the first retry).

    Half the delay is fixed so a retry never comes at once; the other half is
    random so many clients rate-limited together do not retry in step.
    """
    delay = min(cap, base * (2 ** attempt))
    return delay / 2.0 + rand() * delay / 2.0


def retry_delay(attempt, retry_after=None, rand=random.random, now=None):
    """The wait before retry ``attempt``: the server's Retry-After if it sent one, else backoff."""
    seconds = parse_retry_after(retry_after, now)
    if seconds is not None:
        return seconds
    return backoff_delay(attempt, rand)
