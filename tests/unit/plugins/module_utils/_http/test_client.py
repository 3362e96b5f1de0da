# SPDX-License-Identifier: GPL-3.0-or-later
"""The real client against the simulator over loopback: auth, retries, error shapes."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.version import COLLECTION_VERSION
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient

from ....conftest import API_KEY, API_SECRET, SMALL, TOKEN

BUILD = "ZB00000000000000000000000000000001"
STATUS_PATH = "/v1/Services/%s/Builds/%s/Status" % (SMALL, BUILD)


class Sleeps(list):
    """An injected sleep: records each wait instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


def make_client(connection, **overrides):
    sleeps = Sleeps()
    client = TwilioClient(connection(**overrides), sleep=sleeps, rand=lambda: 0.5)
    return client, sleeps


def test_auth_token(sim, connection):
    client, dummy = make_client(connection)
    assert client.get(STATUS_PATH, "build status")["status"] == "completed"
    assert sim.log()[0]["user"] == "AC11111111111111111111111111111111"


def test_api_key_wins_over_auth_token(sim, connection):
    client, dummy = make_client(connection, api_key=API_KEY, api_secret=API_SECRET, auth_token="wrong")
    assert client.get(STATUS_PATH, "build status")["sid"] == BUILD
    assert sim.log()[0]["user"] == API_KEY


@pytest.mark.parametrize("overrides", [{"auth_token": "wrong"}, {"api_key": API_KEY, "api_secret": "wrong"}])
def test_bad_credentials_fail_once_with_credentials_message(sim, connection, overrides):
    client, sleeps = make_client(connection, **overrides)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    err = info.value
    assert err.http_status == 401 and err.code == 20003
    assert "check account_sid and auth_token" in err.msg
    assert err.more_info == "https://www.twilio.com/docs/errors/20003"
    assert err.request_id.startswith("RQ")
    assert len(sim.log()) == 1 and sleeps == []
    assert TOKEN not in err.msg and "wrong" not in err.msg


def test_user_agent_names_collection(sim, connection):
    client, dummy = make_client(connection)
    client.get(STATUS_PATH, "build status")
    assert sim.log()[0]["headers"]["User-Agent"].startswith("twilio_community.serverless/%s " % COLLECTION_VERSION)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retried_statuses_then_success(sim, connection, status):
    sim.fault("build_status", {"status": status, "times": 2})
    client, sleeps = make_client(connection)
    assert client.get(STATUS_PATH, "build status")["status"] == "completed"
    assert [e["status"] for e in sim.log()] == [status, status, 200]
    # equal jitter with rand()=0.5: 0.75 of 0.5 s, then of 1 s
    assert sleeps == [0.375, 0.75]
    assert client.sent_requests == 3 and client.retries == 2


def test_retry_after_seconds_is_honoured(sim, connection):
    sim.fault("build_status", {"status": 429, "retry_after": "3"})
    client, sleeps = make_client(connection)
    client.get(STATUS_PATH, "build status")
    assert sleeps == [3.0]


