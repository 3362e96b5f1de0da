# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A ``.env`` file read as the Twilio serverless toolkit reads it: dotenv 6.2's ``parse``.

The toolkit (twilio-run) reads a project's ``.env`` with dotenv 6.2.0, whose parse
(https://github.com/motdotla/dotenv/blob/v6.2.0/lib/main.js) is reproduced here rule for rule, so
one file means the same variables to both tools:

- the text is split on ``\\n`` only; a line is ``KEY=VALUE`` with a key of ASCII letters, digits, ``_``,
  ``.`` and ``-``, whitespace allowed around the key and after ``=``; any other line (a comment, a blank
  line, ``export KEY=...``) is skipped;
- ``\\n`` (backslash, n) becomes a newline only when the value starts and ends with ``"``;
- then one leading and one trailing quote (``'`` or ``"``, not necessarily a pair) are removed and the value
  trimmed; there are no inline comments (``A=b # c`` is ``b # c``);
- a key given twice keeps its last value.

JavaScript's ``\\s``, ``.`` and ``trim`` differ from Python's (the BOM, U+2028, U+2029), so the character
classes are spelled out. Values never appear in a message: a problem names the file and line only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError

# JavaScript's \s (WhiteSpace and LineTerminator): what its regex \s and String.prototype.trim remove.
JS_SPACE = u"\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
           u"\u2028\u2029\u202f\u205f\u3000\ufeff"
# JavaScript's "." matches anything but a line terminator.
_JS_DOT = u"[^\n\r\u2028\u2029]"
_S = u"[%s]" % re.escape(JS_SPACE)
# dotenv 6.2: /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/ (\w is ASCII in JavaScript; $ is the end of the line).
_LINE = re.compile(u"\\A%s*([A-Za-z0-9_.-]+)%s*=%s*(%s*)?%s*\\Z" % (_S, _S, _S, _JS_DOT, _S))
# JavaScript's $ (no m flag) is the very end; Python's would also match before a final newline.
_OUTER_QUOTE = re.compile(u"\\A['\"]|['\"]\\Z")
# The toolkit drops these from a .env before deploying: they are the deploy's own credentials.
DROPPED_KEYS = ("ACCOUNT_SID", "AUTH_TOKEN")


def parse(text):
    """The variables of a .env text (str), in the order first seen; a later line for a key wins."""
    found = collections.OrderedDict()
    for line in text.split(u"\n"):
        match = _LINE.match(line)
        if match is None:
            continue
        value = match.group(2) or u""
        if value[:1] == u'"' and value[-1:] == u'"':
            value = value.replace(u"\\n", u"\n")
        found[match.group(1)] = _OUTER_QUOTE.sub(u"", value).strip(JS_SPACE)
    return found


def read_env_file(path, option="env_file"):
    """(variables, dropped keys) of the file at ``path``; OptionError naming the file when it cannot be read.

    A file that is not UTF-8 is refused (the toolkit would read the bad bytes as U+FFFD and upload those):
    the message names the byte offset, never the text around it.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except (IOError, OSError) as err:
        raise OptionError(option, "cannot read %s: %s" % (path, err.strerror or err))
    except ValueError:
        # open() refuses a path with a NUL byte before it reaches the file system.
        raise OptionError(option, "%r is not a usable file path (it contains a NUL byte)" % (path,))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise OptionError(option, "%s is not UTF-8 text (byte %d); save it as UTF-8" % (path, err.start))
    variables = parse(text)
    dropped = [key for key in DROPPED_KEYS if variables.pop(key, None) is not None]
    return variables, dropped
