# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts, and a subaccount's own credentials read with the main account's.

The records are read as Twilio may send them (any case, nulls, unknown fields); then the whole exchange runs
against the simulator's Accounts API (its second listener) and the test seed's subaccounts.
"""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import accounts as _accounts
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import read_listed_account
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import read_v2010_page
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, EAST, NORTH, OTHER_ACCOUNT, SOUTH, TOKEN, assert_no_secret, seed_token

MAIN = "AC" + "1" * 32
SUB = "AC" + "3" * 32
OTHER = "AC" + "4" * 32
MAIN_TOKEN = "main-token-0123456789abcdef"
SUB_TOKEN = "sub-token-9876543210fedcba"


def connection(**more):
    params = dict(account_sid=MAIN, auth_token=MAIN_TOKEN, subaccount_sid=SUB, base_url="http://127.0.0.1:1",
                  accounts_base_url="http://127.0.0.1:2")
    params.update(more)
    return connection_from_params(params)


def record(**more):
    found = dict(sid=SUB, owner_account_sid=MAIN, status="active", type="Full", friendly_name="acme-dublin",
                 auth_token=SUB_TOKEN, date_created="Sat, 05 Dec 2026 05:00:00 +0000")
    found.update(more)
    return found


@pytest.mark.parametrize("variant", [{}, {"status": "ACTIVE"}, {"status": " Active "}, {"type": None},
                                     {"friendly_name": None}, {"unknown_field": {"x": 1}}, {"date_created": None}])
def test_an_active_subaccount_gives_its_token(variant):
    assert _accounts.subaccount_token(record(**variant), connection()) == SUB_TOKEN


def test_read_account_never_holds_the_token():
    read = _accounts.read_account(record(status="Suspended", type="TRIAL"))
    assert read == dict(sid=SUB, owner_account_sid=MAIN, status="suspended", type="trial", friendly_name="acme-dublin")
    assert_no_secret(repr(read), SUB_TOKEN)
    assert _accounts.read_account(None)["sid"] is None and _accounts.read_account([])["status"] is None


@pytest.mark.parametrize("variant, message", [
    ({"status": "suspended"}, "subaccount_sid %s is suspended, not active: Twilio refuses a suspended account's "
                              "credentials; reactivate it" % SUB),
    ({"status": "SUSPENDED"}, "is suspended, not active"),
    ({"status": "closed"}, "subaccount_sid %s is closed, not active: a closed account cannot be used again; leave it "
                           "out of the run" % SUB),
    ({"status": "frozen"}, "subaccount_sid %s is of status 'frozen', not active: nothing was requested from it" % SUB),
    ({"status": None}, "is of status 'None', not active"),
    ({"status": 7}, "is of status '7', not active"),
    ({"owner_account_sid": OTHER}, "subaccount_sid %s is not a subaccount of account_sid %s (Twilio names its owner "
                                   "'%s')" % (SUB, MAIN, OTHER)),
    ({"owner_account_sid": None}, "is not a subaccount of account_sid %s (Twilio names its owner 'None')" % MAIN),
    ({"owner_account_sid": SUB}, "is not a subaccount of account_sid"),
    ({"sid": OTHER}, "The Accounts API answered subaccount_sid %s with the record of '%s'; it was not used"
                     % (SUB, OTHER)),
    ({"sid": None}, "with the record of 'None'"),
    ({"auth_token": None}, "answered subaccount_sid %s without its auth_token" % SUB),
    ({"auth_token": "  "}, "without its auth_token"),
])
def test_a_subaccount_that_cannot_be_used(variant, message):
    with pytest.raises(TwilioError) as info:
        _accounts.subaccount_token(record(**variant), connection())
    assert message in info.value.msg
    assert_no_secret(info.value.msg, SUB_TOKEN, MAIN_TOKEN)


def test_the_status_is_checked_before_the_token_is_read():
    """A suspended subaccount's record holds a token too; it is refused all the same."""
    with pytest.raises(TwilioError, match="is suspended"):
        _accounts.subaccount_token(record(status="suspended"), connection())


class StubClient:
    """Stands in for TwilioClient (no server): the Connection it was made with, and one canned answer."""

    def __init__(self, answer):
        self.answer = answer
        self.made = []

    def __call__(self, made_with):
        self.made.append(made_with)
        self.connection = made_with
        self.closed = False
        return self

    def get(self, path, what):
        self.path, self.what = path, what
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def close(self):
        self.closed = True


def test_without_a_subaccount_nothing_is_requested():
    stub = StubClient(record())
    plain = connection(subaccount_sid=None)
    assert _accounts.subaccount_connection(plain, stub) is plain and stub.made == []


