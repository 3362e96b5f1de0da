# SPDX-License-Identifier: GPL-3.0-or-later
"""The v2010 Accounts API on the simulator's second listener (twilio_sim/accounts.py): who sees which accounts,
the fields and pages as Twilio's libraries read them, and a suspended or closed account's credentials refused."""

import json
import sys

import pytest
import requests

from twilio_sim import SimulatorServer, launcher
from twilio_sim.store import generated_account

from ..conftest import ACCOUNT, API_KEY, API_SECRET, SEED, TOKEN

with open(SEED, encoding="utf-8") as _handle:
    _SUBS = {a["sid"]: a for a in json.load(_handle)["accounts"] if a.get("owner_account_sid") == ACCOUNT}
NORTH, SOUTH, EAST = sorted(_SUBS)
OTHER = ("AC99999999999999999999999999999999", "other-account-token-5d1a")
FIELDS = {"auth_token", "date_created", "date_updated", "friendly_name", "owner_account_sid", "sid", "status",
          "subresource_uris", "type", "uri"}
PAGE_KEYS = {"accounts", "end", "first_page_uri", "next_page_uri", "page", "page_size", "previous_page_uri", "start",
             "uri"}


def listing(sim, auth=(ACCOUNT, TOKEN), **params):
    return requests.get(sim.server.accounts_url + "/2010-04-01/Accounts.json", params=params, auth=auth, timeout=10)


def test_a_main_account_lists_itself_and_its_subaccounts(sim):
    answer = listing(sim)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == PAGE_KEYS and body["next_page_uri"] is None and body["previous_page_uri"] is None
    assert [a["sid"] for a in body["accounts"]] == [ACCOUNT, NORTH, SOUTH, EAST]
    for record in body["accounts"]:
        assert set(record) == FIELDS
        assert record["uri"] == "/2010-04-01/Accounts/%s.json" % record["sid"]
    main, north, south, east = body["accounts"]
    assert main["owner_account_sid"] == ACCOUNT and main["auth_token"] == TOKEN and main["type"] == "Full"
    assert (north["friendly_name"], north["status"], north["owner_account_sid"]) == ("Helpline North", "active", ACCOUNT)
    assert north["auth_token"] == _SUBS[NORTH]["auth_token"]
    assert (south["status"], east["status"], east["type"]) == ("suspended", "closed", "Trial")
    assert main["date_created"].endswith(" +0000") and main["date_created"][3:5] == ", "
    # Not the Serverless listener's: a Serverless path is unknown here, and the accounts path there.
    assert requests.get(sim.server.accounts_url + "/v1/Services", auth=(ACCOUNT, TOKEN), timeout=10).status_code == 404
    assert requests.get(sim.url + "/2010-04-01/Accounts.json", auth=(ACCOUNT, TOKEN), timeout=10).status_code == 404
    assert [e["route"] for e in sim.log()] == ["accounts", "unknown", "unknown"]


def test_filters_and_pages(sim):
    assert [a["sid"] for a in listing(sim, Status="active").json()["accounts"]] == [ACCOUNT, NORTH]
    assert [a["sid"] for a in listing(sim, FriendlyName="Helpline East").json()["accounts"]] == [EAST]
    first = listing(sim, PageSize=3, Status="active").json()
    assert len(first["accounts"]) == 2 and first["next_page_uri"] is None
    first = listing(sim, PageSize=3).json()
    assert (first["page"], first["page_size"], first["start"], first["end"]) == (0, 3, 0, 2)
    assert first["next_page_uri"].startswith("/2010-04-01/Accounts.json?") and "PageToken=PA" + SOUTH in first["next_page_uri"]
    second = requests.get(sim.server.accounts_url + first["next_page_uri"], auth=(ACCOUNT, TOKEN), timeout=10).json()
    assert [a["sid"] for a in second["accounts"]] == [EAST] and second["next_page_uri"] is None
    assert second["previous_page_uri"] is not None
    assert listing(sim, Status="dormant").status_code == 400
    assert listing(sim, PageToken="PAACnope").status_code == 400


def test_who_sees_what(sim):
    url = sim.server.accounts_url + "/2010-04-01/Accounts/%s.json"
    assert [a["sid"] for a in listing(sim, auth=(API_KEY, API_SECRET)).json()["accounts"]][:2] == [ACCOUNT, NORTH]
    north = (NORTH, _SUBS[NORTH]["auth_token"])
    assert [a["sid"] for a in listing(sim, auth=north).json()["accounts"]] == [NORTH]
    assert [a["sid"] for a in listing(sim, auth=OTHER).json()["accounts"]] == [OTHER[0]]
    assert requests.get(url % SOUTH, auth=(ACCOUNT, TOKEN), timeout=10).json()["status"] == "suspended"
    assert requests.get(url % NORTH, auth=north, timeout=10).status_code == 200
    for auth, sid in ((north, ACCOUNT), (north, SOUTH), (OTHER, NORTH)):
        answer = requests.get(url % sid, auth=auth, timeout=10)
        assert answer.status_code == 404 and answer.json()["code"] == 20404
    assert listing(sim, auth=(ACCOUNT, "wrong")).status_code == 401


