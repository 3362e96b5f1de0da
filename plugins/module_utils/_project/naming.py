# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A file's Twilio path and visibility, exactly as the Twilio serverless toolkit names it.

A port of ``getPathAndAccessFromFileInfo`` (twilio-labs/serverless-toolkit
``packages/serverless-api/src/utils/fs.ts``, @twilio-labs/serverless-api 5.7.0), with Node's
``path.extname``, ``basename``, ``dirname`` and ``join`` as Node computes them, so that a name maps to the path
the toolkit deploys it at, quirks included:

- the visibility is ``protected`` when the relative path (folders included) contains ``.protected<ext>``,
  else ``private`` for ``.private<ext>``, else ``public``; ``<ext>`` is the file's extension, empty for
  ``README`` or ``.gitkeep``, so a folder ``admin.protected/`` makes its extension-less files protected;
- the first ``.public``, ``.protected`` or ``.private`` (the visibility's) is removed from the file's name, so
  ``foo.public.js`` is ``/foo``, and ``a.protected.b.protected.js`` is ``/a.b.protected``;
- functions lose ``.js``, assets keep their extension; whitespace (JavaScript's ``\\s``) becomes ``-``.

``tests/unit/plugins/module_utils/_project/test_naming.py`` holds a table of names and paths; ``make
toolkit-test`` (tests/toolkit/test_naming_rules.py) runs the toolkit's own function in Node on it and on many
generated names, and requires this port to agree.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

# JavaScript's \s, which is not Python's (\x1c-\x1f and \x85 are whitespace in Python only, \ufeff in JS only).
_JS_WHITESPACE = re.compile(u"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")
FUNCTION_EXTENSION = ".js"


def node_extname(path):
    """Node's ``path.posix.extname``: ``.gitkeep`` has none, ``a.`` has ``.``, ``..js`` has ``.js``."""
    start_dot, start_part, end, matched_slash, pre_dot_state = -1, 0, -1, True, 0
    for i in range(len(path) - 1, -1, -1):
        char = path[i]
        if char == "/":
            if not matched_slash:
                start_part = i + 1
                break
            continue
        if end == -1:
            matched_slash = False
            end = i + 1
        if char == ".":
            if start_dot == -1:
                start_dot = i
            elif pre_dot_state != 1:
                pre_dot_state = 1
        elif start_dot != -1:
            pre_dot_state = -1
    if (start_dot == -1 or end == -1 or pre_dot_state == 0
            or (pre_dot_state == 1 and start_dot == end - 1 and start_dot == start_part + 1)):
        return ""
    return path[start_dot:end]


def _basename(path, suffix):
    name = path.rstrip("/").rpartition("/")[2]
    if suffix and name != suffix and name.endswith(suffix):
        return name[:-len(suffix)]
    return name


def _join(*parts):
    """Node's ``path.posix.join`` for relative parts: empty parts dropped, then normalised (``.`` if nothing)."""
    joined = "/".join(part for part in parts if part)
    return posixpath.normpath(joined) if joined else "."


def toolkit_path(relative, kind):
    """(path, visibility) of a file at ``relative`` (``/``-separated) in the functions or assets folder."""
    ext = node_extname(relative)
    folder = posixpath.dirname(relative) or "."
    base = _basename(relative, ext)
    if ".protected" + ext in relative:
        visibility = "protected"
    elif ".private" + ext in relative:
        visibility = "private"
    else:
        visibility = "public"
    base = base.replace("." + visibility, "", 1)
    path = "/" + _join(folder, base)
    if not (kind == "function" and ext == FUNCTION_EXTENSION):
        path += ext
    return _JS_WHITESPACE.sub("-", path), visibility


def is_function_file(relative):
    """Whether the toolkit deploys this file of the functions folder (its extension, as Node reads it, is .js)."""
    return node_extname(relative) == FUNCTION_EXTENSION


# What the toolkit would upload but must never be published, or cannot be: a name -> why it is kept out.
# The toolkit itself skips only .DS_Store (getDirContent in fs.ts), silently, and so do we.
SILENTLY_KEPT_OUT = frozenset((".DS_Store",))
_KEPT_OUT = (
    # twilio-run reads .env as the deployed environment's variables (config/utils/env.ts), and
    # create-twilio-function writes the account's credentials into it (create-files.js): secrets.
    (re.compile(r"\A\.env(\..*)?\Z"), "a .env file holds secrets"),
    # The toolkit's state (service SIDs per account), listed in the .gitignore its projects start with
    # (create-gitignore.js).
    (re.compile(r"\A\.twiliodeployinfo\Z"), "the toolkit's deploy state"),
    # Version control: the whole history, credentials in remotes included.
    (re.compile(r"\A\.git\Z"), "git's repository data"),
    # An empty placeholder for git; Twilio refused it from the toolkit (twilio-labs/plugin-serverless#33).
    (re.compile(r"\A\.gitkeep\Z"), "a git placeholder, which Twilio refuses"),
)


def kept_out(name):
    """Why the file or folder ``name`` is not uploaded although the toolkit would upload it, or None."""
    for pattern, reason in _KEPT_OUT:
        if pattern.match(name):
            return reason
    return None
