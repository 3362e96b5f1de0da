# SPDX-License-Identifier: GPL-3.0-or-later
"""Twilio's per-account concurrency limit in the simulator (twilio_sim/concurrency.py): past the limit a request
is answered 429 with error 20429 and not processed; every API answer says how many requests of its account were in
flight in Twilio-Concurrent-Requests."""

import threading
import time

import requests

from twilio_sim import SimulatorServer
from twilio_sim.launcher import start, stop

from ..conftest import ACCOUNT, EMPTY, SEED, TOKEN

BUSY = {"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429",
        "status": 429}


def services_url(sim):
    return sim.url + "/v1/Services"


def hold(sim, count, seconds=0.6):
    """``count`` GETs of the account kept in flight by the simulator's latency; return their threads, once the
    server counts them all in flight."""
    sim.server.latency = seconds
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(requests.get(services_url(sim), auth=(ACCOUNT, TOKEN),
                                                                           timeout=30)))
               for dummy in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while sim.concurrency()["in_flight"].get(ACCOUNT, 0) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    sim.server.latency = 0.0
    return threads, answers


def test_every_answer_says_how_many_requests_were_in_flight(fresh_sim):
    answer = requests.get(services_url(fresh_sim), auth=(ACCOUNT, TOKEN), timeout=30)
    assert answer.status_code == 200 and answer.headers["Twilio-Concurrent-Requests"] == "1"
    missing = requests.get(services_url(fresh_sim) + "/ZS00000000000000000000000000000000", auth=(ACCOUNT, TOKEN),
                           timeout=30)
    assert missing.status_code == 404 and missing.headers["Twilio-Concurrent-Requests"] == "1"
    # No account, no count: the credentials were refused before the request was the account's.
    assert "Twilio-Concurrent-Requests" not in requests.get(services_url(fresh_sim), auth=(ACCOUNT, "x"),
                                                            timeout=30).headers
    threads, answers = hold(fresh_sim, 2)
    third = requests.get(services_url(fresh_sim), auth=(ACCOUNT, TOKEN), timeout=30)
    for thread in threads:
        thread.join()
    assert third.status_code == 200 and third.headers["Twilio-Concurrent-Requests"] == "3"
    assert [a.status_code for a in answers] == [200, 200]
    assert fresh_sim.concurrency() == {"limit": 0, "in_flight": {ACCOUNT: 0}, "peak": {ACCOUNT: 3}, "refused": {}}


def test_a_write_past_the_limit_is_refused_and_leaves_no_trace(fresh_sim):
    assert fresh_sim.account_concurrency(2)["limit"] == 2
    fresh_sim.clear()
    threads, answers = hold(fresh_sim, 2)
    refused = requests.post(services_url(fresh_sim) + "/%s/Environments" % EMPTY, auth=(ACCOUNT, TOKEN), timeout=30,
                            data={"UniqueName": "busy", "DomainSuffix": "busy"})
    for thread in threads:
        thread.join()
    assert refused.status_code == 429 and refused.json() == BUSY
    assert refused.headers["Twilio-Concurrent-Requests"] == "3" and "Retry-After" not in refused.headers
    assert [a.status_code for a in answers] == [200, 200]
    service = fresh_sim.server.store.services[EMPTY]
    assert [e.unique_name for e in service.environments] == []
    entry = [e for e in fresh_sim.log() if e["method"] == "POST"][0]
    assert (entry["route"], entry["status"], entry["refused"]) == ("create_environment", 429, "account_concurrency")
    assert fresh_sim.concurrency() == {"limit": 2, "in_flight": {ACCOUNT: 0}, "peak": {ACCOUNT: 2},
                                       "refused": {ACCOUNT: 1}}
    # Under the limit again, the same write is made.
    made = requests.post(services_url(fresh_sim) + "/%s/Environments" % EMPTY, auth=(ACCOUNT, TOKEN), timeout=30,
                         data={"UniqueName": "busy", "DomainSuffix": "busy"})
    assert made.status_code == 201 and made.headers["Twilio-Concurrent-Requests"] == "1"
    assert fresh_sim.account_concurrency(0) == {"limit": 0, "in_flight": {ACCOUNT: 0}, "peak": {}, "refused": {}}


def test_the_limit_from_the_seed_or_the_option():
    import json
    with open(SEED, encoding="utf-8") as handle:
        seed = json.load(handle)
    for server, limit in ((SimulatorServer(seed=dict(seed, account_concurrency=3)), 3),
                          (SimulatorServer(seed=dict(seed, account_concurrency=3), account_concurrency=0), 0),
                          (SimulatorServer(seed=seed), 0)):
        server.stop()
        assert server.concurrency.limit == limit
    # --account-concurrency, through the launcher every shell caller uses.
    proc, url = start(SEED, account_concurrency=5)
    try:
        assert requests.get(url + "/__sim/account_concurrency", timeout=30).json()["limit"] == 5
    finally:
        stop(proc)
