# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""JSON5 (https://spec.json5.org), the format of ``.twilioserverlessrc``, read with no library on the host.

The toolkit reads its configuration file with the ``json5`` package, and the file ``twilio serverless:init``
writes is not JSON: ``//`` and ``/* */`` comments, a comma after the last entry. This reads what JSON5 allows
(comments, trailing commas, unquoted keys, single-quoted strings, hexadecimal and signed numbers, ``Infinity``,
``NaN``) and raises ValueError with the line and column of anything else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_SPACE = u"\t\n\v\f\r \u00a0\u2028\u2029\ufeff\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
    u"\u200a\u202f\u205f\u3000"
_IDENTIFIER = re.compile(r"[^\W\d]|[$_]", re.UNICODE)
_IDENTIFIER_PART = re.compile(r"[\w$\u200c\u200d]", re.UNICODE)
_NUMBER = re.compile(r"[+-]?(?:Infinity|NaN|0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_ESCAPES = {"b": u"\b", "f": u"\f", "n": u"\n", "r": u"\r", "t": u"\t", "v": u"\v", "0": u"\0"}
_LINE_ENDS = u"\n\r\u2028\u2029"


class _Reader:
    def __init__(self, text):
        self.text = text
        self.at = 0

    def fail(self, what):
        line = self.text.count(u"\n", 0, self.at) + 1
        column = self.at - (self.text.rfind(u"\n", 0, self.at) + 1) + 1
        raise ValueError("%s at line %d, column %d" % (what, line, column))

    def skip(self):
        text = self.text
        while self.at < len(text):
            if text[self.at] in _SPACE:
                self.at += 1
            elif text.startswith(u"//", self.at):
                while self.at < len(text) and text[self.at] not in _LINE_ENDS:
                    self.at += 1
            elif text.startswith(u"/*", self.at):
                end = text.find(u"*/", self.at + 2)
                if end < 0:
                    self.fail("unterminated comment")
                self.at = end + 2
            else:
                return

    def peek(self):
        self.skip()
        return self.text[self.at] if self.at < len(self.text) else u""

    def value(self):
        char = self.peek()
        if char == u"{":
            return self.members(u"}", self.member)
        if char == u"[":
            return self.members(u"]", lambda result: result.append(self.value()))
        if char and char in u"\"'":
            return self.string()
        for word, value in ((u"true", True), (u"false", False), (u"null", None)):
            if self.text.startswith(word, self.at) and not self.identifier_part(self.at + len(word)):
                self.at += len(word)
                return value
        match = _NUMBER.match(self.text, self.at)
        if match and not self.identifier_part(match.end()):
            self.at = match.end()
            return self.number(match.group())
        self.fail("unexpected %s" % (repr(char) if char else "end of file"))

    def identifier_part(self, at):
        return at < len(self.text) and _IDENTIFIER_PART.match(self.text[at]) is not None

    def members(self, close, read_one):
        result = {} if close == u"}" else []
        self.at += 1
        while self.peek() != close:
            read_one(result)
            if self.peek() == u",":
                self.at += 1
            elif self.peek() != close:
                self.fail("expected ',' or %r" % str(close))
        self.at += 1
        return result

    def member(self, result):
        if self.peek() and self.peek() in u"\"'":
            key = self.string()
        else:
            start = self.at
            if not (self.at < len(self.text) and _IDENTIFIER.match(self.text[self.at])):
                self.fail("expected a key")
            while self.identifier_part(self.at):
                self.at += 1
            key = self.text[start:self.at]
        if self.peek() != u":":
            self.fail("expected ':'")
        self.at += 1
        result[key] = self.value()

    def string(self):
        quote = self.text[self.at]
        self.at += 1
        parts = []
        while True:
            if self.at >= len(self.text):
                self.fail("unterminated string")
            char = self.text[self.at]
            self.at += 1
            if char == quote:
                return u"".join(parts)
            if char in u"\n\r":
                self.fail("line break in a string")
            if char != u"\\":
                parts.append(char)
                continue
            escaped = self.text[self.at:self.at + 1]
            self.at += 1
            if escaped in (u"x", u"u"):
                size = 2 if escaped == u"x" else 4
                digits = self.text[self.at:self.at + size]
                if not re.match(r"\A[0-9a-fA-F]{%d}\Z" % size, digits):
                    self.fail("bad \\%s escape" % escaped)
                parts.append(chr(int(digits, 16)))
                self.at += size
            elif escaped == u"\r":
                self.at += 1 if self.text.startswith(u"\n", self.at) else 0
            elif escaped not in _LINE_ENDS:
                parts.append(_ESCAPES.get(escaped, escaped))

    @staticmethod
    def number(text):
        sign = -1 if text.startswith(u"-") else 1
        bare = text.lstrip(u"+-")
        if bare == u"Infinity":
            return sign * float("inf")
        if bare == u"NaN":
            return float("nan")
        if bare[:2] in (u"0x", u"0X"):
            return sign * int(bare, 16)
        if re.match(r"\A[0-9]+\Z", bare):
            return sign * int(bare)
        return sign * float(bare)


def loads(text):
    """The value of the JSON5 document ``text``; ValueError naming the line and column of an error."""
    reader = _Reader(text)
    result = reader.value()
    if reader.peek():
        reader.fail("unexpected %r after the value" % str(reader.peek()))
    return result