def test_the_main_credentials_go_to_the_accounts_host_only():
    stub, clients = StubClient(record()), []
    resolved = _accounts.subaccount_connection(connection(), stub, clients)
    made = stub.made[0]
    assert (made.base_url, made.username, made.password, made.subaccount_sid) == (
        "http://127.0.0.1:2", MAIN, MAIN_TOKEN, None)
    assert stub.path == "/2010-04-01/Accounts/%s.json" % SUB and stub.closed and clients == [stub]
    assert (resolved.base_url, resolved.username, resolved.password) == ("http://127.0.0.1:1", SUB, SUB_TOKEN)
    assert (resolved.account_sid, resolved.subaccount_sid) == (SUB, SUB)


def test_with_an_api_key_the_key_reads_the_subaccount():
    stub = StubClient(record())
    resolved = _accounts.subaccount_connection(connection(api_key="SK" + "2" * 32, api_secret="s3cr3t-9876"), stub)
    assert (stub.made[0].username, stub.made[0].password) == ("SK" + "2" * 32, "s3cr3t-9876")
    assert (resolved.username, resolved.password) == (SUB, SUB_TOKEN)


@pytest.mark.parametrize("status, code, message", [
    (401, 20003, "The Accounts API (http://127.0.0.1:2) rejected the main account's credentials (HTTP 401, code 20003) "
                 "while reading subaccount_sid %s: check account_sid and auth_token, or api_key and api_secret (a "
                 "Main API key" % SUB),
    (403, None, "The Accounts API (http://127.0.0.1:2) refused the main account's credentials access to "
                "subaccount_sid %s (HTTP 403): use account_sid %s with its auth token, or a Main API key" % (SUB, MAIN)),
    (404, 20404, "subaccount_sid %s was not found with the credentials of account_sid %s (HTTP 404, code 20404): "
                 "check the SID; it must be a subaccount of account_sid" % (SUB, MAIN)),
    (503, None, "Twilio answered HTTP 503"),
])
def test_refusals_of_the_accounts_api_name_the_options(status, code, message):
    err = TwilioError("Twilio answered HTTP %d" % status, http_status=status, code=code, request_id="RQ1")
    stub = StubClient(err)
    with pytest.raises(TwilioError) as info:
        _accounts.subaccount_connection(connection(), stub)
    assert info.value.msg.startswith(message) and stub.closed
    assert (info.value.http_status, info.value.code, info.value.request_id) == (status, code, "RQ1")
    assert_no_secret(info.value.msg, MAIN_TOKEN)


def test_an_unresolved_connection_never_reaches_a_client():
    """The Serverless client refuses the main credentials of a task on a subaccount (a path that forgot to resolve)."""
    with pytest.raises(TwilioError, match="Refused to send the main account's credentials to http://127.0.0.1:1: "
                                          "subaccount_sid %s was not resolved" % SUB):
        TwilioClient(connection())


# -- Against the simulator --------------------------------------------------------------------------------------

def sim_connection(sim, **more):
    params = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, accounts_base_url=sim.server.accounts_url,
                  retries=0, request_timeout=5.0)
    params.update(more)
    return connection_from_params(params)


def resolved(sim, subaccount, **more):
    clients = []
    return _accounts.subaccount_connection(sim_connection(sim, subaccount_sid=subaccount, **more),
                                           lambda c: TwilioClient(c, sleep=lambda s: None), clients), clients


def test_an_active_subaccount_reaches_its_own_services(sim):
    connection, clients = resolved(sim, NORTH)
    assert (connection.username, connection.password, connection.account_sid) == (NORTH, seed_token(NORTH), NORTH)
    assert [c.stats()["requests"] for c in clients] == [1]
    client = TwilioClient(connection)
    try:
        assert resolve_service(client, "north-hotline") == "ZSa0000000000000000000000000000001"
    finally:
        client.close()
    # The main credentials went to the Accounts API only; the subaccount's to the Serverless API only.
    assert [(e["route"], e["user"], e["status"]) for e in sim.log()] == [
        ("account", ACCOUNT, 200), ("service", NORTH, 200)]


def test_the_main_credentials_do_not_see_the_subaccounts_services(sim):
    """Why the lookup exists: Services are the subaccount's own (the simulator scopes them as Twilio does)."""
    client = TwilioClient(sim_connection(sim))
    try:
        with pytest.raises(TwilioError) as info:
            resolve_service(client, "north-hotline")
    finally:
        client.close()
    assert info.value.http_status == 404


@pytest.mark.parametrize("subaccount, message", [
    (SOUTH, "subaccount_sid %s is suspended, not active: Twilio refuses a suspended account's credentials" % SOUTH),
    (EAST, "subaccount_sid %s is closed, not active: a closed account cannot be used again" % EAST),
    ("AC" + "a" * 32, "subaccount_sid %s was not found with the credentials of account_sid %s (HTTP 404, code 20404)"
                      % ("AC" + "a" * 32, ACCOUNT)),
])
def test_a_subaccount_that_cannot_be_used_fails_before_any_serverless_request(sim, subaccount, message):
    with pytest.raises(TwilioError) as info:
        resolved(sim, subaccount)
    assert info.value.msg.startswith(message), info.value.msg
    assert [e["route"] for e in sim.log()] == ["account"]
    assert_no_secret(info.value.msg, TOKEN, seed_token(SOUTH), seed_token(EAST))


