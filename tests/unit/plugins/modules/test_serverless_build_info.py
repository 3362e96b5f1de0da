# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build_info's run() against the simulator: filters, limits and what each costs."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as mod

from ...conftest import BIG, SMALL
from .conftest import FakeModule


def params(**overrides):
    base = dict(service=BIG, sids=None, status=None, runtime=None, created_after=None, created_before=None,
                limit=None, page_size=None, fields=None)
    base.update(overrides)
    return base


def run(client, **overrides):
    return mod.run(FakeModule(params(**overrides)), client, copy.deepcopy(mod.BLANK_RESULT))


def test_all_2500_in_3_requests(sim, client):
    result = run(client)
    assert len(result["builds"]) == 2500
    assert result["stats"]["pages"] == 3 and (client.sent_requests, client.retries) == (3, 0)
    assert [e["query"]["PageSize"] for e in sim.log()] == ["1000"] * 3


def test_newest_completed_in_one_request(sim, client):
    result = run(client, status=["completed"], limit=1)
    assert result["builds"][0]["status"] == "completed" and len(result["builds"]) == 1
    assert len(sim.log()) == 1


def test_five_newest_in_one_request_of_page_size_5(sim, client):
    result = run(client, limit=5)
    assert len(result["builds"]) == 5
    assert [e["query"]["PageSize"] for e in sim.log()] == ["5"]
    dates = [b["date_created"] for b in result["builds"]]
    assert dates == sorted(dates, reverse=True)


def test_filters_status_and_runtime(sim, client):
    result = run(client, status=["failed"], runtime=["node18", "node20"])
    assert result["builds"] and all(b["status"] == "failed" and b["runtime"] in ("node18", "node20")
                                    for b in result["builds"])
    everything = run(client)["builds"]
    expected = [b for b in everything if b["status"] == "failed" and b["runtime"] in ("node18", "node20")]
    assert result["builds"] == expected


def test_created_after_stops_paging_early(sim, client):
    everything = run(client)["builds"]
    sim.server.clear_log()
    cutoff = everything[30]["date_created"]
    result = run(client, created_after=cutoff)
    assert [b["sid"] for b in result["builds"]] == [b["sid"] for b in everything[:30]]
    assert len(sim.log()) == 1


def test_created_window(sim, client):
    everything = run(client)["builds"]
    result = run(client, created_after=everything[20]["date_created"], created_before=everything[10]["date_created"])
    assert [b["sid"] for b in result["builds"]] == [b["sid"] for b in everything[11:20]]


def test_unknown_runtime_matches_nothing(sim, client):
    assert run(client, runtime=["node99"])["builds"] == []


def test_fetch_by_sids_in_given_order(sim, client):
    sids = ["ZB00000000000000000000000000000003", "ZB00000000000000000000000000000001"]
    result = run(client, service="small-app", sids=sids)
    assert [b["sid"] for b in result["builds"]] == sids and result["service_sid"] == SMALL
    assert [e["route"] for e in sim.log()] == ["service", "build", "build"]


def test_unknown_sid_fails_naming_it(sim, client):
    with pytest.raises(TwilioError) as info:
        run(client, service=SMALL, sids=["ZB" + "e" * 32])
    assert info.value.msg.startswith("Build ZB%s of service %s was not found (HTTP 404" % ("e" * 32, SMALL))


def test_unknown_service_fails_naming_it(sim, client):
    with pytest.raises(TwilioError) as info:
        run(client, service="no-such-app")
    assert info.value.msg.startswith("Service 'no-such-app' was not found (HTTP 404")


@pytest.mark.parametrize("overrides, fragment", [
    ({"service": "a/b"}, "service: 'a/b' is neither a Service SID"),
    ({"sids": ["ZB1"]}, "sids: 'ZB1' is not a valid Build SID"),
    ({"created_after": "yesterday"}, "created_after: 'yesterday' is not an ISO 8601 date-time"),
    ({"created_before": "2026-13-01"}, "created_before: '2026-13-01' is not an ISO 8601"),
    ({"created_after": "2026-11-02", "created_before": "2026-11-01"}, "created_after: 2026-11-02T00:00:00+00:00 is not"),
    ({"page_size": 0}, "page_size: 0 is out of range; expected a whole number at least 1 and at most 1000"),
    ({"page_size": 1001}, "page_size: 1001 is out of range"),
    ({"limit": 0}, "limit: 0 is out of range; expected a whole number at least 1"),
    ({"runtime": [""]}, "runtime: an empty runtime name"),
])
def test_bad_input_fails_before_any_request(sim, client, overrides, fragment):
    with pytest.raises(OptionError) as info:
        run(client, **overrides)
    assert fragment in str(info.value)
    assert sim.log() == [] and client.sent_requests == 0


def test_fields_keep_only_what_was_asked(sim, client):
    result = run(client, status=["failed"], limit=3, fields=["sid", "status", "date_created"])
    assert len(result["builds"]) == 3
    assert all(set(b) == {"sid", "status", "date_created"} and b["status"] == "failed" for b in result["builds"])


def test_fields_with_sids(sim, client):
    result = run(client, service="small-app", sids=["ZB00000000000000000000000000000002"], fields=["runtime"])
    assert result["builds"] == [{"runtime": "node20"}]


# The happy path of this module for test_contract.py (gathered by conftest.py).
@pytest.fixture
def contract_serverless_build_info(sim):
    return {"sim": sim, "args": {"service": "small-app", "status": ["completed"], "limit": 2}}
