# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options: precedence, env fallbacks, hosts, and clear errors for bad values."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    api_host,
    CONNECTION_ARGUMENT_SPEC,
    connection_from_params,
)

ACCOUNT = "AC" + "1" * 32
KEY = "SK" + "2" * 32
SUB = "AC" + "3" * 32


def resolve(params, env, monkeypatch):
    """Run the real argument spec (with its env fallbacks), then our validation."""
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET",
                 "TWILIO_REGION", "TWILIO_EDGE", "TWILIO_SERVERLESS_BASE_URL", "TWILIO_SUBACCOUNT_SID",
                 "TWILIO_ACCOUNTS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate(params)
    assert result.error_messages == []
    return connection_from_params(result.validated_parameters)


def test_env_fallbacks(monkeypatch):
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t0k"}, monkeypatch)
    assert (conn.username, conn.password) == (ACCOUNT, "t0k")
    assert conn.base_url == "https://serverless.twilio.com"
    assert (conn.validate_certs, conn.request_timeout, conn.retries) == (True, 30.0, 5)


def test_option_wins_over_env(monkeypatch):
    conn = resolve({"auth_token": "from-option"}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "from-env"},
                   monkeypatch)
    assert conn.password == "from-option"


def test_empty_env_counts_as_unset(monkeypatch):
    # AWX injects "" for blank credential fields: the auth token must still be used.
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t0k", "TWILIO_API_KEY": "",
                        "TWILIO_API_SECRET": "", "TWILIO_REGION": "", "TWILIO_EDGE": ""}, monkeypatch)
    assert (conn.username, conn.password) == (ACCOUNT, "t0k") and conn.base_url == "https://serverless.twilio.com"


def test_api_key_wins(monkeypatch):
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t0k", "TWILIO_API_KEY": KEY,
                        "TWILIO_API_SECRET": "s3c"}, monkeypatch)
    assert (conn.username, conn.password) == (KEY, "s3c")


def test_secrets_are_no_log():
    assert CONNECTION_ARGUMENT_SPEC["auth_token"]["no_log"] is True
    assert CONNECTION_ARGUMENT_SPEC["api_secret"]["no_log"] is True
    assert CONNECTION_ARGUMENT_SPEC["api_key"]["no_log"] is False


@pytest.mark.parametrize("region, edge, host", [
    (None, None, "serverless.twilio.com"),
    ("ie1", None, "serverless.ie1.twilio.com"),
    ("ie1", "dublin", "serverless.dublin.ie1.twilio.com"),
    (None, "sydney", "serverless.sydney.us1.twilio.com"),
])
def test_region_and_edge_hosts(monkeypatch, region, edge, host):
    assert api_host(region, edge) == host
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t"}
    if region:
        env["TWILIO_REGION"] = region
    if edge:
        env["TWILIO_EDGE"] = edge
    assert resolve({}, env, monkeypatch).base_url == "https://" + host


def test_base_url_overrides_region(monkeypatch):
    conn = resolve({"base_url": "https://proxy.example.com:8443/", "region": "ie1"},
                   {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t"}, monkeypatch)
    assert conn.base_url == "https://proxy.example.com:8443"


@pytest.mark.parametrize("params, fragment", [
    ({"auth_token": "t"}, "account_sid: is required; set the option or the TWILIO_ACCOUNT_SID"),
    ({"account_sid": "AC123", "auth_token": "t"}, "account_sid: 'AC123' is not a valid Account SID"),
    ({"account_sid": ACCOUNT}, "auth_token: no credentials given"),
    ({"account_sid": ACCOUNT, "api_key": KEY}, "api_secret: is required with api_key"),
    ({"account_sid": ACCOUNT, "api_secret": "s"}, "api_key: is required with api_secret"),
    ({"account_sid": ACCOUNT, "api_key": "AC" + "1" * 32, "api_secret": "s"},
     "api_key: '%s' is an Account SID" % ("AC" + "1" * 32) + ", not an API Key SID"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "region": "ie1.evil.com/"}, "region: 'ie1.evil.com/' is not a valid"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "edge": "Dublin"}, "edge: 'Dublin' is not a valid Twilio edge"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "base_url": "ftp://x"}, "base_url: 'ftp://x' is not an http(s) URL"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "base_url": "http://api.example.com"}, "unencrypted"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "base_url": "https://u:p@h.example.com"}, "must not contain cred"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "base_url": "https://h.example.com/v1"}, "has a path, query"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "base_url": "https://h:99999"}, "is not a valid URL"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "request_timeout": 0.0}, "request_timeout: 0.0 is out of range"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "request_timeout": -1.0}, "request_timeout: -1.0 is out of range"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "request_timeout": float("nan")},
     "request_timeout: nan is not a number; expected seconds as a finite number"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "request_timeout": float("inf")}, "request_timeout: inf is not a"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "retries": -1}, "retries: -1 is out of range"),
    ({"account_sid": ACCOUNT, "auth_token": "t", "retries": 21}, "retries: 21 is out of range"),
])
def test_bad_values(params, fragment):
    with pytest.raises(OptionError) as info:
        connection_from_params(params)
    assert fragment in str(info.value)


