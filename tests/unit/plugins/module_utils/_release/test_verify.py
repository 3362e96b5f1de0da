# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_verify's steps over plain values: the options, the refusals before any call, the judgement of an
answer, the settle wait, the log gate and the verdict."""

import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.signature import signature
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.domain import Called
from ansible_collections.twilio_community.serverless.plugins.module_utils._release import verify

BUILD = "ZB" + "1" * 32
UTC = datetime.timezone.utc


def options(**overrides):
    params = dict(checks=[], domain_base_url=None, settle=10, max_errors=0)
    params.update(overrides)
    return verify.check_verify_options(params)


def one_check(**item):
    return options(checks=[dict(dict(path="/hello"), **item)]).checks[0]


def test_defaults():
    found = options(checks=[{"path": "/hello"}])
    check = found.checks[0]
    assert (check.method, check.statuses, check.timeout, check.headers, check.body) == ("GET", (200,), 10.0, {}, None)
    assert found.domain_base_url == "https://{domain_name}" and found.settle == 10 and found.max_errors == 0
    assert options(domain_base_url="  ").domain_base_url == "https://{domain_name}"


def test_status_lists_methods_and_bodies():
    check = one_check(status=[200, "302"], method="post", body={"Body": "hi", "n": 1}, headers={"X-A": 2})
    assert check.statuses == (200, 302) and check.method == "POST"
    assert check.body == {"Body": "hi", "n": "1"} and check.headers == {"X-A": "2"}


@pytest.mark.parametrize("item, start", [
    ({"path": "hello"}, "checks[0].path: 'hello' does not start with a single '/'"),
    ({"path": "//evil.example/x"}, "checks[0].path: '//evil.example/x' does not start"),
    ({"path": None}, "checks[0].path: 'None' does not start"),
    ({"path": "/a b"}, "checks[0].path: '/a b' holds a space"),
    ({"path": "/x", "status": 99}, "checks[0].status: 99 is out of range; expected an HTTP status at least 100"),
    ({"path": "/x", "status": [200, 600]}, "checks[0].status: 600 is out of range"),
    ({"path": "/x", "status": []}, "checks[0].status: an empty list allows no status"),
    ({"path": "/x", "status": "ok"}, "checks[0].status: 'ok' is not an HTTP status"),
    ({"path": "/x", "status": True}, "checks[0].status: 'True' is not an HTTP status"),
    ({"path": "/x", "contains": "a", "regex": "b"}, "checks[0].contains: give contains or regex, not both"),
    ({"path": "/x", "regex": "("}, "checks[0].regex: '(' is not a valid regular expression (missing ),"),
    ({"path": "/x", "method": "TRACE"}, "checks[0].method: 'TRACE' is not an HTTP method this module sends"),
    ({"path": "/x", "timeout": 0}, "checks[0].timeout: 0 is out of range; expected seconds greater than 0"),
    ({"path": "/x", "headers": {"A": {"b": 1}}}, "checks[0].headers: expected a mapping of header names"),
    ({"path": "/x", "body": [1]}, "checks[0].body: '[1]' is neither a string nor a mapping"),
    ("/x", "checks[0]: '/x' is not a mapping"),
    ({"path": "/x", "contain": "a", "Path": 1}, "checks[0]: 'Path', 'contain' are not fields of a check"),
    ({"path": "/x", "method": 1}, "checks[0].method: '1' is not an HTTP method"),
])
def test_bad_checks_are_refused_naming_the_field(item, start):
    with pytest.raises(OptionError) as info:
        options(checks=[item])
    assert str(info.value).startswith(start), str(info.value)


def test_the_second_check_is_named_by_its_place():
    with pytest.raises(OptionError, match=r"^checks\[1\]\.path"):
        options(checks=[{"path": "/ok"}, {"path": "bad"}])


@pytest.mark.parametrize("value, start", [
    ("https://example.com", "domain_base_url: 'https://example.com' has no {domain_name}"),
    ("ftp://{domain_name}", "domain_base_url: 'ftp://{domain_name}' is not an http(s) URL"),
    ("https://{domain_name}/?a=1", "domain_base_url: 'https://{domain_name}/?a=1' has credentials, a query"),
    ("https://u:p@{domain_name}", "domain_base_url: 'https://u:p@{domain_name}' has credentials"),
    ("https://{domain_name}/{path}", "domain_base_url: 'https://{domain_name}/{path}' has a placeholder other"),
])
def test_bad_domain_base_urls(value, start):
    with pytest.raises(OptionError) as info:
        options(domain_base_url=value)
    assert str(info.value).startswith(start), str(info.value)


@pytest.mark.parametrize("name, value, start", [
    ("settle", -1, "settle: -1 is out of range"),
    ("max_errors", -1, "max_errors: -1 is out of range; expected a whole number at least 0"),
])
def test_negative_numbers(name, value, start):
    with pytest.raises(OptionError, match="^" + start.replace("(", r"\(")):
        options(**{name: value})


def test_a_template_with_a_path_and_the_domain_name_read_from_twilio():
    template = options(domain_base_url="http://127.0.0.1:1/__sim/domains/{domain_name}").domain_base_url
    env = {"domain_name": "App-1234-Stage.twil.io"}
    assert verify.domain_base(template, verify.domain_name_of(env, "stage")) == (
        "http://127.0.0.1:1/__sim/domains/App-1234-Stage.twil.io")
    for bad in ({"domain_name": "evil.example/x"}, {"domain_name": "a@b.twil.io"}, {"domain_name": None}, {}):
        with pytest.raises(TwilioError, match="^Twilio sent environment stage"):
            verify.domain_name_of(bad, "stage")


BUILD_RECORD = {"sid": BUILD, "function_versions": [
    {"sid": "ZN" + "a" * 32, "function_sid": "ZH" + "a" * 32, "path": "/open", "visibility": "PUBLIC"},
    {"sid": "ZN" + "b" * 32, "function_sid": "ZH" + "b" * 32, "path": "admin", "visibility": "Protected"},
    {"sid": "ZN" + "c" * 32, "function_sid": "ZH" + "c" * 32, "path": "/secret", "visibility": "private"},
    {"sid": "ZN" + "d" * 32, "function_sid": "ZH" + "d" * 32, "path": "/odd", "visibility": "hidden"}],
    "asset_versions": [{"sid": "ZN" + "e" * 32, "asset_sid": "ZH" + "e" * 32, "path": "/a.css",
                        "visibility": "public"}]}


def test_what_the_live_build_serves_in_any_case():
    visibility, functions = verify.served(BUILD_RECORD)
    assert visibility == {"/open": "public", "/admin": "protected", "/secret": "private", "/odd": None,
                          "/a.css": "public"}
    assert functions["ZH" + "a" * 32] == "/open" and "ZH" + "e" * 32 not in functions


def test_a_private_path_is_refused_before_any_call():
    visibility = verify.served(BUILD_RECORD)[0]
    checks = options(checks=[{"path": "/open"}, {"path": "/secret?x=1"}]).checks
    with pytest.raises(TaskFailed) as info:
        verify.preflight(checks, visibility, "token", BUILD)
    assert info.value.msg.startswith("checks[1] (GET /secret?x=1) names a private function or asset of build ZB1")


def test_a_protected_path_needs_the_auth_token():
    visibility = verify.served(BUILD_RECORD)[0]
    checks = options(checks=[{"path": "/admin", "method": "post"}]).checks
    verify.preflight(checks, visibility, "token", BUILD)
    with pytest.raises(TaskFailed) as info:
        verify.preflight(checks, visibility, None, BUILD)
    assert info.value.msg.startswith("checks[0] (POST /admin) calls a protected function of build ZB1")
    assert "Set auth_token (or TWILIO_AUTH_TOKEN) as well" in info.value.msg


class Recorder:
    """Stands in for DomainCaller: records each call, answers as told."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    @staticmethod
    def url(path):
        return "http://127.0.0.1:9/__sim/domains/app-1-stage.twil.io" + path

    def call(self, method, path, headers, data, timeout):
        self.calls.append((method, path, headers, data, timeout))
        return self.answers.pop(0)


