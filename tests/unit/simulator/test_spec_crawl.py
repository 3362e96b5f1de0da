# SPDX-License-Identifier: GPL-3.0-or-later
"""Every route the simulator reads from, walked the way a client finds it and validated against the spec.

From ``/v1/Services`` into one service, the crawl follows what Twilio's answers point at: each record's ``url``, its ``links``
and each page's ``meta.next_page_url``, on a simulator whose resource modules made their samples
(``POST /__sim/samples``). Each answer is validated against Twilio's OpenAPI description (request and
response, by openapi-core), has every key of the description's example for its operation, and enum values of the
documented set (conformance.py): as the spec's examples (the simulator's default, in the examples' case too) and
in the variants mode, with three seeds. A GET route no walk reaches fails the test: a new resource module is
covered here the day it is added, with no edit to this file, as long as its records link to it as Twilio's do.
"""

import time

import pytest
import requests
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from twilio_sim.resources import RESOURCES, ROUTE_TABLE

from ..conftest import ACCOUNT, TOKEN
from .conformance import OPENAPI, problems as conformance_problems

SPEC_HOST = "https://serverless.twilio.com"
SAMPLED = "release-app"
# The modes the crawl runs in: the default, and the variants drawn from three seeds.
MODES = [("spec", 0), ("variants", 1), ("variants", 2), ("variants", 3)]
# A page of at most two records, so that next_page_url is followed too.
PAGE_SIZE = 2


def served(sim, url):
    """Whether the simulator has a resource for the URL's path (Twilio links to some it does not serve yet)."""
    path = url[len(sim.url):].split("?", 1)[0]
    return any(pattern.match(path) for dummy, pattern in RESOURCES)


def get(url, params, attempts=5):
    """A GET as a client makes it: a 429 (the Logs route takes 5 requests a second) waits its Retry-After."""
    for dummy in range(attempts):
        response = requests.get(url, params=params, auth=(ACCOUNT, TOKEN), timeout=10)
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("Retry-After") or 1))
    return response


def crawl(sim, openapi, service_sid, mode="spec"):
    """Walk from /v1/Services into one service; return the URLs fetched, the links to resources not served, and
    every problem found. (The seed's other services hold thousands of builds: walked, they add only time.)"""
    seen, unserved, problems, queue = set(), set(), [], [sim.url + "/v1/Services"]
    inside = sim.url + "/v1/Services/" + service_sid
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if not served(sim, url):
            unserved.add(url.rsplit("/", 1)[-1].split("?", 1)[0])
            continue
        params = {} if "PageSize=" in url else {"PageSize": PAGE_SIZE}
        response = get(url, params)
        if response.status_code != 200:
            problems.append("%s: HTTP %d" % (url, response.status_code))
            continue
        spec_request = requests.Request("GET", response.request.url.replace(sim.url, SPEC_HOST),
                                        headers=dict(response.request.headers)).prepare()
        try:
            openapi.validate_request(RequestsOpenAPIRequest(spec_request))
            openapi.validate_response(RequestsOpenAPIRequest(spec_request), RequestsOpenAPIResponse(response))
        except Exception as err:  # pylint: disable=broad-except
            problems.append("%s: %s" % (url, err))
        problems.extend(conformance_problems("GET", spec_request.url, 200, response.json(), mode))
        queue.extend(link for link in (local(sim, found) for found in pointers(response.json()))
                     if link.startswith(inside) or link.startswith(sim.url + "/v1/Services?"))
    return seen, unserved, problems


def pointers(body):
    """The URLs an answer points at: a record's url and links, a page's records and next page."""
    found = []
    meta = body.get("meta") or {}
    if meta.get("next_page_url"):
        found.append(meta["next_page_url"])
    records = [body]
    if "meta" in body:
        records = body.get(meta.get("key"), [])
    for record in records:
        if not isinstance(record, dict):
            continue
        if record is not body and record.get("url"):
            found.append(record["url"])
        found.extend(link for link in (record.get("links") or {}).values() if link)
    return found


def local(sim, url):
    return url.replace(SPEC_HOST, sim.url)


@pytest.mark.parametrize("mode, seed", MODES, ids=["%s-%d" % m for m in MODES])
def test_every_route_that_reads_is_reached_and_matches_the_spec(fresh_sim, mode, seed):
    service_sid = fresh_sim.call("POST", "/__sim/samples", {"service": SAMPLED})["service_sid"]
    fresh_sim.variants(mode, seed)
    fresh_sim.server.clear_log()

    seen, unserved, problems = crawl(fresh_sim, OPENAPI[mode], service_sid, mode)

    assert not problems, "\n".join(problems)
    print("linked by Twilio's records, not served by the simulator: %s" % ", ".join(sorted(unserved)))
    reached = set(entry["route"] for entry in fresh_sim.log())
    reads = set(route for (method, _resource), (route, _handler) in ROUTE_TABLE.items() if method == "GET")
    assert reads - reached == set(), "GET routes no record links to (give its module a sample())"
    assert len(seen) > len(reads)


@pytest.mark.parametrize("body, expected", [
    ({"meta": {"key": "builds", "next_page_url": "N"}, "builds": [{"url": "U", "links": {"a": "A", "b": None}}]},
     ["N", "U", "A"]),
    ({"url": "self", "links": {"status": "S"}}, ["S"]),
    ({"meta": {"key": "x"}, "x": ["not a record"]}, []),
])
def test_pointers(body, expected):
    assert pointers(body) == expected
