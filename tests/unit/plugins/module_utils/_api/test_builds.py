# SPDX-License-Identifier: GPL-3.0-or-later
"""Services and Builds: resolving, filtering, page sizes, and server data taken as untrusted."""

import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    build_status,
    BuildFilter,
    choose_page_size,
    fetch_status,
    list_builds,
    MAX_PAGE_SIZE,
    newest_build_sid,
    read_build,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError

from ....conftest import BIG, EMPTY, SMALL
from ...twilio_variants import serve_variants

UTC = datetime.timezone.utc


def at(hour):
    return datetime.datetime(2026, 11, 24, hour, tzinfo=UTC)


def build(status="completed", runtime="node22", created="2026-11-24T08:00:00Z"):
    return {"status": status, "runtime": runtime, "date_created": created}


def test_resolve_service_by_sid_costs_nothing(sim, client):
    assert resolve_service(client, SMALL) == SMALL and sim.log() == []


def test_resolve_service_by_name(sim, client):
    assert resolve_service(client, "small-app") == SMALL and len(sim.log()) == 1


def test_resolve_service_without_a_sid_in_the_answer(sim, client):
    sim.fault("service", {"json": {"sid": None}})
    with pytest.raises(TwilioError, match="^Twilio answered service 'small-app' without a valid Service SID$"):
        resolve_service(client, "small-app")


def test_filter_matches():
    f = BuildFilter(statuses=["failed"], runtimes=["node20"], created_after=at(7), created_before=at(9))
    assert f.active and f.matches(build("failed", "node20"))
    assert not f.matches(build("completed", "node20")) and not f.matches(build("failed", "node22"))
    assert not f.matches(build("failed", "node20", created="2026-11-24T09:00:00Z"))
    assert not f.matches(build("failed", "node20", created=None))
    assert not BuildFilter().active and BuildFilter().matches({})


def test_filter_window_must_be_open():
    with pytest.raises(OptionError, match="^created_after: 2026-11-24T09:00:00[+]00:00 is not before created_before"):
        BuildFilter(created_after=at(9), created_before=at(8))


def test_past_window():
    f = BuildFilter(created_after=at(8))
    assert f.past_window(build(created="2026-11-24T08:00:00Z")) and not f.past_window(build(created="2026-11-24T09:00Z"))
    assert not f.past_window(build(created=None)) and not BuildFilter().past_window(build())


@pytest.mark.parametrize("page_size, limit, statuses, expected", [
    (7, None, None, 7), (None, 5, None, 5), (None, 5000, None, MAX_PAGE_SIZE), (None, 5, ["failed"], MAX_PAGE_SIZE),
    (None, None, None, MAX_PAGE_SIZE),
])
def test_choose_page_size(page_size, limit, statuses, expected):
    assert choose_page_size(page_size, limit, BuildFilter(statuses=statuses)) == expected


def test_list_builds_counts_pages(sim, client):
    pages = []
    found = list_builds(client, BIG, BuildFilter(), limit=1500, on_page=pages.append)
    assert len(found) == 1500 and len(pages) == 2


def test_newest_build_sid():
    assert newest_build_sid([{"sid": "ZB" + "1" * 32}, {"sid": "ZB" + "2" * 32}], SMALL) == "ZB" + "1" * 32
    with pytest.raises(TwilioError, match="^Service %s has no builds$" % EMPTY):
        newest_build_sid([], EMPTY)
    with pytest.raises(TwilioError, match="without a valid Build SID .sid: None."):
        newest_build_sid([{"status": "building"}], SMALL)


def test_status_that_is_not_a_status_is_none(sim, client):
    sim.fault("build_status", {"json": {"status": "exploded"}}, {"json": {}})
    assert fetch_status(client, SMALL, "ZB00000000000000000000000000000001") is None
    assert fetch_status(client, SMALL, "ZB00000000000000000000000000000001") is None
    assert fetch_status(client, SMALL, "ZB00000000000000000000000000000001") == "completed"


# -- statuses and runtimes in any case (issue 23) ---------------------------------------------------------------

@pytest.mark.parametrize("sent, read", [("completed", "completed"), ("COMPLETED", "completed"), (" Failed ", "failed"),
                                        ("BUILDING", "building"), ("deploying", None), ("QUEUED", None),
                                        ("VERIFIED", None), (None, None), (3, None)])
def test_a_status_is_read_in_any_case_and_an_undocumented_one_is_not_finished(sent, read):
    assert build_status({"status": sent}) == read and read_build({"status": sent})["status"] == read
    assert BuildFilter(statuses=["completed"]).matches(build(status=sent)) == (read == "completed")


def test_the_runtime_filter_reads_the_runtime_in_any_case():
    assert BuildFilter(runtimes=["node22"]).matches(build(runtime="NODE22"))
    assert not BuildFilter(runtimes=["node22"]).matches(build(runtime=None))


def test_read_build_ignores_what_it_does_not_know():
    record = {"sid": "ZB" + "0" * 32, "status": "COMPLETED", "runtime": "Node22", "date_created": "2018-11-10T20:00:00Z",
              "date_updated": None, "brand_new": {"x": [1]}, "pre_signed_upload_url": {"url": "x"}}
    assert read_build(record) == dict(sid="ZB" + "0" * 32, status="completed", runtime="node22",
                                      date_created=datetime.datetime(2018, 11, 10, 20, tzinfo=UTC), date_updated=None)
    assert read_build({"sid": "ZBXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"})["sid"] is None


def test_fetch_status_and_the_newest_build_on_a_server_answering_in_upper_case(sim, client):
    serve_variants(sim)
    assert fetch_status(client, SMALL, "ZB00000000000000000000000000000001") == "completed"
    assert fetch_status(client, SMALL, "ZB00000000000000000000000000000002") == "failed"
    listed = list_builds(client, SMALL, BuildFilter(statuses=["completed"]), limit=2)
    assert [b["status"] for b in listed] == ["COMPLETED", "COMPLETED"]  # the records as Twilio sent them
    assert newest_build_sid(listed, SMALL) == listed[0]["sid"]
