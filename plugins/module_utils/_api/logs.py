# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Logs of an Environment: how a Log record is read.

No module lists logs yet; this is the reader one must use. Twilio's sources disagree on ``level``: ``warn`` in the
examples until 2025, ``warning`` since (a plain string, no enum), ``INFO``/``WARN``/``ERROR`` in clients of the
live API (tests/fixtures/twilio/SOURCES.md). It is read in lower case and otherwise as sent, so a filter on it
must take both ``warn`` and ``warning``. The fixtures test holds it to every Log body those sources show.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers


def read_log(record):
    """A Log record: ``level`` (lower case), ``message``, ``date_created`` (a datetime), and the ``build_sid``,
    ``deployment_sid`` and ``function_sid`` it names (each None when missing or of another kind)."""
    return dict(level=readers.token(record, "level"), message=readers.text(record, "message"),
                date_created=readers.date(record, "date_created"), build_sid=readers.sid(record, "build_sid", "ZB"),
                deployment_sid=readers.sid(record, "deployment_sid", "ZD"),
                function_sid=readers.sid(record, "function_sid", "ZH"))
