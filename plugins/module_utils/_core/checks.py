# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks of numeric option values: one message style for every module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError


def check_range(option, value, low, high=None, unit="seconds", above=False):
    """Return ``value`` if ``low <= value <= high`` (``low < value`` when ``above``), else raise OptionError.

    One message style for every numeric option of every module.
    """
    # NaN compares false with everything, so it would pass both bounds; infinity has no use as a duration.
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise OptionError(option, "%s is not a number; expected %s as a finite number" % (value, unit))
    too_low = value is None or (value <= low if above else value < low)
    if too_low or (high is not None and value > high):
        bounds = ("greater than %s" if above else "at least %s") % low
        if high is not None:
            bounds += " and at most %s" % high
        raise OptionError(option, "%s is out of range; expected %s %s" % (value, unit, bounds))
    return value
