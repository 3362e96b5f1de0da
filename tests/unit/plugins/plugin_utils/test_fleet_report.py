# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet report's logic, over hosts' variables as a play leaves them: finished, failed, failed its verify."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.plugin_utils._fleet_report import (
    FleetReportError,
    fleet_report,
    ROW_KEYS,
)

SHA_A, SHA_B = "a" * 64, "b" * 64
AC1, AC2 = "AC" + "1" * 32, "AC" + "2" * 32
# Each account has its own services, so the same SID in two accounts is still two services.
SERVICE_SIDS = {"ivr": "ZS" + "5" * 32, "web": "ZS" + "6" * 32}


def env(name, before="ZB" + "0" * 32, after="ZB" + "1" * 32, changed=True, verified=True, sha=SHA_A):
    return dict(environment=name, build_before=before, build_after=after, changed=changed, runtime="node22",
                verified=verified, source_sha256=sha)


def host(account, service, *environments, **more):
    report = dict(service=service, service_sid=SERVICE_SIDS[service], build_sid="ZB" + "1" * 32, complete=True,
                  environments=list(environments))
    found = dict(twilio_subaccount_sid=account, twilio_account_friendly_name="Helpline " + account[-1],
                 twilio_service=service, release_report=report)
    found.update(more)
    return found


def fleet():
    return {
        "one_ivr": host(AC1, "ivr", env("staging"), env("production")),
        "one_web": host(AC1, "web", env("staging", changed=False, before="ZB" + "1" * 32), env("production")),
        "two_ivr": host(AC2, "ivr", env("staging"), env("production")),
    }


def test_a_fleet_that_released_one_source_everywhere():
    report = fleet_report(fleet())
    assert [(r["host"], r["environment"]) for r in report["rows"]] == [
        ("one_ivr", "staging"), ("one_ivr", "production"), ("one_web", "staging"), ("one_web", "production"),
        ("two_ivr", "staging"), ("two_ivr", "production")]
    assert all(sorted(r) == sorted(ROW_KEYS) for r in report["rows"])
    assert report["rows"][0] == dict(
        host="one_ivr", account_sid=AC1, account_name="Helpline 1", service="ivr", service_sid="ZS" + "5" * 32,
        environment="staging", build_before="ZB" + "0" * 32, build_after="ZB" + "1" * 32, changed=True,
        runtime="node22", verified=True, source_sha256=SHA_A, failed=False, error=None)
    assert report["summary"] == dict(
        hosts=3, accounts=2, services=3, changed=3, failed=0, verify_failed=0, same_source=True,
        sources={SHA_A: ["one_ivr", "one_web", "two_ivr"]}, unknown_source=[], failed_hosts=[],
        verify_failed_hosts=[], changed_hosts=["one_ivr", "one_web", "two_ivr"])


def test_failed_hosts_are_counted_never_dropped():
    hosts = fleet()
    hosts["two_ivr"]["release_report"]["complete"] = False  # stopped half-way, no rescue
    hosts["three_ivr"] = dict(twilio_subaccount_sid="AC" + "3" * 32, twilio_service="ivr",
                              fleet_error="Twilio rejected the credentials")  # failed before the role set anything
    report = fleet_report(hosts, ["one_ivr", "one_web", "two_ivr", "three_ivr", "four_ivr"])
    summary = report["summary"]
    assert summary["failed_hosts"] == ["four_ivr", "three_ivr", "two_ivr"] and summary["failed"] == 3
    assert summary["hosts"] == 5 and summary["accounts"] == 4  # four_ivr has no account SID: the main account
    three = [r for r in report["rows"] if r["host"] == "three_ivr"]
    assert three == [dict(three[0], environment=None, failed=True, error="Twilio rejected the credentials",
                          source_sha256=None)]
    assert [r["error"] for r in report["rows"] if r["host"] == "four_ivr"] == [
        "no release_report: the release did not start, or failed before it"]
    assert "did not finish" in [r for r in report["rows"] if r["host"] == "two_ivr"][0]["error"]
    # Their source is unknown, so it is not the same source everywhere even though every digest known agrees.
    assert summary["unknown_source"] == ["four_ivr", "three_ivr"] and summary["same_source"] is False


def test_a_failed_verify_and_two_sources():
    hosts = fleet()
    hosts["one_web"]["release_report"]["environments"][1].update(verified=False, source_sha256=SHA_B)
    hosts["one_web"]["release_report"]["complete"] = False
    summary = fleet_report(hosts)["summary"]
    assert summary["verify_failed_hosts"] == ["one_web"] and summary["verify_failed"] == 1
    assert summary["sources"] == {SHA_A: ["one_ivr", "one_web", "two_ivr"], SHA_B: ["one_web"]}
    assert summary["same_source"] is False


def test_an_unknown_digest_is_not_the_same_source():
    hosts = fleet()
    hosts["one_ivr"]["release_report"]["environments"][0]["source_sha256"] = None
    summary = fleet_report(hosts)["summary"]
    assert summary["unknown_source"] == ["one_ivr"] and summary["same_source"] is False
    assert fleet_report({})["summary"]["same_source"] is False  # nothing released is not "the same everywhere"


def test_records_handed_on_as_a_list_read_as_hostvars():
    hosts = fleet()
    records = [dict(variables, host=name) for name, variables in hosts.items()]
    assert fleet_report(records) == fleet_report(hosts)
    assert fleet_report(records, ["two_ivr", "gone"])["summary"]["failed_hosts"] == ["gone"]


def test_unreadable_records_are_rows_not_crashes():
    odder = {"complete": True, "environments": "x"}
    hosts = {"odd": dict(release_report="not a mapping"), "odder": dict(release_report=odder)}
    rows = fleet_report(hosts)["rows"]
    assert [(r["host"], r["failed"], r["environment"]) for r in rows] == [("odd", True, None), ("odder", False, None)]


@pytest.mark.parametrize("given, hosts, message", [
    ("text", None, "fleet_report: expected hostvars (a mapping of host to its variables) or a list of records each "
                   "with a host, got str"),
    ([{"release_report": {}}], None, "fleet_report: item 0 of the list is not a record with a host name"),
    ({}, "all", "fleet_report: hosts must be a list of host names, such as ansible_play_hosts_all; got str"),
    ({"a": 1}, None, "fleet_report: host a has no variables here (not a host of the inventory?)"),
])
def test_bad_input_is_named(given, hosts, message):
    with pytest.raises(FleetReportError) as caught:
        fleet_report(given, hosts)
    assert str(caught.value).startswith(message)
