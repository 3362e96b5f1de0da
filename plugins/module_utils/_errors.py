# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two ways things go wrong: bad input (before any request) and the API or network."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class OptionError(ValueError):
    """A module option has a bad value; raised before any request is sent."""

    def __init__(self, option, message):
        super(OptionError, self).__init__("%s: %s" % (option, message))
        self.option = option


class TwilioError(Exception):
    """Anything the API or the network did wrong, in one shape for fail_json.

    ``msg`` is one line a person can act on; the other fields are what Twilio
    said (status, its error ``code``, ``more_info`` link, the request id to
    quote to Twilio support).
    """

    def __init__(self, msg, status=None, code=None, more_info=None, request_id=None, retryable=False):
        super(TwilioError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.code = code
        self.more_info = more_info
        self.request_id = request_id
        self.retryable = retryable

    def details(self):
        return {
            "status": self.status,
            "code": self.code,
            "more_info": self.more_info,
            "request_id": self.request_id,
        }