def test_calls_are_signed_unless_public_over_the_url_requested():
    visibility = verify.served(BUILD_RECORD)[0]
    checks = options(checks=[{"path": "/open"}, {"path": "/admin", "method": "POST", "body": {"b": 2, "a": "1"}},
                             {"path": "/unknown", "body": {"q": "x y"}}]).checks
    caller = Recorder([Called(200, "hi", 0.1)] * 3)
    results = verify.run_checks(caller, checks, visibility, "tok", False)
    assert [r["ok"] for r in results] == [True, True, True]
    (dummy, p0, h0, dummy, dummy), (dummy, dummy, h1, d1, dummy), (dummy, p2, h2, d2, dummy) = caller.calls
    assert h0 == {} and p0 == "/open"
    assert d1 == {"b": "2", "a": "1"}
    assert h1 == {"X-Twilio-Signature": signature("tok", Recorder.url("/admin"), {"a": "1", "b": "2"})}
    assert p2 == "/unknown?q=x+y" and d2 is None
    assert h2 == {"X-Twilio-Signature": signature("tok", Recorder.url("/unknown?q=x+y"))}
    assert "Authorization" not in h0 and "Authorization" not in h1


def test_check_mode_calls_nothing():
    checks = options(checks=[{"path": "/open"}]).checks
    caller = Recorder([])
    results = verify.run_checks(caller, checks, {}, None, True)
    assert caller.calls == [] and results == [dict(path="/open", method="GET", visibility=None, status=None,
                                                   ok=None, seconds=None, reason="check mode - not called")]


