# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ISO 8601 date-times as users write them and as Twilio sends them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown

# datetime.fromisoformat() takes no trailing "Z" before Python 3.11, so parse by hand.
_ISO = re.compile(
    r"\A(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\Z")


def parse_datetime(value):
    """An aware UTC datetime from an ISO 8601 string, or None if it is not one.

    A value without a zone is taken as UTC, as Twilio's dates are; a date
    alone means its midnight.
    """
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = datetime.timedelta(0)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if abs(offset) >= datetime.timedelta(hours=24):
            return None
    try:
        naive = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                  int(second or 0), micro)
    except ValueError:
        return None
    return (naive - offset).replace(tzinfo=datetime.timezone.utc)


def check_datetime(value, option):
    parsed = parse_datetime(value)
    if parsed is None:
        raise OptionError(option, "%s is not an ISO 8601 date-time; expected a value such as 2026-11-24T08:00:00Z, "
                                  "2026-11-24T09:00:00+01:00 or 2026-11-24 (a value without a zone is UTC)"
                          % shown(value))
    return parsed
