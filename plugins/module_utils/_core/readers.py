# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a record Twilio sent: what a value from the server means, decided once.

Twilio's API description marks every property nullable, and the sources disagree on case: every generated
Build example says ``"visibility": "PUBLIC"`` where the Version resources and the Twilio toolkit say
``public``; Log ``level`` is ``warn``, ``warning`` or ``WARN`` depending on who answered
(tests/fixtures/twilio/SOURCES.md). So, as twilio-java reads enums and as Postel would: a missing key, a
null and a record that is not an object all read as None; a token (an enum value) is compared without
regard to case and read in lower case; a list keeps only its objects; a SID is read only when it is of the
kind asked for; fields nobody reads are ignored. Nothing here raises on what a server sent, and nothing
changes the record: a result that shows a record shows it as Twilio sent it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.dates import parse_datetime
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_sid

# Twilio's enum of a Function or Asset Version's visibility, in lower case (the project folder's naming rules
# give the same three).
VISIBILITIES = ("public", "protected", "private")


def value(record, name):
    """``record[name]``; None when it is missing or null, or when ``record`` is not an object."""
    return record.get(name) if isinstance(record, dict) else None


def text(record, name):
    """A string field; None when missing, null or not a string."""
    found = value(record, name)
    return found if isinstance(found, str) else None


def token(record, name, known=None):
    """An enum value (a status, a visibility, a level) in lower case, read without regard to case or
    surrounding spaces; None when missing, not a string, or (with ``known``, lower-case values) not one of
    ``known``."""
    found = text(record, name)
    if found is None:
        return None
    found = found.strip().lower()
    if known is not None and found not in known:
        return None
    return found


def records(record, name):
    """A list of objects (a Build's ``function_versions``): only the items that are objects; [] when the
    field is missing, null or not a list."""
    found = value(record, name)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def sid(record, name, prefix):
    """A SID of the ``prefix`` kind (``ZB`` for a Build); None when missing, null or of another kind, so it
    can never reach a request path or a comparison as something it is not."""
    found = value(record, name)
    return found if is_sid(found, prefix) else None


def date(record, name):
    """A date-time field as an aware UTC datetime; None when missing, null or not ISO 8601."""
    return parse_datetime(value(record, name))


def flag(record, name):
    """A boolean field; a ``true``/``false`` string in any case counts; None for anything else."""
    found = value(record, name)
    if isinstance(found, bool):
        return found
    if isinstance(found, str) and found.strip().lower() in ("true", "false"):
        return found.strip().lower() == "true"
    return None