def test_secret_never_in_messages():
    with pytest.raises(OptionError) as info:
        connection_from_params({"account_sid": ACCOUNT, "api_key": "bad", "api_secret": "VERY-SECRET",
                                "auth_token": "ALSO-SECRET"})
    assert "SECRET" not in str(info.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:5000"])
def test_plain_http_for_loopback_only(url):
    conn = connection_from_params({"account_sid": ACCOUNT, "auth_token": "t", "base_url": url})
    assert conn.base_url == url


def test_bad_region_rejected_even_when_base_url_overrides_it():
    with pytest.raises(OptionError, match="region: 'ie1/' is not a valid"):
        connection_from_params({"account_sid": ACCOUNT, "auth_token": "t", "region": "ie1/",
                                "base_url": "https://proxy.example.com"})


# -- subaccount_sid and accounts_base_url ----------------------------------------------------------------------

def test_subaccount_from_env_keeps_the_main_credentials(monkeypatch):
    """No request here: the Connection holds the main credentials until _api/accounts.py trades them."""
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t0k", "TWILIO_SUBACCOUNT_SID": SUB},
                   monkeypatch)
    assert (conn.username, conn.password, conn.account_sid, conn.subaccount_sid) == (ACCOUNT, "t0k", ACCOUNT, SUB)
    assert conn.accounts_base_url == "https://api.twilio.com"


def test_empty_subaccount_env_counts_as_unset(monkeypatch):
    # AWX injects "" for a credential field left blank.
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t0k", "TWILIO_SUBACCOUNT_SID": "",
                        "TWILIO_ACCOUNTS_BASE_URL": ""}, monkeypatch)
    assert conn.subaccount_sid is None and conn.accounts_base_url == "https://api.twilio.com"
    assert resolve({"subaccount_sid": " "}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t"},
                   monkeypatch).subaccount_sid is None


def test_subaccount_option_wins_over_env(monkeypatch):
    conn = resolve({"subaccount_sid": SUB}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t",
                                             "TWILIO_SUBACCOUNT_SID": "AC" + "4" * 32}, monkeypatch)
    assert conn.subaccount_sid == SUB


def test_the_main_accounts_own_sid_is_no_subaccount(monkeypatch):
    """An inventory listing the main account beside its subaccounts gives its own SID: its own credentials."""
    conn = resolve({"subaccount_sid": ACCOUNT}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t"}, monkeypatch)
    assert conn.subaccount_sid is None and (conn.username, conn.password) == (ACCOUNT, "t")


@pytest.mark.parametrize("region, edge, host", [
    (None, None, "api.twilio.com"),
    ("ie1", None, "api.ie1.twilio.com"),
    ("ie1", "dublin", "api.dublin.ie1.twilio.com"),
    (None, "sydney", "api.sydney.us1.twilio.com"),
])
def test_accounts_host_follows_region_and_edge(region, edge, host):
    conn = connection_from_params({"account_sid": ACCOUNT, "auth_token": "t", "region": region, "edge": edge,
                                   "base_url": "http://127.0.0.1:1"})
    assert conn.accounts_base_url == "https://" + host


def test_accounts_base_url_given(monkeypatch):
    conn = resolve({}, {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t", "TWILIO_REGION": "ie1",
                        "TWILIO_ACCOUNTS_BASE_URL": "http://LOCALHOST:8080/"}, monkeypatch)
    assert conn.accounts_base_url == "http://localhost:8080"


@pytest.mark.parametrize("params, fragment", [
    ({"subaccount_sid": "AC123"}, "subaccount_sid: 'AC123' is not a valid Account SID"),
    ({"subaccount_sid": "ZS" + "3" * 32}, "subaccount_sid: 'ZS%s' is a Service SID, not an Account SID" % ("3" * 32)),
    ({"subaccount_sid": SUB, "accounts_base_url": "http://api.example.com"},
     "accounts_base_url: 'http://api.example.com' would send credentials unencrypted"),
    ({"accounts_base_url": "ftp://x"}, "accounts_base_url: 'ftp://x' is not an http(s) URL"),
    ({"accounts_base_url": "https://u:p@api.example.com"}, "accounts_base_url: must not contain credentials"),
    ({"accounts_base_url": "https://api.example.com/2010-04-01"},
     "accounts_base_url: 'https://api.example.com/2010-04-01' has a path, query or fragment; expected only scheme, "
     "host and port, such as https://api.twilio.com"),
])
def test_bad_subaccount_options(params, fragment):
    """Checked whether or not a subaccount is given: a bad value is a mistake either way."""
    with pytest.raises(OptionError) as info:
        connection_from_params(dict({"account_sid": ACCOUNT, "auth_token": "t"}, **params))
    assert fragment in str(info.value)