@pytest.mark.parametrize("item, called, ok, reason", [
    ({}, Called(200, "x"), True, "status 200 as expected"),
    ({"status": [200, 204]}, Called(204, ""), True, "status 204 as expected"),
    ({}, Called(500, "boom"), False, "status 500, expected 200"),
    ({"status": [301, 302]}, Called(200, ""), False, "status 200, expected 301 or 302"),
    ({"contains": "ok"}, Called(200, "all ok"), True, "status 200 as expected and the body contains 'ok'"),
    ({"contains": "ok"}, Called(200, "nope\n  nope"), False,
     "status 200, but the body does not contain 'ok' (it begins 'nope nope')"),
    ({"regex": "^<Resp"}, Called(200, "<Response/>"), True, "status 200 as expected and the body matches '^<Resp'"),
    ({"regex": "^<Resp"}, Called(200, "x"), False, "status 200, but the body does not match '^<Resp' (it begins 'x')"),
    ({}, Called(error="no answer from d within 10 s"), False, "no answer from d within 10 s"),
])
def test_judge(item, called, ok, reason):
    assert verify.judge(one_check(**item), called) == (ok, reason)


def test_settle_counts_from_when_the_deployment_went_live():
    live = datetime.datetime(2026, 12, 5, 3, 0, 0, tzinfo=UTC)
    assert verify.settle_seconds(live, live + datetime.timedelta(seconds=3), 10) == 7
    assert verify.settle_seconds(live, live + datetime.timedelta(hours=1), 10) == 0
    assert verify.settle_seconds(live, live + datetime.timedelta(seconds=3), 0) == 0


def log(level, message="m", sid="NO" + "0" * 32, when="2026-12-05T03:00:00Z"):
    return {"sid": sid, "level": level, "message": message, "date_created": when, "function_sid": "ZH" + "a" * 32}


def test_the_gate_counts_levels_and_keeps_the_first_errors_cut():
    records = [log("ERROR", "second", when="2026-12-05T03:00:02Z"), log("info"), log("WARNING"),
               log("error", "x" * 600, when="2026-12-05T03:00:01Z")]
    counts, errors = verify.gate(records, {"ZH" + "a" * 32: "/open"})
    assert counts == {"info": 1, "warn": 1, "error": 2}
    assert [e["message"][:6] for e in errors] == ["xxxxxx", "second"] and len(errors[0]["message"]) == 503
    assert errors[0]["function_path"] == "/open"


def test_verdicts():
    called = [dict(ok=True, reason="status 200 as expected")]
    failed = [dict(ok=False, reason="status 500, expected 200")]
    not_called = [dict(ok=None, reason="check mode - not called")]
    assert verify.verdict(called, {"error": 0}, 0, 0) == (True, True)
    assert verify.verdict(failed, {"error": 0}, 0, 5) == (False, True)
    assert verify.verdict(called, {"error": 2}, 1, 2) == (False, True)
    assert verify.verdict(called, {"error": 2}, 2, 2) == (True, True)
    # No traffic, no logs: not healthy, not failed.
    assert verify.verdict([], {"error": 0}, 0, 0) == (None, False)
    assert verify.verdict(not_called, {"error": 0}, 0, 0) == (None, False)
    assert verify.verdict(not_called, {"error": 0}, 0, 3) == (True, True)


def test_the_failure_names_the_check_and_quotes_the_first_errors_cut():
    checks = [dict(method="GET", path="/ok", ok=True, reason="fine"),
              dict(method="GET", path="/broken", ok=False, reason="status 500, expected 200")]
    errors = [dict(message="TypeError: boom\n at x"), dict(message="y" * 300), dict(message=None), dict(message="4th")]
    msg = verify.failure_message(BUILD, "stage", "ZS1", checks, {"error": 4}, errors, 1)
    assert msg.startswith("Verification of build %s in environment stage of service ZS1 failed: checks[1] GET "
                          "/broken: status 500, expected 200; 4 error logs since the deployment went live "
                          "(max_errors 1), the first: 'TypeError: boom at x', 'yyy" % BUILD)
    assert "4th" not in msg and len(msg) < 500


def test_the_deployment_verified_is_the_newest_of_the_live_build():
    history = [{"sid": "ZD" + "2" * 32, "build_sid": BUILD, "date_created": "2026-12-05T03:00:00Z"},
               {"sid": "ZD" + "1" * 32, "build_sid": "ZB" + "0" * 32}]
    assert verify.live_deployment(history, BUILD)["sid"] == "ZD" + "2" * 32
    assert verify.went_live(history[0]) == datetime.datetime(2026, 12, 5, 3, tzinfo=UTC)
    with pytest.raises(TwilioError, match="No deployment of build ZB9"):
        verify.live_deployment(history, "ZB" + "9" * 32)
    with pytest.raises(TwilioError, match="without a readable date_created"):
        verify.went_live(history[1])


def test_only_a_posts_form_fields_are_signed():
    checks = options(checks=[{"path": "/admin", "method": "PUT", "body": {"a": "1"}}]).checks
    caller = Recorder([Called(200, "", 0.1)])
    verify.run_checks(caller, checks, {"/admin": "protected"}, "tok", False)
    dummy, path, headers, data, dummy = caller.calls[0]
    assert data == {"a": "1"} and headers["X-Twilio-Signature"] == signature("tok", Recorder.url("/admin"))
