# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The X-Twilio-Signature of a request, as Twilio signs its webhooks and as a protected Function checks it.

https://www.twilio.com/docs/usage/security#validating-requests: the full URL (query included), then each
form parameter's name and value, sorted by name, concatenated with no separator; HMAC-SHA1 of that with the
account's auth token as the key; base64. Pure: the token is used here and nowhere else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import hmac

HEADER = "X-Twilio-Signature"


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, bool):
        # As a form encoder sends it (requests sends True as "True").
        return str(value)
    return value if isinstance(value, str) else str(value)


def signed_text(url, params=None):
    """What is signed: ``url`` and the form ``params`` (a mapping or (name, value) pairs) sorted by name; a
    name given several values contributes each, in the order of its values (as twilio-node sorts them)."""
    pairs = list(params.items()) if isinstance(params, dict) else list(params or ())
    pairs = [(_text(name), _text(value)) for name, value in pairs]
    pairs.sort(key=lambda pair: pair[0])
    return _text(url) + "".join(name + value for name, value in pairs)


def signature(auth_token, url, params=None):
    """The base64 HMAC-SHA1 of ``signed_text(url, params)`` keyed by ``auth_token``."""
    digest = hmac.new(_text(auth_token).encode("utf-8"), signed_text(url, params).encode("utf-8"), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode("ascii")
