# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate SIDs and service names before they reach a URL path."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown

# Every kind of SID the collection names or checks, in one table: prefix, article, name. A new kind is one row
# here; KINDS, ARTICLES and the SID pattern are read from it. (tests/unit/plugins/module_utils/_core/test_sids.py
# holds its prefixes to those of Twilio's OpenAPI description in tests/simulator/spec/.)
SID_KINDS = (
    ("AC", "an", "Account SID"),
    ("SK", "an", "API Key SID"),
    ("ZS", "a", "Service SID"),
    ("ZB", "a", "Build SID"),
    ("ZE", "an", "Environment SID"),
    ("ZD", "a", "Deployment SID"),
    ("ZH", "a", "Function or Asset SID"),
    ("ZN", "a", "Function or Asset Version SID"),
    ("ZV", "a", "Variable SID"),
)
KINDS = dict((prefix, name) for prefix, dummy, name in SID_KINDS)
ARTICLES = dict((prefix, article) for prefix, article, dummy in SID_KINDS)
_SID = re.compile(r"\A(%s)[0-9a-fA-F]{32}\Z" % "|".join(row[0] for row in SID_KINDS))
_HEXISH = re.compile(r"\A[0-9a-fA-F]*\Z")
# Twilio uses a Service's unique_name in its domain and accepts it in place of
# the SID in URL paths; 50 characters is Twilio's documented maximum. Only
# characters that cannot change a URL path are accepted.
_UNIQUE_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,49}\Z")


def _expected(prefix):
    return "expected %s %s: '%s' followed by 32 hexadecimal digits (34 characters)" % (
        ARTICLES[prefix], KINDS[prefix], prefix)


def check_sid(value, prefix, option):
    """Return ``value`` if it is a SID of the ``prefix`` kind, else raise OptionError."""
    if not isinstance(value, str) or not value:
        raise OptionError(option, "an empty value is not %s %s; %s"
                          % (ARTICLES[prefix], KINDS[prefix], _expected(prefix)))
    match = _SID.match(value)
    if match and match.group(1) == prefix:
        return value
    if match:
        other = match.group(1)
        raise OptionError(option, "%s is %s %s, not %s %s; %s" % (
            shown(value), ARTICLES[other], KINDS[other], ARTICLES[prefix], KINDS[prefix], _expected(prefix)))
    raise OptionError(option, "%s is not a valid %s; %s" % (shown(value), KINDS[prefix], _expected(prefix)))


def check_service(value, option="service"):
    """Return a Service SID or unique name that is safe in a URL path."""
    if not isinstance(value, str) or not value:
        raise OptionError(option, "an empty value is not a Service; expected a Service SID (ZS...) or unique name")
    match = _SID.match(value)
    if match:
        return check_sid(value, "ZS", option)
    if value[:2] == "ZS" and _HEXISH.match(value[2:]):
        # Looks like a mistyped SID: reporting it beats a 404 for a "unique name".
        raise OptionError(option, "%s is not a valid Service SID; %s" % (shown(value), _expected("ZS")))
    if not _UNIQUE_NAME.match(value) or ".." in value:
        raise OptionError(option, "%s is neither a Service SID (ZS followed by 32 hexadecimal digits) nor a valid "
                                  "unique name (1 to 50 letters, digits, '-', '_' or '.', starting with a letter "
                                  "or digit, no '..', no '/', '?', '#' or spaces)" % shown(value))
    return value


def is_sid(value, prefix):
    return isinstance(value, str) and bool(_SID.match(value)) and value[:2] == prefix


def is_service_name(value):
    """True for a unique name that check_service accepts (safe in a URL path)."""
    return isinstance(value, str) and bool(_UNIQUE_NAME.match(value)) and ".." not in value