def test_a_subaccount_of_another_account(sim):
    """Twilio shows an account only to its own and its owner's credentials: to others it is not found."""
    with pytest.raises(TwilioError) as info:
        resolved(sim, NORTH, account_sid=OTHER_ACCOUNT, auth_token=seed_token(OTHER_ACCOUNT))
    assert info.value.msg.startswith("subaccount_sid %s was not found with the credentials of account_sid %s"
                                     % (NORTH, OTHER_ACCOUNT))
    assert [(e["route"], e["user"]) for e in sim.log()] == [("account", OTHER_ACCOUNT)]


def test_wrong_main_credentials(sim):
    with pytest.raises(TwilioError) as info:
        resolved(sim, NORTH, auth_token="wrong-" + TOKEN)
    assert info.value.msg.startswith("The Accounts API (%s) rejected the main account's credentials (HTTP 401"
                                     % sim.server.accounts_url)
    assert "subaccount_sid %s" % NORTH in info.value.msg and info.value.http_status == 401
    assert_no_secret(info.value.msg, TOKEN)


def test_a_subaccounts_own_credentials_are_no_main_credentials(sim):
    """Given as the main ones, a subaccount's credentials see only itself: another subaccount is not found."""
    with pytest.raises(TwilioError, match="was not found with the credentials of account_sid %s" % NORTH):
        resolved(sim, SOUTH, account_sid=NORTH, auth_token=seed_token(NORTH))


def test_a_refusal_after_the_lookup_names_the_subaccount(sim):
    """A subaccount suspended between the lookup and the Serverless request: the 401 names it, not the options of
    the main credentials."""
    connection, _clients = resolved(sim, NORTH)
    client = TwilioClient(connection._replace(password="changed-since"))
    try:
        with pytest.raises(TwilioError) as info:
            resolve_service(client, "north-hotline")
    finally:
        client.close()
    assert info.value.msg.startswith("Twilio rejected the credentials of subaccount_sid %s (HTTP 401" % NORTH)
    assert_no_secret(info.value.msg, seed_token(NORTH))


# The accounts list (the inventory plugin's), from branch h-accounts.
def test_read_listed_account_as_sent_or_not():
    record = {"sid": NORTH, "friendly_name": "North", "status": " Suspended ", "owner_account_sid": ACCOUNT,
              "type": "Full", "auth_token": "t0k3n", "unknown": 1}
    assert read_listed_account(record) == dict(sid=NORTH, friendly_name="North", status="suspended",
                                               owner_account_sid=ACCOUNT, type="Full", auth_token="t0k3n")
    assert read_listed_account({"sid": "ZS" + NORTH[2:], "status": "dormant", "auth_token": 5}) == dict(
        sid=None, friendly_name=None, status=None, owner_account_sid=None, type=None, auth_token=None)


@pytest.mark.parametrize("page, message", [
    ({"meta": {"key": "accounts"}}, "no list of records"),
    ({"accounts": [1]}, "not an object"),
    ({"accounts": [], "next_page_uri": 3}, "next_page_uri that is not a path"),
])
def test_a_bad_v2010_page(page, message):
    with pytest.raises(TwilioError, match=message):
        read_v2010_page(page, "accounts", "the accounts list")
    assert read_v2010_page({"accounts": [{}], "next_page_uri": ""}, "accounts", "x") == ([{}], None)


def test_a_next_page_off_the_accounts_origin_is_refused(sim, connect_params):
    sim.fault("accounts", {"next_page_url": "https://evil.example.com/2010-04-01/Accounts.json?Page=1"})
    client = TwilioClient(connection_from_params(connect_params(base_url=sim.server.accounts_url)))
    try:
        with pytest.raises(TwilioError, match="not on the configured API host"):
            list(_accounts.list_accounts(client))
    finally:
        client.close()
    assert len(sim.log()) == 1


def test_paging_follows_next_page_uri(sim, connect_params, monkeypatch):
    monkeypatch.setattr(_accounts, "PAGE_SIZE", 2)
    client = TwilioClient(connection_from_params(connect_params(base_url=sim.server.accounts_url)))
    try:
        assert [a["sid"] for a in _accounts.list_accounts(client)] == [ACCOUNT, NORTH, SOUTH, EAST]
        assert [a["sid"] for a in _accounts.list_accounts(client, status="closed")] == [EAST]
    finally:
        client.close()
    assert [e["query"].get("Page") for e in sim.log()] == [None, "1", None]
