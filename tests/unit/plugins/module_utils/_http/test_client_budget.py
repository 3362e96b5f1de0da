# SPDX-License-Identifier: GPL-3.0-or-later
"""The client within the account's concurrency budget (budget.py), against the simulator's per-account limit
(twilio_sim/concurrency.py): a 429 storm absorbed by an upload of many files, the machine-wide slots keeping three
processes under the limit where without them Twilio refuses requests, and a place given back after a failure."""

import multiprocessing
import os
import socket

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http import budget as budget_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.multipart import encode
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ...source_sim import ACCOUNT, TOKEN, SourceService


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The slots of this test's own, away from any other run on this machine that uses the test account."""
    monkeypatch.setattr(budget_module.tempfile, "tempdir", str(tmp_path))
    return str(tmp_path)


def test_an_upload_of_many_files_absorbs_a_429_storm(fresh_sim, private_tmp):
    """Ten upload threads against an account that serves three requests at once: the client halves its cap, sends
    each refused upload again, and every file arrives once, with no failure."""
    source = SourceService(fresh_sim)
    asset = source.add_resource("asset", "/x.bin").sid
    fresh_sim.account_concurrency(3)
    fresh_sim.server.latency = 0.03  # requests overlap as they would over a network
    client = TwilioClient(connection_from_params(source.connection_params(retries=5)))
    client.set_upload_base_url(fresh_sim.url)

    def job(n):
        body, header = encode([("Path", "/x.bin"), ("Visibility", "public")], "Content", "x.bin", b"%d" % n,
                              "application/octet-stream")
        return lambda: client.upload("/v1/Services/%s/Assets/%s/Versions" % (source.sid, asset), "asset", body,
                                     header)["sid"]
    try:
        sids = client.concurrently([job(n) for n in range(40)])
    finally:
        client.close()
    seen = fresh_sim.concurrency()
    assert len(set(sids)) == 40 and client.uploads == 40
    # Every refusal was the server's, counted once as a retry; none was processed.
    assert seen["refused"][ACCOUNT] == client.retried["429 rate limit"] == client.retries > 0
    assert sorted(v.content for v in source.service.versions.values() if v.resource_sid == asset) \
        == sorted(b"%d" % n for n in range(40))
    assert seen["peak"][ACCOUNT] == 3 and client.budget.cap.lowest <= 5 and client.budget.cap.throttled > 0
    assert client.budget.cap.account_limit == 3  # read from Twilio-Concurrent-Requests


def _get_many(url, directory, slots, count, answers):
    """In another process: ``count`` reads in 10 threads with ``max_concurrent_requests=slots``; report the
    failures and the retries."""
    budget_module.tempfile.tempdir = directory
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": url,
                                                  "retries": 5, "max_concurrent_requests": slots}))

    def job():
        try:
            client.get("/v1/Services", "services")
            return 0
        except TwilioError:
            return 1
    failures = sum(client.concurrently([job] * count))
    client.close()
    answers.put((failures, client.retries))


def run_processes(sim, directory, slots, processes=3, count=12):
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    started = [context.Process(target=_get_many, args=(sim.url, directory, slots, count, answers))
               for dummy in range(processes)]
    for proc in started:
        proc.start()
    found = [answers.get(timeout=60) for dummy in started]
    for proc in started:
        proc.join(10)
    return sum(f for f, r in found), sum(r for f, r in found)


def test_the_machine_wide_budget_keeps_three_processes_under_the_account_limit(fresh_sim, private_tmp):
    fresh_sim.account_concurrency(4)
    fresh_sim.server.latency = 0.05
    failures, retries = run_processes(fresh_sim, private_tmp, 0)
    off = fresh_sim.concurrency()
    assert off["refused"][ACCOUNT] > 0 and retries > 0  # without it Twilio refuses requests (failures: maybe)
    fresh_sim.account_concurrency(4)
    failures, retries = run_processes(fresh_sim, private_tmp, 4)
    on = fresh_sim.concurrency()
    assert (failures, retries, on["refused"]) == (0, 0, {}) and on["peak"][ACCOUNT] == 4


def test_a_failed_request_gives_its_place_back(private_tmp):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens there once closed
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "retries": 0,
                                                  "base_url": "http://127.0.0.1:%d" % port,
                                                  "max_concurrent_requests": 1}))
    client.budget.slot_wait = 2.0  # a slot kept by mistake fails the next request soon
    for dummy in range(3):
        with pytest.raises(TwilioError, match="connection failed"):
            client.get("/v1/Services", "services")
    assert client.budget.cap.in_flight == 0
    other = budget_module.MachineSlots(ACCOUNT, 1)
    other.release(other.acquire(0.1))  # the one slot is free
    client.close()
    directory = budget_module.slot_directory()
    # Only the account SID is written, in a file name; the files are empty.
    assert os.listdir(directory) == [ACCOUNT + ".0"] and os.path.getsize(os.path.join(directory, ACCOUNT + ".0")) == 0


@pytest.mark.parametrize("value, message", [
    (-1, "max_concurrent_requests: -1 is out of range; expected a whole number at least 0 and at most 10000"),
    (10001, "max_concurrent_requests: 10001 is out of range"),
])
def test_a_bad_max_concurrent_requests(value, message):
    with pytest.raises(OptionError, match=message):
        connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "max_concurrent_requests": value})
