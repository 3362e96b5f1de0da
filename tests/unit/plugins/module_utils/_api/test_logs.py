# SPDX-License-Identifier: GPL-3.0-or-later
"""Logs: the options checked before any request, and a window read whole against the simulator: every log once,
over pages listed out of order, at most 5 listings a second, windows past 10,000 logs split."""

import datetime
import time

import pytest
import requests

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import logs
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, FakeClock, TOKEN

RELEASE = "ZS77777777777777777777777777777777"
LIVE = "ZB000000000000000000000000000000a2"  # live in stage-environment
OTHER = "ZB000000000000000000000000000000a1"
F1, F2 = "ZH" + "f1" * 16, "ZH" + "f2" * 16
NOW = datetime.datetime(2026, 11, 24, 9, 0, 0, tzinfo=datetime.timezone.utc)


# -- options, before any request ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("INFO", "info"), ("WARN", "warn"), ("warning", "warn"), ("Warning", "warn"), ("error", "error"),
    (" Error ", "error"), ("debug", "debug"), ("", None), (None, None), (3, None),
])
def test_levels_are_read_in_any_case_and_warning_is_warn(value, expected):
    assert logs.read_level(value) == expected


def test_level_option():
    assert logs.check_levels(["ERROR", "Warning", "warn"]) == frozenset(["error", "warn"])
    assert logs.check_levels(None) is None and logs.check_levels([]) is None
    with pytest.raises(OptionError, match="^level: 'debug' is not a log level; expected info, warn"):
        logs.check_levels(["info", "debug"])


@pytest.mark.parametrize("since, until, expected", [
    (None, None, ("2026-11-24T08:00:00", "2026-11-24T09:00:00")),
    ("15m", None, ("2026-11-24T08:45:00", "2026-11-24T09:00:00")),
    ("2h", "1h", ("2026-11-24T07:00:00", "2026-11-24T08:00:00")),
    ("1d", None, ("2026-11-23T09:00:00", "2026-11-24T09:00:00")),
    ("1h30m", None, ("2026-11-24T07:30:00", "2026-11-24T09:00:00")),
    ("1w", "6d", ("2026-11-17T09:00:00", "2026-11-18T09:00:00")),
    (None, "2026-11-24T06:00:00Z", ("2026-11-24T05:00:00", "2026-11-24T06:00:00")),
    ("2026-11-24T07:59:59.9+01:00", "2026-11-24T08:00:00.1Z", ("2026-11-24T06:59:59", "2026-11-24T08:00:01")),
    ("2026-11-24", "30s", ("2026-11-24T00:00:00", "2026-11-24T08:59:30")),
])
def test_window(since, until, expected):
    start, end = logs.check_window(since, until, NOW)
    assert (start.isoformat()[:19], end.isoformat()[:19]) == expected


@pytest.mark.parametrize("since, until, message", [
    ("1h", "2h", r"^since: '1h' \(2026-11-24T08:00:00Z\) is not before until \(2026-11-24T07:00:00Z\)"),
    ("2026-11-24T09:00:00Z", None, "^since: .* is not before until"),
    (None, "0001-01-01T00:00:00Z", "^until: .* leaves no window"),
    ("yesterday", None, "^since: 'yesterday' is neither an ISO 8601 date-time nor a duration"),
    (None, "15 min", "^until: '15 min' is neither"),
    ("-15m", None, "^since: '-15m' is neither"),
    ("99999999999w", None, "^since: '99999999999w' is further back than a date can be"),
    ("2026-11-24T08:00:00+25:00", None, "^since: .* is neither"),
])
def test_bad_window(since, until, message):
    with pytest.raises(OptionError, match=message):
        logs.check_window(since, until, NOW)


def test_other_options():
    query = logs.check_log_options({"function": "/hello", "build": LIVE, "level": ["Error"], "limit": 5}, NOW)
    assert (query.function, query.build, query.levels, query.limit) == ("/hello", LIVE, frozenset(["error"]), 5)
    assert logs.check_log_options({"function": F1}, NOW).function == F1