def test_suspended_and_closed_credentials_are_refused(sim):
    for sid in (SOUTH, EAST):
        auth = (sid, _SUBS[sid]["auth_token"])
        for url in (sim.url + "/v1/Services", sim.server.accounts_url + "/2010-04-01/Accounts.json"):
            answer = requests.get(url, auth=auth, timeout=10)
            assert answer.status_code == 401 and answer.json()["code"] == 20003
    # An active subaccount's own credentials reach its own services only.
    services = requests.get(sim.url + "/v1/Services", auth=(NORTH, _SUBS[NORTH]["auth_token"]), timeout=10).json()
    assert [s["unique_name"] for s in services["services"]] == ["north-hotline"]
    main = requests.get(sim.url + "/v1/Services", auth=(ACCOUNT, TOKEN), timeout=10).json()
    assert "north-hotline" not in [s["unique_name"] for s in main["services"]]


def test_faults_act_on_the_accounts_routes(sim):
    sim.fault("accounts", {"status": 503})
    assert listing(sim).status_code == 503
    assert listing(sim).status_code == 200


def test_generate_accounts():
    seed = {"accounts": [{"sid": ACCOUNT, "auth_token": TOKEN}],
            "generate_accounts": {"owner": ACCOUNT, "count": 3, "services_per_account": 2, "prefix": "fleet"}}
    with SimulatorServer(seed=seed) as server:
        body = requests.get(server.accounts_url + "/2010-04-01/Accounts.json", auth=(ACCOUNT, TOKEN), timeout=10).json()
        assert [a["friendly_name"] for a in body["accounts"]] == [ACCOUNT, "fleet-000", "fleet-001", "fleet-002"]
        sid, token, name = generated_account("fleet", 2)
        assert body["accounts"][3]["sid"] == sid and body["accounts"][3]["auth_token"] == token
        services = requests.get(server.base_url + "/v1/Services", auth=(sid, token), timeout=10).json()["services"]
        assert [s["unique_name"] for s in services] == [name + "-app-0", name + "-app-1"]
        environments = requests.get(server.base_url + "/v1/Services/%s/Environments" % services[0]["sid"],
                                    auth=(sid, token), timeout=10).json()["environments"]
        assert environments[0]["build_sid"].startswith("ZB")
    with pytest.raises(ValueError, match="owner"):
        SimulatorServer(seed={"accounts": [], "generate_accounts": {"owner": ACCOUNT, "count": 1}})


def test_launcher_gives_both_urls(tmp_path):
    proc, url = launcher.start()
    try:
        assert requests.get(proc.accounts_url + "/2010-04-01/Accounts.json", auth=(ACCOUNT, TOKEN),
                            timeout=10).status_code == 200
        assert proc.accounts_url != url
    finally:
        launcher.stop(proc)
    out = tmp_path / "env"
    code = launcher.run_command([sys.executable, "-c", "import os, sys; open(sys.argv[1], 'w').write(' '.join("
                                 "os.environ[n] for n in ('SIM_URL', 'SIM_ACCOUNTS_URL', 'TWILIO_ACCOUNTS_BASE_URL')))",
                                 str(out)])
    assert code == 0
    sim_url, accounts_url, exported = out.read_text().split()
    assert accounts_url == exported and accounts_url.startswith("http://127.0.0.1:") and accounts_url != sim_url


def test_the_twilio_library_reads_accounts(sim):
    """twilio-python, as against api.twilio.com: its pages and fields."""
    from twilio.rest import Client
    client = Client(ACCOUNT, TOKEN)
    client.api.base_url = sim.server.accounts_url
    accounts = client.api.v2010.accounts.list(page_size=2)
    assert [a.sid for a in accounts] == [ACCOUNT, NORTH, SOUTH, EAST]
    assert accounts[3].type == "Trial" and accounts[2].status == "suspended"
    assert accounts[1].date_created.year >= 2020 and accounts[1].owner_account_sid == ACCOUNT
    assert client.api.v2010.accounts(NORTH).fetch().friendly_name == "Helpline North"
    assert [a.sid for a in client.api.v2010.accounts.list(status="closed")] == [EAST]