def test_retry_after_http_date_is_honoured(sim, connection):
    sim.fault("build_status", {"status": 503, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    client, sleeps = make_client(connection)
    client.get(STATUS_PATH, "build status")
    assert sleeps == [0.0]  # a date in the past means: retry now


def test_retry_bound(sim, connection):
    sim.fault("build_status", {"status": 429, "times": -1})
    client, sleeps = make_client(connection, retries=3)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    assert len(sim.log()) == 4 and len(sleeps) == 3
    assert info.value.http_status == 429 and info.value.code == 20429
    assert "rate-limited" in info.value.msg and "gave up after 3 retries" in info.value.msg


def test_no_retry_on_404(sim, connection):
    client, sleeps = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.get("/v1/Services/%s/Builds/ZB%s/Status" % (SMALL, "f" * 32), "build ZBfff")
    assert info.value.http_status == 404 and info.value.code == 20404
    assert info.value.msg.startswith("Build ZBfff was not found (HTTP 404, Twilio error 20404: ")
    assert len(sim.log()) == 1 and sleeps == []


@pytest.mark.parametrize("fault", [{"drop": True}, {"short": True}])
def test_broken_connection_is_retried(sim, connection, fault):
    sim.fault("build_status", fault)
    client, sleeps = make_client(connection)
    assert client.get(STATUS_PATH, "build status")["status"] == "completed"
    assert len(sim.log()) == 2 and len(sleeps) == 1


def test_slow_answer_times_out_and_is_retried(sim, connection):
    sim.fault("build_status", {"delay": 1.0})
    client, dummy = make_client(connection, request_timeout=0.2)
    assert client.get(STATUS_PATH, "build status")["status"] == "completed"
    assert len(sim.log()) == 2


def test_timeout_message_after_retries(sim, connection):
    sim.fault("build_status", {"delay": 0.6, "times": 2})
    client, dummy = make_client(connection, request_timeout=0.2, retries=1)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    assert "within 0.2 seconds (request_timeout)" in info.value.msg
    assert "gave up after 1 retries" in info.value.msg


def test_html_error_page(sim, connection):
    sim.fault("build_status", {"status": 502, "body": "html"})
    client, dummy = make_client(connection, retries=0)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    assert info.value.http_status == 502 and info.value.code is None
    assert "HTTP 502" in info.value.msg and "502 Bad Gateway" in info.value.msg
    assert "<" not in info.value.msg


def test_truncated_json_with_200(sim, connection):
    sim.fault("build_status", {"status": 200, "body": "truncated"})
    client, dummy = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    assert "not valid JSON (HTTP 200, application/json)" in info.value.msg
    assert '{"builds": [{"sid": "ZB' in info.value.msg


@pytest.mark.parametrize("body, more_info, message", [
    ({"code": 20001, "message": "Bad", "more_info": "https://x/1", "status": 400}, "https://x/1", "Bad"),
    ({"code": 20001, "message": "Bad", "moreInfo": "https://x/2", "status": 400}, "https://x/2", "Bad"),
    ({"code": 20001, "detail": "Detailed", "status": 400}, None, "Detailed"),
])
def test_error_body_variants(sim, connection, body, more_info, message):
    sim.fault("build_status", {"status": 400, "json": body})
    client, dummy = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status")
    assert info.value.more_info == more_info and info.value.code == 20001
    assert info.value.msg == "Twilio answered HTTP 400 for build status (Twilio error 20001: %s)" % message
    assert info.value.error()["http_status"] == 400


def test_foreign_absolute_url_is_refused_before_sending(sim, connection):
    client, dummy = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.get("http://127.0.0.2:1/v1/Services", "services")
    assert "not on the configured API host" in info.value.msg
    assert client.sent_requests == 0


def test_deadline_stops_retries(sim, connection):
    now = [100.0]
    sim.fault("build_status", {"status": 503, "times": -1})
    client = TwilioClient(connection(), clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s),
                          rand=lambda: 0.5)
    with pytest.raises(DeadlineError) as info:
        client.get(STATUS_PATH, "build status", deadline=101.5)
    # waits 0.375 and 0.75 fit before 101.5; the next (1.5 s) would not
    assert len(sim.log()) == 3
    assert info.value.msg.endswith("; no time left for another retry before the deadline")
    assert info.value.http_status == 503 and now[0] == 101.125


def test_deadline_passed_sends_nothing(sim, connection):
    client = TwilioClient(connection(), clock=lambda: 200.0)
    with pytest.raises(DeadlineError, match="^Reached the deadline before requesting build status$"):
        client.get(STATUS_PATH, "build status", deadline=150.0)
    assert sim.log() == []


def test_one_connection_for_many_requests(sim, connection):
    client, dummy = make_client(connection)
    for dummy in range(5):
        client.get(STATUS_PATH, "build status")
    assert len({e["connection"] for e in sim.log()}) == 1


def test_a_request_cut_short_by_the_deadline_is_a_deadline_error(sim, connection):
    sim.fault("build_status", {"delay": 2})
    client, dummy = make_client(connection, request_timeout=30.0)
    with pytest.raises(DeadlineError) as info:
        client.get(STATUS_PATH, "build status", deadline=client.clock() + 0.3)
    assert info.value.msg == "No answer from 127.0.0.1 for build status before the deadline"
    assert len(sim.log()) == 1


def test_request_timeout_is_named_only_when_it_expired(sim, connection):
    sim.fault("build_status", {"delay": 2})
    client, dummy = make_client(connection, request_timeout=0.3, retries=0)
    with pytest.raises(TwilioError) as info:
        client.get(STATUS_PATH, "build status", deadline=client.clock() + 60)
    assert not isinstance(info.value, DeadlineError)
    assert info.value.msg == "No answer from 127.0.0.1 for build status within 0.3 seconds (request_timeout)"


def test_retry_summary_names_each_reason(sim, connection):
    sim.fault("build_status", {"status": 429, "retry_after": 0}, {"status": 503}, {"drop": True},
              {"status": 429, "retry_after": 0})
    client, dummy = make_client(connection)
    assert client.retry_summary() is None
    client.get(STATUS_PATH, "build status")
    assert client.retry_summary() == u"4 requests were retried: 429 rate limit \u00d72, 503 \u00d71, connection error \u00d71"
    assert client.stats() == {"requests": 5, "retries": 4, "writes": 0, "uploads": 0, "bytes_uploaded": 0}


BUILDS_PATH = "/v1/Services/%s/Builds" % SMALL


def test_post_sends_a_form_and_retries_only_a_429(sim, connection):
    sim.fault("create_build", {"status": 429, "retry_after": 0}, {"status": 400})
    client, dummy = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.post(BUILDS_PATH, "a new build", {"Runtime": "node22"})
    assert info.value.http_status == 400 and not info.value.maybe_committed
    assert [(e["method"], e["status"]) for e in sim.log()] == [("POST", 429), ("POST", 400)]
    assert sim.log()[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert client.sent_writes == 2


@pytest.mark.parametrize("fault, reason", [({"status": 503}, None), ({"drop": True}, "connection error")])
def test_post_after_an_ambiguous_failure_is_not_sent_again(sim, connection, fault, reason):
    sim.fault("create_build", fault)
    client, sleeps = make_client(connection)
    with pytest.raises(TwilioError) as info:
        client.post(BUILDS_PATH, "a new build", {"Runtime": "node22"})
    assert info.value.maybe_committed and info.value.reason == reason
    assert len(sim.log()) == 1 and sleeps == []