@pytest.mark.parametrize("options, message", [
    ({"function": "hello"}, "^function: 'hello' is neither a function path"),
    ({"function": "ZH123"}, "^function: 'ZH123' is not a valid Function or Asset SID"),
    ({"function": " "}, "^function: an empty value names no function"),
    ({"build": "ZD" + "0" * 32}, "^build: .* is a Deployment SID, not a Build SID"),
    ({"deployment": "ZB" + "0" * 32}, "^deployment: .* is a Build SID, not a Deployment SID"),
    ({"limit": 0}, "^limit: 0 is out of range; expected a whole number at least 1"),
    ({"level": ["fatal"]}, "^level: 'fatal' is not a log level"),
])
def test_bad_options(options, message):
    with pytest.raises(OptionError, match=message):
        logs.check_log_options(options, NOW)


def test_retention_warning():
    assert logs.retention_warning(NOW - datetime.timedelta(days=30), NOW) is None
    assert "Twilio keeps logs for 30 days" in logs.retention_warning(NOW - datetime.timedelta(days=31), NOW)


def test_functions_by_path():
    paths = logs.function_paths({"/hello": F1, "/sms/reply": F2})
    assert paths == {F1: "/hello", F2: "/sms/reply"}
    assert logs.find_function(paths, "/sms/reply", RELEASE) == F2
    assert logs.find_function({}, F1, RELEASE) == F1
    with pytest.raises(OptionError, match="^function: '/nope' is not a function of service ZS7+; it has /hello, "
                                          "/sms/reply$"):
        logs.find_function(paths, "/nope", RELEASE)


def test_shape_and_counts():
    shaped = [logs.shape_log(record, {F1: "/hello"}) for record in (
        {"sid": "NO1", "level": "WARNING", "function_sid": F1, "message": "m", "date_created": "2026-11-24T08:00:00Z",
         "build_sid": LIVE, "deployment_sid": None, "request_sid": "RQ1", "url": "u", "extra": 1},
        {"sid": "NO2", "level": "DEBUG", "function_sid": F2, "message": 7},
        {"sid": "NO3"})]
    assert shaped[0] == {"sid": "NO1", "date_created": "2026-11-24T08:00:00Z", "level": "warn", "message": "m",
                         "function_sid": F1, "function_path": "/hello", "build_sid": LIVE, "deployment_sid": None,
                         "request_sid": "RQ1"}
    assert shaped[1]["function_path"] is None and shaped[1]["message"] is None and shaped[1]["level"] == "debug"
    assert logs.count_levels(shaped) == {"info": 0, "warn": 1, "error": 0, "debug": 1, "unknown": 1}


def test_the_pacer_waits_for_the_answer_five_requests_back():
    clock = FakeClock()
    pacer = logs.Pacer(clock, clock.sleep)
    starts, answers = [], []
    for dummy in range(12):
        pacer.wait()
        starts.append(clock())
        clock.now += 0.05  # the request takes 50 ms
        pacer.answered()
        answers.append(clock())
    assert starts[:5] == pytest.approx([1000.0, 1000.05, 1000.1, 1000.15, 1000.2])  # no wait for the first five
    assert all(starts[i] >= answers[i - 5] + 1.0 - 1e-9 for i in range(5, 12))
    assert starts[5] == pytest.approx(answers[0] + 1.0)


# -- against the simulator --------------------------------------------------------------------------------

def seed(sim, **body):
    """Logs seeded in release-app's stage-environment (see POST /__sim/logs); their SIDs, oldest first."""
    body = dict(dict(service=RELEASE, environment="stage-environment"), **body)
    return sim.call("POST", "/__sim/logs", body)["sids"]


def make_client(sim, clock=None, retries=5):
    connection = connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url,
                                         "retries": retries, "request_timeout": 10.0, "validate_certs": True})
    if clock is None:
        return TwilioClient(connection)
    return TwilioClient(connection, clock=clock, sleep=clock.sleep)


@pytest.fixture
def stage(fresh_sim):
    """(simulator, environment SID) of release-app's stage-environment, its Logs rate limit off: these tests
    run on a fake clock, which the pacing follows but the simulator does not."""
    fresh_sim.call("POST", "/__sim/logs", {"rate_limit": None})
    service = fresh_sim.server.store.services[RELEASE]
    return fresh_sim, next(e.sid for e in service.environments if e.unique_name == "stage-environment")


