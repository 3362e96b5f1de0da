# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The waiting options of every module that waits for Builds: one table, one check.

Documented once, in the ``twilio_community.serverless.wait`` doc fragment; a
module merges ``WAIT_ARGUMENT_SPEC`` into its own and hands
``wait_options_from_params(module.params)`` to ``wait_for_builds``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError

# The defaults, chosen from `make bench` (see the doc fragment and docs/performance.md).
DEFAULT_TIMEOUT = 600.0
DEFAULT_POLL_INTERVAL = 1.0
DEFAULT_MAX_POLL_INTERVAL = 8.0

WAIT_ARGUMENT_SPEC = {
    "timeout": {"type": "float", "default": DEFAULT_TIMEOUT},
    "poll_interval": {"type": "float", "default": DEFAULT_POLL_INTERVAL},
    "max_poll_interval": {"type": "float", "default": DEFAULT_MAX_POLL_INTERVAL},
    "prediction": {"type": "bool", "default": True},
    "fail_on_failed": {"type": "bool", "default": True},
}

WaitOptions = collections.namedtuple("WaitOptions", "timeout poll_interval max_poll_interval prediction fail_on_failed")


def _param(params, name):
    """The option's value; its default when a caller (a test, another module) left it out."""
    value = params.get(name)
    return WAIT_ARGUMENT_SPEC[name]["default"] if value is None else value


def wait_options_from_params(params):
    """Check the waiting options and return them as WaitOptions; raise OptionError naming the option."""
    timeout = check_range("timeout", _param(params, "timeout"), 0, 86400, above=True)
    poll_interval = check_range("poll_interval", _param(params, "poll_interval"), 0, 3600, above=True)
    max_poll_interval = check_range("max_poll_interval", _param(params, "max_poll_interval"), 0, 3600, above=True)
    if max_poll_interval < poll_interval:
        raise OptionError("max_poll_interval", "%s is below poll_interval (%s); expected at least poll_interval"
                          % (max_poll_interval, poll_interval))
    return WaitOptions(float(timeout), float(poll_interval), float(max_poll_interval),
                       bool(_param(params, "prediction")), bool(_param(params, "fail_on_failed")))
