# SPDX-License-Identifier: GPL-3.0-or-later
"""Modules run on a subaccount (subaccount_sid) through a real AnsibleModule, against the simulator's Accounts API
and the test seed's subaccounts: the subaccount's services are seen, its auth token never shows, a subaccount that
cannot be used fails before any Serverless request."""

import json

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils import _module
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info, serverless_verify

from ...conftest import ACCOUNT, EAST, NORTH, SOUTH, TOKEN, assert_no_secret, seed_token

NORTH_SERVICE = "ZSa0000000000000000000000000000001"
NORTH_BUILD = "ZBa0000000000000000000000000000001"
SECRETS = (TOKEN, seed_token(NORTH), seed_token(SOUTH), seed_token(EAST))


def args(sim, **more):
    found = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, accounts_base_url=sim.server.accounts_url,
                 subaccount_sid=NORTH, service="north-hotline", retries=0)
    found.update(more)
    # An option given as None would hide its environment variable, as an option left out does not.
    return dict((name, value) for name, value in found.items() if value is not None)


def routes(sim):
    return [(e["route"], e["user"]) for e in sim.log()]


@pytest.mark.parametrize("check_mode", [False, True])
def test_build_info_sees_the_subaccounts_builds(sim, run_main, check_mode):
    result = run_main(serverless_build_info, args(sim, _ansible_check_mode=check_mode))
    assert "failed" not in result, result.get("msg")
    assert [b["sid"] for b in result["builds"]] == [NORTH_BUILD] and result["service_sid"] == NORTH_SERVICE
    assert result["builds"][0]["account_sid"] == NORTH and not result["changed"]
    # The lookup is a read, so made in check mode too, and counted.
    assert result["stats"]["requests"] == 3 == len(sim.log())
    assert routes(sim) == [("account", ACCOUNT), ("service", NORTH), ("builds", NORTH)]
    assert_no_secret(json.dumps(result), *SECRETS)


def test_without_subaccount_sid_the_main_credentials_do_not_see_it(sim, run_main):
    result = run_main(serverless_build_info, args(sim, subaccount_sid=None))
    assert result["failed"] and result["error"]["http_status"] == 404


def test_an_empty_subaccount_variable_counts_as_unset(sim, run_main, monkeypatch):
    monkeypatch.setenv("TWILIO_SUBACCOUNT_SID", "")
    result = run_main(serverless_build_info, args(sim, subaccount_sid=None, service="small-app", limit=1))
    assert "failed" not in result and [e["route"] for e in sim.log()] == ["service", "builds"]


def test_the_subaccount_from_the_environment(sim, run_main, monkeypatch):
    monkeypatch.setenv("TWILIO_SUBACCOUNT_SID", NORTH)
    result = run_main(serverless_build_info, args(sim, subaccount_sid=None))
    assert "failed" not in result and result["service_sid"] == NORTH_SERVICE


@pytest.mark.parametrize("subaccount, words", [
    (SOUTH, "subaccount_sid %s is suspended, not active" % SOUTH),
    (EAST, "subaccount_sid %s is closed, not active" % EAST),
])
def test_a_subaccount_that_is_not_active_fails_before_any_serverless_request(sim, run_main, subaccount, words):
    result = run_main(serverless_build_info, args(sim, subaccount_sid=subaccount))
    assert result["failed"] and result["msg"].startswith(words), result["msg"]
    assert routes(sim) == [("account", ACCOUNT)] and result["stats"]["requests"] == 1
    assert set(serverless_build_info.BLANK_RESULT) <= set(result)
    assert_no_secret(json.dumps(result), *SECRETS)


def test_wrong_main_credentials_name_the_options_not_the_values(sim, run_main):
    result = run_main(serverless_build_info, args(sim, auth_token="wrong-" + TOKEN))
    assert result["msg"].startswith("The Accounts API (%s) rejected the main account's credentials (HTTP 401"
                                    % sim.server.accounts_url)
    assert result["error"]["http_status"] == 401 and routes(sim) == [("account", ACCOUNT)]
    assert_no_secret(json.dumps(result), *SECRETS)


def test_a_bad_subaccount_option_is_refused_before_any_request(sim, run_main):
    result = run_main(serverless_build_info, args(sim, subaccount_sid="ZS" + "1" * 32))
    assert result["msg"].startswith("subaccount_sid: ") and sim.log() == []
    result = run_main(serverless_build_info, args(sim, accounts_base_url="http://api.example.com"))
    assert result["msg"].startswith("accounts_base_url: ") and "unencrypted" in result["msg"] and sim.log() == []


class Module:
    """What connect() uses of an AnsibleModule."""

    def __init__(self, params):
        self.params = params
        self.no_log_values = set()
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def test_the_subaccounts_token_is_masked_and_the_main_one_stays_with_the_accounts_api(sim):
    module, clients = Module(args(sim)), []
    client = _module.connect(module, clients)
    try:
        assert module.no_log_values == {seed_token(NORTH)}
        assert [(c.base_url, c.connection.username) for c in clients] == [(sim.server.accounts_url, ACCOUNT),
                                                                          (sim.url, NORTH)]
        assert client is clients[-1] and client.session.auth == (NORTH, seed_token(NORTH))
    finally:
        client.close()


def test_verify_signs_with_the_subaccounts_token(fresh_sim, run_main):
    """Twilio signs a subaccount's webhooks with the subaccount's auth token, so a protected Function of its service
    answers only a call signed with it."""
    fresh_sim.deploy("north-hotline", "production", functions=[
        {"path": "/guarded", "content": "exports.handler = () => {};", "visibility": "protected"}])
    result = run_main(serverless_verify, args(fresh_sim, environment="production", settle=0,
                                              checks=[{"path": "/guarded", "method": "POST", "body": {"a": "1"}}],
                                              domain_base_url=fresh_sim.url + "/__sim/domains/{domain_name}"))
    assert "failed" not in result, result.get("msg")
    assert result["passed"] is True and [c["status"] for c in result["checks"]] == [200]
    assert_no_secret(json.dumps(result), *SECRETS)
