# SPDX-License-Identifier: GPL-3.0-or-later
"""JSON5 as the toolkit's json5 package reads .twilioserverlessrc (https://spec.json5.org)."""

import math

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.json5 import loads

# The file `twilio serverless:init` writes (twilio-run src/templating/defaultConfig.ts; its jest snapshot,
# shortened): comments after values, commas after comments, a comma after the last entry.
INIT_TEMPLATE = u"""{
\t"commands": {},
\t"environments": {},
\t"projects": {},
\t// "assets": true \t/* Upload assets. Can be turned off with --no-assets */,
\t// "assetsFolder": null \t/* Specific folder name to be used for static assets */,
\t"runtime": "node24" \t/* The version of Node.js to deploy the build to. (node24) */,
\t// "serviceSid": null \t/* SID of the Twilio Serverless Service to deploy to */,
}"""


@pytest.mark.parametrize("text, value", [
    (INIT_TEMPLATE, {"commands": {}, "environments": {}, "projects": {}, "runtime": "node24"}),
    ('{"a": [1, 2.5, -3, true, false, null]}', {"a": [1, 2.5, -3, True, False, None]}),
    ("{functionsFolder: 'dist/functions', $x_1: 1,}", {"functionsFolder": "dist/functions", "$x_1": 1}),
    ("// only a comment\n{a: /* inline */ 'b'} // after", {"a": "b"}),
    ("{a: 0x1F, b: +1, c: .5, d: 5., e: 1e3, f: -Infinity}",
     {"a": 31, "b": 1, "c": 0.5, "d": 5.0, "e": 1000.0, "f": -float("inf")}),
    (u"{a: 'it\\'s \\u00e9 \\x41 \\n', b: \"line\\\ncontinued\"}", {"a": u"it's \u00e9 A \n", "b": "linecontinued"}),
    ("[]", []),
    ("[1,]", [1]),
    (u"\ufeff{}", {}),
])
def test_reads_json5(text, value):
    assert loads(text) == value


def test_nan():
    assert math.isnan(loads("NaN"))


@pytest.mark.parametrize("text, message", [
    ("{a: 1", "expected ',' or '}' at line 1, column 6"),
    ("{a 1}", "expected ':' at line 1, column 4"),
    ("{\n  a: 1,\n  b: @}", "unexpected '@' at line 3, column 6"),
    ("{a: 'x\ny'}", "line break in a string at line 2, column 1"),
    ("{a: 'x", "unterminated string"),
    ("{/* a", "unterminated comment"),
    ("{1: 2}", "expected a key"),
    ("{a: 1} x", "unexpected 'x' after the value"),
    ("{a: truex}", "unexpected 't'"),
    ("{a: '\\u12'}", "bad \\u escape"),
    ("", "unexpected end of file"),
    ("{,}", "expected a key"),
])
def test_refuses_what_json5_refuses(text, message):
    with pytest.raises(ValueError) as caught:
        loads(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("text", ["{", "[", "{a:", "{'a'", "[1", "{a: 1,", "'", "{a: 'x\\"])
def test_a_cut_document_is_a_value_error(text):
    with pytest.raises(ValueError):
        loads(text)
