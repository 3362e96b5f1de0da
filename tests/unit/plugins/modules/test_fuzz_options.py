# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated option sets through both modules' argument handling and validation, in-process.

Each set goes through Ansible's own ArgumentSpecValidator with the module's
real argument spec (what AnsibleModule does first), then the module's and the
connection's validation. Every set must be either rejected with a message, or
accepted and well-formed; nothing may raise anything else.
"""

from hypothesis import HealthCheck, given, settings, strategies as st
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import set_aside_infinite_ints
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    connection_from_params,
    twilio_argument_spec,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._sids import is_sid
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as info
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as wait

EXAMPLES_PER_MODULE = 6000
SID_BODY = st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32)
TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="/?#.%\\ \t\n\u00e9\u2603\u202eZSBACK0123456789abcdef-_", max_size=40),
    st.sampled_from(["", " ", "..", "../x", "a/b", "app?x=1", "ZS", "ZS123", "acme-ivr", "2026-11-24",
                     "2026-11-24T08:00:00Z", "2026-11-24T08:00:00+25:00", "yesterday", "node22", "http://h",
                     "https://serverless.twilio.com", "ftp://x", "https://u:p@h", "ie1", "dublin"]),
    st.builds(lambda p, b: p + b, st.sampled_from(["AC", "SK", "ZS", "ZB"]), SID_BODY),
)
NUMBER = st.one_of(st.integers(min_value=-10 ** 30, max_value=10 ** 30),
                   st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, 1000, 1001, -1]))
ANY = st.one_of(TEXT, NUMBER, st.booleans(), st.none(), st.lists(TEXT, max_size=4),
                st.dictionaries(st.text(max_size=5), TEXT, max_size=2))

COMMON = {
    "account_sid": ANY, "auth_token": ANY, "api_key": ANY, "api_secret": ANY, "region": ANY, "edge": ANY,
    "base_url": ANY, "validate_certs": ANY, "request_timeout": ANY, "retries": ANY,
}
INFO = dict(COMMON, service=ANY, service_sid=ANY, sids=st.one_of(ANY, st.lists(TEXT, max_size=3)),
            status=st.one_of(ANY, st.lists(st.sampled_from(["building", "completed", "failed", "done"]))),
            runtime=ANY, created_after=ANY, created_before=ANY, limit=ANY, page_size=ANY)
WAIT = dict(COMMON, service=ANY, sids=st.one_of(ANY, st.lists(TEXT, max_size=3)), latest=ANY, timeout=ANY,
            poll_interval=ANY, max_poll_interval=ANY, fail_on_failed=ANY)


def option_sets(options):
    return st.fixed_dictionaries({}, optional=options)


MARK = "-S3CR3T-MARK"


def validate(module, params, mutually_exclusive=None):
    """What the module does before its first request; returns the outcome."""
    params = dict(params)
    for secret in ("auth_token", "api_secret"):
        if isinstance(params.get(secret), str):
            params[secret] += MARK  # recognisable, so a leak into a message is seen
    spec = twilio_argument_spec(**module.ARGUMENT_SPEC)
    if set_aside_infinite_ints(spec, params):
        return "rejected: infinite whole number"
    result = ArgumentSpecValidator(spec, mutually_exclusive=mutually_exclusive).validate(params)
    if result.error_messages:
        assert all(isinstance(m, str) and m for m in result.error_messages)
        return "rejected by the argument spec"
    validated = result.validated_parameters
    try:
        module.check_params(validated)
        connection = connection_from_params(validated)
    except OptionError as err:
        assert str(err).startswith(err.option + ": ")
        assert MARK not in str(err)
        return "rejected: " + err.option
    # accepted: every value that reaches a URL is well-formed
    service = validated["service"]
    assert is_sid(service, "ZS") or not any(c in service for c in "/?#%\\ \t\r\n")
    assert all(is_sid(sid, "ZB") for sid in validated.get("sids") or [])
    assert connection.base_url.startswith(("https://", "http://"))
    assert 0 < connection.request_timeout <= 3600 and 0 <= connection.retries <= 20
    return "accepted"


@settings(max_examples=EXAMPLES_PER_MODULE, deadline=None, suppress_health_check=list(HealthCheck))
@given(option_sets(INFO))
def test_info_options(params):
    validate(info, params, mutually_exclusive=[("sids", "page_size")])


@settings(max_examples=EXAMPLES_PER_MODULE, deadline=None, suppress_health_check=list(HealthCheck))
@given(option_sets(WAIT))
def test_wait_options(params):
    validate(wait, params)


def test_some_generated_sets_are_accepted():
    """The strategies are not so wild that nothing valid is ever generated."""
    accepted = validate(info, {"service": "acme-ivr", "account_sid": "AC" + "0" * 32, "auth_token": "t",
                               "limit": 1})
    assert accepted == "accepted"
