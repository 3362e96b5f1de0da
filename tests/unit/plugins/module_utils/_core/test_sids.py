# SPDX-License-Identifier: GPL-3.0-or-later
"""SID and service-name validation: examples, and hypothesis for everything else."""

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import (
    ARTICLES,
    check_service,
    check_sid,
    is_sid,
    KINDS,
    SID_KINDS,
)

from ....conftest import SPEC

GOOD = "ZB" + "0123456789abcdef" * 2


def test_valid_sid_passes():
    assert check_sid(GOOD, "ZB", "sids") == GOOD
    upper = "ZB" + GOOD[2:].upper()
    assert check_sid(upper, "ZB", "sids") == upper


@pytest.mark.parametrize("value, fragment", [
    ("ZB123", "'ZB123' is not a valid Build SID; expected a Build SID: 'ZB' followed by 32 hexadecimal digits"),
    ("ZS" + "0" * 32, "is a Service SID, not a Build SID"),
    ("ZB" + "g" * 32, "is not a valid Build SID"),
    ("", "an empty value is not a Build SID"),
    ("ZB" + "0" * 32 + "\n", "is not a valid Build SID"),
])
def test_bad_build_sid_messages(value, fragment):
    with pytest.raises(OptionError) as info:
        check_sid(value, "ZB", "sids")
    assert str(info.value).startswith("sids: ")
    assert fragment in str(info.value)


def test_long_bad_value_is_cut_in_message():
    with pytest.raises(OptionError) as info:
        check_sid("x" * 500, "AC", "account_sid")
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("value", ["acme-ivr", "my_app.v2", "A", "x" * 50, "ZS" + "a" * 32, "ZSomething"])
def test_service_accepted(value):
    assert check_service(value) == value


@pytest.mark.parametrize("value, fragment", [
    ("my/app", "neither a Service SID"),
    ("app?x=1", "neither a Service SID"),
    ("app#frag", "neither a Service SID"),
    ("..", "neither a Service SID"),
    ("a..b", "neither a Service SID"),
    ("my app", "neither a Service SID"),
    (" app", "neither a Service SID"),
    ("x" * 51, "neither a Service SID"),
    ("%2e%2e", "neither a Service SID"),
    ("ZS1234", "is not a valid Service SID"),
    ("ZB" + "0" * 32, "is a Build SID, not a Service SID"),
    ("", "an empty value is not a Service"),
])
def test_service_rejected(value, fragment):
    with pytest.raises(OptionError) as info:
        check_service(value)
    assert str(info.value).startswith("service: ") and fragment in str(info.value)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.floats(), st.lists(st.text())))
def test_validators_raise_only_option_error(value):
    for prefix in KINDS:
        try:
            assert check_sid(value, prefix, "opt") == value
        except OptionError:
            pass
    try:
        accepted = check_service(value)
    except OptionError:
        return
    # whatever is accepted cannot change a URL path
    assert not any(c in accepted for c in "/?#%\\ \t\r\n") and ".." not in accepted


@settings(deadline=None)  # a timing limit is the benchmarks' business, not a noisy CI machine's
@given(st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32))
def test_every_hex_body_is_a_valid_sid(body):
    assert check_sid("ZB" + body, "ZB", "sids") == "ZB" + body


@pytest.mark.parametrize("value, accepted", [
    ("acme-ivr", True), ("a.b_c-1", True), ("", False), ("a/b", False), ("a..b", False), (".x", False),
    ("x" * 51, False), (None, False), ("a b", False),
])
def test_is_service_name_agrees_with_check_service(value, accepted):
    from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_service_name
    assert is_service_name(value) is accepted
    if accepted:
        assert check_service(value) == value
    else:
        with pytest.raises(OptionError):
            check_service(value)


# The SID kinds of Twilio's OpenAPI description (the simulator's source, which its answers are validated against)
# that the collection does not name, and the ones it names that the description lacks: exceptions, each with why.
NOT_IN_SID_KINDS = {"NO": "a Log's SID: the collection reads no Logs", "RQ": "a Log's request SID, likewise"}
NOT_IN_SPEC = {"SK": "API Keys authenticate the connection; they are not a Serverless resource"}


def spec_prefixes():
    """The prefixes of every SID pattern (``^ZS[0-9a-fA-F]{32}$``) in the spec."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            pattern = node.get("pattern")
            match = re.match(r"\A\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$\Z", pattern) if isinstance(pattern, str) else None
            if match:
                found.add(match.group(1))
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)

    with open(SPEC, encoding="utf-8") as handle:
        walk(json.load(handle))
    return found


def test_one_table_of_sid_kinds_agrees_with_the_spec():
    prefixes = [row[0] for row in SID_KINDS]
    assert len(set(prefixes)) == len(prefixes) and sorted(KINDS) == sorted(ARTICLES) == sorted(prefixes)
    assert all(re.match(r"\A[A-Z]{2}\Z", prefix) and ARTICLES[prefix] in ("a", "an") for prefix in prefixes)
    in_spec = spec_prefixes()
    assert {"ZS", "ZB", "AC"} <= in_spec, "the spec's SID patterns were not found"
    assert sorted(in_spec - set(prefixes)) == sorted(NOT_IN_SID_KINDS)
    assert sorted(set(prefixes) - in_spec) == sorted(NOT_IN_SPEC)


@pytest.mark.parametrize("prefix", sorted(KINDS))
def test_every_kind_is_checked_and_named(prefix):
    sid = prefix + "0123456789abcdef" * 2
    assert check_sid(sid, prefix, "opt") == sid and is_sid(sid, prefix)
    other = next(kind for kind in KINDS if kind != prefix)
    with pytest.raises(OptionError) as info:
        check_sid(sid, other, "opt")
    assert "is %s %s, not %s %s" % (ARTICLES[prefix], KINDS[prefix], ARTICLES[other], KINDS[other]) in str(info.value)
