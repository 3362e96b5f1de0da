# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ways things go wrong: bad input (before any request), the API or network, and the deadline."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class OptionError(ValueError):
    """A module option has a bad value; raised before any request is sent."""

    def __init__(self, option, message):
        super(OptionError, self).__init__("%s: %s" % (option, message))
        self.option = option


class TwilioError(Exception):
    """Anything the API or the network did wrong, or data from it that cannot be used.

    ``msg`` is one line a person can act on; the other fields are what Twilio
    said (HTTP status, its error ``code``, the ``more_info`` link, the request
    id to quote to Twilio support), returned under the result's ``error`` key.
    """

    def __init__(self, msg, http_status=None, code=None, more_info=None, request_id=None, retryable=False,
                 retry_after=None, reason=None, maybe_committed=False):
        super(TwilioError, self).__init__(msg)
        self.msg = msg
        self.http_status = http_status
        self.code = code
        self.more_info = more_info
        self.request_id = request_id
        self.retryable = retryable
        self.retry_after = retry_after
        # For a failure with no HTTP status: "timeout" or "connection error".
        self.reason = reason
        # A write that failed this way may still have taken effect on Twilio's side.
        self.maybe_committed = maybe_committed

    def amend(self, note):
        """Add a note to the message, keeping the details."""
        self.msg = "%s (%s)" % (self.msg, note)
        self.args = (self.msg,)
        return self

    def error(self):
        """The details for the result's ``error`` key."""
        return {
            "http_status": self.http_status,
            "code": self.code,
            "more_info": self.more_info,
            "request_id": self.request_id,
        }


class DeadlineError(TwilioError):
    """The caller's deadline came before an answer: the wait timed out, not the request."""


class TaskFailed(Exception):
    """The module's work ended in a failure the user asked to hear about (a failed Build, a timeout)."""

    def __init__(self, msg):
        super(TaskFailed, self).__init__(msg)
        self.msg = msg