def read(sim, env_sid, clock=None, function_sid=None, client=None, **options):
    options.setdefault("since", "2h")
    query = logs.check_log_options(options, logs.utc_now())
    client = client or make_client(sim, clock or FakeClock())
    try:
        return logs.read_logs(client, RELEASE, env_sid, query, function_sid)
    finally:
        client.close()


def listings(sim):
    return [entry for entry in sim.log() if entry["route"] == "logs"]


def inversions(found, seeded):
    """How many neighbours of ``found`` (newest first) are in creation order, oldest first: out of order."""
    made = dict((sid, position) for position, sid in enumerate(seeded))
    order = [made[log["sid"]] for log in found]
    return sum(1 for a, b in zip(order, order[1:]) if a < b)


def test_every_log_of_a_build_once_over_pages_out_of_order_at_5_per_second(fresh_sim):
    """Real time, and the simulator's limit on: its log proves no second saw more than 5 listings."""
    service = fresh_sim.server.store.services[RELEASE]
    env_sid = next(e.sid for e in service.environments if e.unique_name == "stage-environment")
    live = seed(fresh_sim, count=6000, oldest=1800, build_sid=LIVE, levels=["info", "warn", "error"])
    seed(fresh_sim, count=3000, oldest=1800, build_sid=OTHER)
    fresh_sim.server.clear_log()

    found = read(fresh_sim, env_sid, client=make_client(fresh_sim), build=LIVE, limit=None, since="1h")

    sids = [log["sid"] for log in found.logs]
    assert len(sids) == len(set(sids)) == 6000 and set(sids) == set(live)
    assert all(log["build_sid"] == LIVE for log in found.logs) and not found.truncated and found.windows == 1
    dates = [log["date_created"] for log in found.logs]
    assert dates == sorted(dates, reverse=True)
    assert inversions(found.logs, live) > 100  # Twilio's order within a second is not the order logs were made
    asked = listings(fresh_sim)
    assert len(asked) == 9 and [entry["status"] for entry in asked] == [200] * 9
    times = [entry["time"] for entry in asked]
    assert all(times[i + 5] - times[i] > 1.0 for i in range(len(times) - 5)), times


def test_a_window_past_10000_logs_is_split_in_halves_and_each_log_kept_once(stage):
    sim, env_sid = stage
    seeded = seed(sim, count=12000, oldest=3000, newest=1)
    sim.server.clear_log()

    found = read(sim, env_sid, since="1h", limit=None)

    sids = [log["sid"] for log in found.logs]
    assert len(sids) == len(set(sids)) == 12000 and set(sids) == set(seeded)
    assert found.windows == 3 and not found.truncated and found.unsplit == []
    windows = []
    for entry in listings(sim):
        window = (entry["query"]["StartDate"], entry["query"]["EndDate"])
        if window not in windows:
            windows.append(window)
    (since, until), newer, older = windows
    assert newer[1] == until and older[0] == since and newer[0] == older[1] > since
    middle = datetime.datetime.strptime(newer[0], "%Y-%m-%dT%H:%M:%SZ")
    start = datetime.datetime.strptime(since, "%Y-%m-%dT%H:%M:%SZ")
    assert (middle - start).total_seconds() == 1800
    # The whole window gave 10 pages (the cap), then each half all of its own.
    assert len(listings(sim)) == 10 + 13


def test_a_second_past_10000_logs_cannot_be_split_and_says_so(stage):
    sim, env_sid = stage
    hot = int(time.time()) - 100
    age = time.time() - hot - 0.5
    seed(sim, count=10050, oldest=age, newest=age)
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    since = datetime.datetime.fromtimestamp(hot - 1, datetime.timezone.utc).strftime(stamp)
    until = datetime.datetime.fromtimestamp(hot + 3, datetime.timezone.utc).strftime(stamp)

    found = read(sim, env_sid, since=since, until=until, limit=None)

    sids = [log["sid"] for log in found.logs]
    assert len(sids) == len(set(sids)) == 10000
    assert found.truncated and found.unsplit and all((b - a).total_seconds() < 2 for a, b in found.unsplit)


