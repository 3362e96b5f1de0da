# SPDX-License-Identifier: GPL-3.0-or-later
"""The v2010 Accounts list over the simulator's Accounts API: records read tolerantly, pages by next_page_uri on the
client's origin only."""

import json

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import accounts as api
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import list_accounts, read_account
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import read_v2010_page

from ....conftest import ACCOUNT, SEED

with open(SEED, encoding="utf-8") as _handle:
    _SUBS = sorted(a["sid"] for a in json.load(_handle)["accounts"] if a.get("owner_account_sid") == ACCOUNT)
NORTH, SOUTH, EAST = _SUBS


def test_read_account_as_sent_or_not():
    record = {"sid": NORTH, "friendly_name": "North", "status": " Suspended ", "owner_account_sid": ACCOUNT,
              "type": "Full", "auth_token": "t0k3n", "unknown": 1}
    assert read_account(record) == dict(sid=NORTH, friendly_name="North", status="suspended", owner_account_sid=ACCOUNT,
                                        type="Full", auth_token="t0k3n")
    assert read_account({"sid": "ZS" + NORTH[2:], "status": "dormant", "auth_token": 5}) == dict(
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


def test_a_next_page_off_the_accounts_origin_is_refused(sim, connection):
    sim.fault("accounts", {"next_page_url": "https://evil.example.com/2010-04-01/Accounts.json?Page=1"})
    client = TwilioClient(connection(base_url=sim.server.accounts_url))
    try:
        with pytest.raises(TwilioError, match="not on the configured API host"):
            list(list_accounts(client))
    finally:
        client.close()
    assert len(sim.log()) == 1


def test_paging_follows_next_page_uri(sim, connection, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    client = TwilioClient(connection(base_url=sim.server.accounts_url))
    try:
        assert [a["sid"] for a in api.list_accounts(client)] == [ACCOUNT, NORTH, SOUTH, EAST]
        assert [a["sid"] for a in api.list_accounts(client, status="closed")] == [EAST]
    finally:
        client.close()
    assert [e["query"].get("Page") for e in sim.log()] == [None, "1", None]
