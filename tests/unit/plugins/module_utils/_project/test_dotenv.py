# SPDX-License-Identifier: GPL-3.0-or-later
"""The .env rules of the Twilio toolkit: dotenv 6.2.0's parse, line for line.

Each expected value below is what dotenv 6.2.0's ``parse`` (lib/main.js at tag v6.2.0 of motdotla/dotenv)
returned for the line under Node 20; quirks included (a value with spaces after its closing quote keeps the
quote and gets no newline expansion; one stray quote at either end is removed).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._project import dotenv as _dotenv

# (line, (key, value)) or (line, None) for a line dotenv skips.
TABLE = [
    ('BASIC=basic', ('BASIC', 'basic')),
    ('  SPACED  =  spaced value  ', ('SPACED', 'spaced value')),
    ('EMPTY=', ('EMPTY', '')),
    ('EMPTY_SPACES=   ', ('EMPTY_SPACES', '')),
    ("SINGLE='single quoted'", ('SINGLE', 'single quoted')),
    ('DOUBLE="double quoted"', ('DOUBLE', 'double quoted')),
    ('MULTI="line one\\nline two"', ('MULTI', 'line one\nline two')),
    ("SINGLE_NL='no\\nexpansion'", ('SINGLE_NL', 'no\\nexpansion')),
    ('BARE_NL=no\\nexpansion', ('BARE_NL', 'no\\nexpansion')),
    ('ONE_QUOTE="', ('ONE_QUOTE', '')),
    ('TWO_QUOTES=""', ('TWO_QUOTES', '')),
    ('MIXED=\'mixed"', ('MIXED', 'mixed')),
    ('LEADING_ONLY="open', ('LEADING_ONLY', 'open')),
    ('TRAILING_ONLY=close"', ('TRAILING_ONLY', 'close')),
    ('QUOTED_TRAIL="a\\nb"   ', ('QUOTED_TRAIL', 'a\\nb"')),
    ('INNER={"foo": "bar"}', ('INNER', '{"foo": "bar"}')),
    ('INLINE=value # not a comment', ('INLINE', 'value # not a comment')),
    ('# COMMENT=ignored', None),
    ('export EXPORTED=ignored', None),
    ('dotted.key-name=ok', ('dotted.key-name', 'ok')),
    ('lower=case', ('lower', 'case')),
    ('A=b=c', ('A', 'b=c')),
    ('NO_EQUALS', None),
    ('=novalue', None),
    ('CRLF=windows\r', ('CRLF', 'windows')),
    ('TAB=\tvalue\t', ('TAB', 'value')),
    ('UNICODE=caf\xe9 \u2603', ('UNICODE', 'caf\xe9 \u2603')),
    ('KEY\xe9=not ascii', None),
    ('NBSP=\xa0padded\xa0', ('NBSP', 'padded')),
    ('\ufeffBOM=first line', ('BOM', 'first line')),
    ('LS=a\u2028b', None),
    ('DOUBLE_SPACED= " x " ', ('DOUBLE_SPACED', 'x "')),
    ('BACKSLASH=C:\\path\\new', ('BACKSLASH', 'C:\\path\\new')),
    ('ESCAPED_QUOTE="say \\"hi\\""', ('ESCAPED_QUOTE', 'say \\"hi\\"')),
    ('DUP=first', ('DUP', 'first')),
    ('DUP=second', ('DUP', 'second')),
]


@pytest.mark.parametrize("line, expected", TABLE, ids=[repr(row[0])[:40] for row in TABLE])
def test_each_line_as_dotenv_6_2_reads_it(line, expected):
    assert list(_dotenv.parse(line).items()) == ([expected] if expected else [])


def test_a_whole_file_keeps_order_and_the_last_value_of_a_key():
    found = _dotenv.parse("\n".join(row[0] for row in TABLE))
    assert found["DUP"] == "second" and list(found)[0] == "BASIC"
    assert len(found) == len(set(row[1][0] for row in TABLE if row[1]))


def test_read_env_file_drops_the_toolkits_credentials(tmp_path):
    path = tmp_path / ".env"
    path.write_bytes(b"ACCOUNT_SID=AC123\nAUTH_TOKEN=secret-token\nGREETING=\"hello\\nworld\"\r\n")
    variables, dropped = _dotenv.read_env_file(str(path))
    assert dict(variables) == {"GREETING": "hello\nworld"} and dropped == ["ACCOUNT_SID", "AUTH_TOKEN"]


def test_unreadable_and_non_utf8_files_name_the_file_not_the_text(tmp_path):
    with pytest.raises(OptionError, match=r"^env_file: cannot read .*missing"):
        _dotenv.read_env_file(str(tmp_path / "missing"))
    path = tmp_path / "latin1.env"
    path.write_bytes(b"PASSWORD=s\xe9cret\n")
    with pytest.raises(OptionError) as info:
        _dotenv.read_env_file(str(path))
    assert "not UTF-8 text (byte 10)" in str(info.value) and "cret" not in str(info.value)


def test_a_path_with_a_nul_byte_is_an_option_error():
    # Found by the contract test's fuzzing: open() raised ValueError, which surfaced as an unexpected error.
    with pytest.raises(OptionError, match=r"^env_file: '.*' is not a usable file path \(it contains a NUL byte\)"):
        _dotenv.read_env_file("a\x00b")


# -- no line dropped without a word --------------------------------------------

SKIPPED = [
    ("export X=1", "line 1 (key 'export X') is skipped: the toolkit's dotenv does not read 'export'; write X=... "
                   "instead"),
    ("MY KEY=x", "line 1 (key 'MY KEY') is skipped: a key is ASCII letters, digits, '_', '.' and '-' only"),
    ("KEY\xe9=not ascii", "line 1 (key 'KEY\xe9') is skipped: a key is ASCII letters, digits, '_', '.' and '-' only"),
    ("NO_EQUALS", "line 1 is skipped: it has no '=' (a line is KEY=VALUE; a value cannot go on over several lines)"),
    ("=novalue", "line 1 is skipped: it has no key before '='"),
    ("LS=a\u2028b", "line 1 (key 'LS') is skipped: its value holds a carriage return, U+2028 or U+2029, where the "
                    "toolkit's dotenv ends the line"),
]


@pytest.mark.parametrize("line, note", SKIPPED, ids=[row[0][:20] for row in SKIPPED])
def test_each_line_not_taken_is_noted_with_its_number_and_key(line, note):
    notes = []
    assert _dotenv.parse(line, notes) == {}
    assert ["line %d%s %s" % (n, " (key %r)" % k if k else "", why) for n, k, why in notes] == [note]


def test_blank_lines_and_comments_are_not_noted_and_every_table_line_dotenv_skips_is():
    notes = []
    _dotenv.parse("\n".join(row[0] for row in TABLE) + "\n\n   \n# a comment\n  # another", notes)
    skipped = [number for number, row in enumerate(TABLE, 1) if row[1] is None and not row[0].startswith("#")]
    replaced = [number for number, row in enumerate(TABLE, 1) if row[0] == "DUP=first"]
    # LEADING_ONLY opens a double quote, and TRAILING_ONLY, the next line, could be the rest of its value.
    unclosed = [number for number, row in enumerate(TABLE, 1) if row[0].split("=")[0] in (
        "LEADING_ONLY", "TRAILING_ONLY")]
    assert [n for n, dummy, dummy2 in notes] == sorted(skipped + replaced + unclosed)
    assert (replaced[0], "DUP", "is replaced by line %d, which sets the same key" % (replaced[0] + 1)) in notes


def test_read_env_file_warns_naming_file_line_and_key_never_a_value(tmp_path):
    path = tmp_path / ".env"
    path.write_bytes(b"# the project's variables\nexport API_KEY=sk_live_123\nMY KEY=hunter2\nGOOD=ok\n"
                     b"GOOD=better\nsk_live_456\nAUTH_TOKEN=tok_789\n")
    warnings = []
    variables, dropped = _dotenv.read_env_file(str(path), warnings=warnings)
    assert dict(variables) == {"GOOD": "better"} and dropped == ["AUTH_TOKEN"]
    where = "env_file %r" % str(path)
    assert warnings == [
        where + " line 2 (key 'export API_KEY') is skipped: the toolkit's dotenv does not read 'export'; write "
                "API_KEY=... instead",
        where + " line 3 (key 'MY KEY') is skipped: a key is ASCII letters, digits, '_', '.' and '-' only",
        where + " line 4 (key 'GOOD') is replaced by line 5, which sets the same key",
        where + " line 6 is skipped: it has no '=' (a line is KEY=VALUE; a value cannot go on over several lines)",
        where + ": AUTH_TOKEN is not set: the toolkit drops it too (it is the deploy's own credential)"]
    for value in ("sk_live", "123", "hunter", "ok", "better", "456", "tok_", "789"):
        assert not any(value in warning for warning in warnings)


def test_the_rest_of_a_value_over_several_lines_is_named_by_number_only():
    notes = []
    found = _dotenv.parse('CERT="-----BEGIN\nMIIB=secret+part\n\nabc-----END"\nNEXT=1\nX', notes)
    assert dict(found) == {"CERT": "-----BEGIN", "MIIB": "secret+part", "NEXT": "1"}  # as the toolkit reads it
    rest = "it looks like the rest of the quoted value of line 1; a value cannot go on over several lines"
    assert [(n, k, why.split(", but ")[-1][:len(rest)]) for n, k, why in notes] == [
        (1, "CERT", "opens a quote it does not close: only the rest of this line is the value"),
        (2, None, rest), (4, None, rest),
        (6, None, "is skipped: it has no '=' (a line is KEY=VALUE; a value cannot go on over several lines)")]
    assert notes[1][2].startswith("is read as a variable, as the toolkit reads it, but")
    assert notes[2][2].startswith("is skipped, but")
    assert "MIIB" not in str(notes) and "secret" not in str(notes) and "abc" not in str(notes)


# Characters no message or key holds: one of them in a warning would be (part of) a value.
VALUE_CHARS = "\xa4\xa7\xb6\xb5\u0416"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["export K", "MY K", "K", "", "K\xe9", "# K", "K K"]),
                          st.sampled_from(["=", "", " = ", "=\"", "=\u2028"]),
                          st.text(VALUE_CHARS + "\u2028\r\"' ", max_size=12)), max_size=8))
def test_no_character_of_a_value_ever_reaches_a_warning(lines):
    notes = []
    text = "\n".join(key + equals + value for key, equals, value in lines)
    _dotenv.parse(text, notes)
    rendered = " ".join("%d %s %s" % (n, k, why) for n, k, why in notes)
    assert not set(rendered) & set(VALUE_CHARS)