def test_limit_reads_one_page_of_that_size(stage):
    sim, env_sid = stage
    seeded = seed(sim, count=30, oldest=3000)
    found = read(sim, env_sid, limit=10)
    assert [log["sid"] for log in found.logs] == list(reversed(seeded))[:10] and found.truncated
    assert [entry["query"]["PageSize"] for entry in listings(sim)] == ["10"]


def test_limit_with_a_filter_stops_at_the_end_of_the_page_it_is_reached_on(stage):
    sim, env_sid = stage
    seed(sim, count=2500, oldest=3000, levels=["info", "info", "error"])
    found = read(sim, env_sid, level=["ERROR"], limit=5)
    assert len(found.logs) == 5 and found.truncated and all(log["level"] == "ERROR" for log in found.logs)
    assert [entry["query"]["PageSize"] for entry in listings(sim)] == ["1000"]


def test_everything_matching_with_no_more_to_read_is_not_truncated(stage):
    sim, env_sid = stage
    seed(sim, count=10, oldest=3000)
    found = read(sim, env_sid, limit=10)
    assert len(found.logs) == 10 and not found.truncated


def test_levels_in_any_case_and_the_function_filter_is_twilio_s(stage):
    sim, env_sid = stage
    seed(sim, count=8, oldest=600, levels=["info", "warning", "ERROR", "Warn"], function_sids=[F1, F2])
    found = read(sim, env_sid, function_sid=F1, level=["warn", "Error"])
    assert [entry["query"]["FunctionSid"] for entry in listings(sim)] == [F1]
    assert {log["level"] for log in found.logs} == {"ERROR"}  # F1 logged info and ERROR in turn
    found = read(sim, env_sid, level=["warn"])
    assert {log["level"] for log in found.logs} == {"WARNING", "WARN"} and len(found.logs) == 4


def test_a_429_is_retried_after_its_retry_after(stage):
    sim, env_sid = stage
    seed(sim, count=3)
    sim.fault("logs", {"status": 429, "retry_after": 1})
    clock = FakeClock()
    found = read(sim, env_sid, clock=clock)
    assert len(found.logs) == 3 and 1.0 in clock.slept
    assert [entry["status"] for entry in listings(sim)] == [429, 200]


def test_a_next_page_off_the_api_host_is_refused(stage):
    sim, env_sid = stage
    seed(sim, count=3)
    sim.fault("logs", {"next_page_url": "https://collector.example.com/v1/Logs?PageSize=2"})
    with pytest.raises(TwilioError, match="Refused to request https://collector.example.com/.*not on the configured"):
        read(sim, env_sid)
    assert len(listings(sim)) == 1


# -- the simulator's limits, as Twilio documents them -------------------------------------------------------

def test_the_simulator_takes_5_listings_a_second_and_any_number_of_fetches(fresh_sim):
    sids = seed(fresh_sim, count=2)
    service = fresh_sim.server.store.services[RELEASE]
    env_sid = next(e.sid for e in service.environments if e.unique_name == "stage-environment")
    url = "%s/v1/Services/%s/Environments/%s/Logs" % (fresh_sim.url, RELEASE, env_sid)
    with requests.Session() as session:
        session.auth = (ACCOUNT, TOKEN)
        started = time.monotonic()
        answers = [session.get(url, timeout=10) for dummy in range(6)]
        if time.monotonic() - started >= 1.0:
            # The simulator's limit counts wall-clock seconds: on a machine too loaded to send six requests in one,
            # no 429 is due and the check below would say nothing. The client's pacing, the promise users rely on,
            # is held by the request-log test above on any machine; this one checks only the stand-in's limit.
            pytest.skip("six requests took a second or more on this machine: the limit could not be reached")
        fetched = [session.get("%s/%s" % (url, sids[0]), timeout=10).status_code for dummy in range(8)]
    assert [a.status_code for a in answers] == [200] * 5 + [429], [a.status_code for a in answers]
    assert answers[5].headers["Retry-After"] == "1" and answers[5].json()["code"] == 20429
    assert fetched == [200] * 8
    levels = [log["level"] for log in answers[0].json()["logs"]]
    assert levels and all(level == level.upper() for level in levels)
