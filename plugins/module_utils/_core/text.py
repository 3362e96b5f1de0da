# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How values from users and servers are quoted in messages: cut to a readable length."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def cut(text, limit):
    """``text`` whole, or its first ``limit`` characters and '...'."""
    return text if len(text) <= limit else text[:limit] + "..."


def excerpt(text, limit=100):
    """A server's text on one line: whitespace collapsed, then cut."""
    return cut(re.sub(r"\s+", " ", text or "").strip(), limit)


def shown_path(path, limit=80):
    """A file path as a message shows it: quoted, and when long cut at the start, so the file's name stays."""
    path = path if isinstance(path, str) else repr(path)
    return repr(path if len(path) <= limit else "..." + path[-(limit - 3):])


def shown(value, limit=40):
    """A user's bad value as a message shows it: quoted, and cut when long."""
    return repr(cut(value if isinstance(value, str) else repr(value), limit))
