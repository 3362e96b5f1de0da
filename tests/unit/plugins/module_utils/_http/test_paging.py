# SPDX-License-Identifier: GPL-3.0-or-later
"""Paging over the simulator: whole listings, early stop, and next pages that must not be followed."""

import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records

from ....conftest import BIG, EMPTY

BUILDS = "/v1/Services/%s/Builds" % BIG


def client_for(connection, **overrides):
    return TwilioClient(connection(**overrides), sleep=lambda s: None)


def test_2500_builds_in_3_requests_on_one_connection(sim, connection):
    client = client_for(connection)
    records = list(iter_records(client, BUILDS, "builds", params={"PageSize": 1000}))
    assert len(records) == 2500
    assert len({r["sid"] for r in records}) == 2500
    log = sim.log()
    assert len(log) == 3
    assert len({e["connection"] for e in log}) == 1
    assert [e["query"].get("Page") for e in log] == [None, "1", "2"]
    dates = [r["date_created"] for r in records]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_early_stop_reads_one_page(sim, connection):
    client = client_for(connection)
    first = list(itertools.islice(iter_records(client, BUILDS, "builds", params={"PageSize": 5}), 5))
    assert len(first) == 5 and len(sim.log()) == 1


def test_many_small_pages(sim, connection):
    client = client_for(connection)
    records = list(iter_records(client, BUILDS, "builds", params={"PageSize": 100}))
    assert len(records) == 2500 and len(sim.log()) == 25


def test_empty_listing(sim, connection):
    client = client_for(connection)
    assert list(iter_records(client, "/v1/Services/%s/Builds" % EMPTY, "builds")) == []
    assert len(sim.log()) == 1


def test_on_page_sees_every_page(sim, connection):
    pages = []
    client = client_for(connection)
    list(iter_records(client, BUILDS, "builds", params={"PageSize": 1000}, on_page=pages.append))
    assert [p["meta"]["page"] for p in pages] == [0, 1, 2]


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append(dict(self.headers.items()))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def other_host():
    """A second listener on 127.0.0.1 that records whatever reaches it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_next_page_on_another_host_is_refused(sim, connection, other_host):
    foreign = "http://127.0.0.1:%d/v1/Services/%s/Builds?Page=1" % (other_host.server_address[1], BIG)
    sim.fault("builds", {"next_page_url": foreign})
    client = client_for(connection)
    with pytest.raises(TwilioError) as info:
        list(iter_records(client, BUILDS, "builds", params={"PageSize": 10}))
    assert info.value.msg == "Refused to request %s for builds: it is not on the configured API host %s" % (
        foreign, sim.url)
    assert other_host.seen == []
    assert len(sim.log()) == 1


def test_next_page_downgraded_to_http_is_refused(sim, connection):
    sim.fault("builds", {"next_page_url": sim.url.replace("http://", "https://") + BUILDS + "?Page=1"})
    client = client_for(connection)
    with pytest.raises(TwilioError, match="Refused to request https://"):
        list(iter_records(client, BUILDS, "builds", params={"PageSize": 10}))


def test_failing_page_fails_the_listing(sim, connection):
    # the first page is answered normally, every later request with 503
    sim.fault("builds", {"delay": 0.0}, {"status": 503, "times": -1})
    client = client_for(connection, retries=2)
    received = []
    with pytest.raises(TwilioError) as info:
        for record in iter_records(client, BUILDS, "builds", params={"PageSize": 1000}):
            received.append(record)
    assert info.value.http_status == 503 and "gave up after 2 retries" in info.value.msg
    assert len(received) == 1000  # the caller saw the first page, then an error, never a silent end
    assert len(sim.log()) == 4


def test_page_without_records_is_an_error(sim, connection):
    sim.fault("builds", {"status": 200, "json": {"meta": {"key": "builds"}}})
    with pytest.raises(TwilioError, match="no list of records"):
        list(iter_records(client_for(connection), BUILDS, "builds"))


def test_next_page_loop_is_stopped(sim, connection):
    loop = sim.url + BUILDS + "?PageSize=1&Page=0"
    sim.fault("builds", {"next_page_url": loop, "times": -1})
    with pytest.raises(TwilioError, match="already read"):
        list(iter_records(client_for(connection), BUILDS, "builds", params={"PageSize": 1}))
