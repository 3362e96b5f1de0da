# SPDX-License-Identifier: GPL-3.0-or-later
"""The .env rules of the Twilio toolkit: dotenv 6.2.0's parse, line for line.

Each expected value below is what dotenv 6.2.0's ``parse`` (lib/main.js at tag v6.2.0 of motdotla/dotenv)
returned for the line under Node 20; quirks included (a value with spaces after its closing quote keeps the
quote and gets no newline expansion; one stray quote at either end is removed).
"""

import pytest

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
