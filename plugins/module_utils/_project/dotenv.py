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

No line is dropped without a word: every line that is not taken (other than a blank line or a comment), and
every line a later line of the same key replaces, is noted with its number and key (the text before ``=``,
never what follows it; a line without ``=`` could be a value on its own, so it is named by its number only).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown, shown_path

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
_KEY = re.compile(u"\\A[A-Za-z0-9_.-]+\\Z")
_EXPORT = re.compile(u"\\Aexport%s+" % _S)


def parse(text, notes=None):
    """The variables of a .env text (str), in the order first seen; a later line for a key wins.

    With ``notes`` (a list), appends (line number, key or None, why) for each line not taken and each line a
    later one replaces, in line order; never a value."""
    found = collections.OrderedDict()
    lines = {}
    # (line number, quote) of a value opened with a quote it does not close: the lines after it are likely its
    # rest, so they are named by number only (their text is the value's).
    opened = None
    for number, line in enumerate(text.split(u"\n"), 1):
        match = _LINE.match(line)
        continued = opened is not None and bool(line.strip(JS_SPACE))
        if continued:
            if notes is not None:
                notes.append((number, None, "%s, but it looks like the rest of the quoted value of line %d; a value "
                                            "cannot go on over several lines (write \\n inside double quotes)"
                              % ("is skipped" if match is None else "is read as a variable, as the toolkit reads it",
                                 opened[0])))
            if line.strip(JS_SPACE).endswith(opened[1]):
                opened = None
        if match is None:
            if notes is not None and not continued:
                _note_skipped(number, line, notes)
            continue
        value = match.group(2) or u""
        key = match.group(1)
        if not continued:
            opened = _unclosed(number, value)
            if opened and notes is not None:
                notes.append((number, key, "opens a quote it does not close: only the rest of this line is the value"))
        if value[:1] == u'"' and value[-1:] == u'"':
            value = value.replace(u"\\n", u"\n")
        if notes is not None and key in lines:
            notes.append((lines[key], key, "is replaced by line %d, which sets the same key" % number))
        lines[key] = number
        found[key] = _OUTER_QUOTE.sub(u"", value).strip(JS_SPACE)
    if notes is not None:
        notes.sort(key=lambda note: note[0])
    return found


def _unclosed(number, value):
    """(number, quote) when ``value`` opens a double quote it does not close, else None. Only a double quote:
    the toolkit's own examples write a long value in double quotes, and a lone quote is an empty value."""
    bare = value.strip(JS_SPACE)
    if len(bare) > 1 and bare[:1] == u'"' and bare[-1:] != u'"':
        return number, u'"'
    return None


def _note_skipped(number, line, notes):
    """Why dotenv skips ``line``, noted without its value; nothing for a blank line or a comment."""
    text = line.strip(JS_SPACE)
    if not text or text.startswith(u"#"):
        return
    key, equals, dummy = text.partition(u"=")
    key = key.strip(JS_SPACE)
    if not equals:
        notes.append((number, None, "is skipped: it has no '=' (a line is KEY=VALUE; a value cannot go on over "
                                    "several lines)"))
    elif not key:
        notes.append((number, None, "is skipped: it has no key before '='"))
    elif _EXPORT.match(key) and _KEY.match(_EXPORT.sub(u"", key)):
        notes.append((number, key, "is skipped: the toolkit's dotenv does not read 'export'; write %s=... instead"
                      % _EXPORT.sub(u"", key)))
    elif not _KEY.match(key):
        notes.append((number, key, "is skipped: a key is ASCII letters, digits, '_', '.' and '-' only"))
    else:
        notes.append((number, key, "is skipped: its value holds a carriage return, U+2028 or U+2029, where the "
                                   "toolkit's dotenv ends the line"))


def read_env_file(path, option="env_file", warnings=None):
    """(variables, dropped keys) of the file at ``path``; OptionError naming the file when it cannot be read.

    A file that is not UTF-8 is refused (the toolkit would read the bad bytes as U+FFFD and upload those):
    the message names the byte offset, never the text around it. With ``warnings`` (a list), appends one
    warning per line not taken (see ``parse``) and per key dropped, naming the option, file, line and key.
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
    notes = [] if warnings is not None else None
    variables = parse(text, notes)
    dropped = [key for key in DROPPED_KEYS if variables.pop(key, None) is not None]
    if warnings is not None:
        where = "%s %s" % (option, shown_path(path))
        for number, key, why in notes:
            warnings.append("%s line %d%s %s" % (where, number, " (key %s)" % shown(key) if key else "", why))
        warnings.extend("%s: %s is not set: the toolkit drops it too (it is the deploy's own credential)"
                        % (where, key) for key in dropped)
    return variables, dropped
