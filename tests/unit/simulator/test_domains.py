# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator serves what it deploys (twilio_sim/domains.py): each environment's live build at
``/__sim/domains/{domain_name}/<path>``, visibility as Twilio enforces it, behaviour scripted by a Function's
content, and one Log per invocation."""

import time

import pytest
import requests

from twilio_sim.domains import METHODS, expected_signature

from ..conftest import ACCOUNT, TOKEN

RELEASE = "ZS77777777777777777777777777777777"
AUTH = (ACCOUNT, TOKEN)
FILES = {
    "functions": [
        {"path": "/hello", "content": "exports.handler = (c, e, cb) => cb(null, 'hi');\n"},
        {"path": "/broken", "content": "// sim: status=500 level=error log=\"TypeError: boom\" body='it broke'\n"},
        {"path": "/json", "content": "// sim: body='{\"ok\": true}' content_type=application/json level=WARN\n"
                                     "// sim: log=\"slow \\\"path\\\"\"\n"},
        {"path": "/signed", "visibility": "protected", "content": "// sim: body=signed-ok\n"},
        {"path": "/inner", "visibility": "private", "content": "// sim: body=never\n"},
        {"path": "/typo", "content": "// sim: stauts=500\n"},
    ],
    "assets": [
        {"path": "/index.html", "content": "<h1>home</h1>", "content_type": "text/html"},
        {"path": "/secret.txt", "visibility": "protected", "content": "s3cret", "content_type": "text/plain"},
        {"path": "/private.json", "visibility": "private", "content": "{}"},
    ],
}


def release(sim, environment="stage-environment", files=None):
    """Deploy ``files`` (default FILES) to the environment; the control API's answer."""
    files = files or FILES
    return sim.deploy(RELEASE, environment, files.get("functions", ()), files.get("assets", ()))


def domain_url(sim, domain_name, path=""):
    return sim.domain_url(domain_name, path)


def api_logs(sim, env_sid):
    response = requests.get("%s/v1/Services/%s/Environments/%s/Logs" % (sim.url, RELEASE, env_sid), auth=AUTH,
                            timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["logs"]


def domain_entries(sim):
    return [entry for entry in sim.log() if entry["route"] == "domain"]


@pytest.fixture
def live(fresh_sim):
    """(simulator, the deploy's answer) with FILES live in release-app's stage-environment."""
    fresh_sim.call("POST", "/__sim/logs", {"rate_limit": None})
    return fresh_sim, release(fresh_sim)


def test_the_domain_is_the_environments_domain_name(live):
    sim, made = live
    environment = requests.get("%s/v1/Services/%s/Environments/%s" % (sim.url, RELEASE, made["environment_sid"]),
                               auth=AUTH, timeout=10).json()
    assert environment["domain_name"] == made["domain_name"] and environment["build_sid"] == made["build_sid"]
    assert made["domain_name"].endswith("-stage.twil.io")


def test_a_public_function_answers_and_logs_once_with_the_live_build(live):
    sim, made = live
    response = requests.get(domain_url(sim, made["domain_name"], "/hello?x=1"), timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    assert response.text == "/hello served by build %s" % made["build_sid"]
    logs = api_logs(sim, made["environment_sid"])
    assert len(logs) == 1
    log = logs[0]
    function_sid = next(r.sid for r in sim.server.store.services[RELEASE].resources.values()
                        if r.friendly_name == "/hello" and r.kind == "function")
    assert (log["function_sid"], log["build_sid"], log["deployment_sid"]) == (
        function_sid, made["build_sid"], made["deployment_sid"])
    assert log["level"] == "INFO" and log["message"] == "GET /hello"
    assert log["request_sid"].startswith("RQ") and response.headers["Twilio-Request-Id"] == log["request_sid"]
    assert abs(time.time() - time.mktime(time.strptime(log["date_created"], "%Y-%m-%dT%H:%M:%SZ")) + time.timezone) < 5
    assert [(entry["status"], entry["user"]) for entry in domain_entries(sim)] == [(200, None)]
    requests.get(domain_url(sim, made["domain_name"], "/hello"), auth=AUTH, timeout=10)
    entry = domain_entries(sim)[-1]
    assert entry["user"] == ACCOUNT and TOKEN not in str(entry)  # credentials sent to a domain show, redacted


def test_a_scripted_function_answers_and_logs_as_its_content_says(live):
    sim, made = live
    broken = requests.post(domain_url(sim, made["domain_name"], "/broken"), data={"a": "1"}, timeout=10)
    assert broken.status_code == 500 and broken.text == "it broke"
    scripted = requests.get(domain_url(sim, made["domain_name"], "/json"), timeout=10)
    assert scripted.status_code == 200 and scripted.json() == {"ok": True}
    assert scripted.headers["Content-Type"] == "application/json"
    logs = {log["request_sid"]: log for log in api_logs(sim, made["environment_sid"])}
    assert (logs[broken.headers["Twilio-Request-Id"]]["level"], logs[broken.headers["Twilio-Request-Id"]]["message"]) \
        == ("ERROR", "TypeError: boom")
    assert (logs[scripted.headers["Twilio-Request-Id"]]["level"], logs[scripted.headers["Twilio-Request-Id"]]["message"]) \
        == ("WARN", 'slow "path"')


def test_a_directive_the_simulator_cannot_read_fails_loudly(live):
    sim, made = live
    response = requests.get(domain_url(sim, made["domain_name"], "/typo"), timeout=10)
    assert response.status_code == 500 and "'stauts=500' is not key=value" in response.text
    assert [log["level"] for log in api_logs(sim, made["environment_sid"])] == ["ERROR"]


def test_latency_delays_the_answer(live):
    sim, made = live
    release(sim, files={"functions": [{"path": "/slow", "content": "// sim: latency=0.4"}]})
    started = time.monotonic()
    assert requests.get(domain_url(sim, made["domain_name"], "/slow"), timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.4


@pytest.mark.parametrize("method", METHODS)
def test_any_method_calls_the_function(live, method):
    sim, made = live
    response = requests.request(method, domain_url(sim, made["domain_name"], "/hello"), timeout=10)
    assert response.status_code == 200
    assert response.text == ("" if method == "HEAD" else "/hello served by build %s" % made["build_sid"])
    assert [log["message"] for log in api_logs(sim, made["environment_sid"])] == ["%s /hello" % method]


def sign(url, params=None, token=TOKEN):
    return {"X-Twilio-Signature": expected_signature(token, url, dict((k, [v]) for k, v in (params or {}).items()))}


def test_a_protected_function_needs_a_valid_signature(live):
    sim, made = live
    url = domain_url(sim, made["domain_name"], "/signed?b=2&a=1")
    form = {"To": "+15005550006", "Body": "hi"}
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"X-Twilio-Signature": "bm90IGl0"}, timeout=10).status_code == 401
    assert requests.get(url, headers=sign(url, token="other-token"), timeout=10).status_code == 401
    assert requests.get(url.replace("b=2", "b=3"), headers=sign(url), timeout=10).status_code == 401
    assert requests.post(url, data=form, headers=sign(url), timeout=10).status_code == 401  # the form not signed
    assert requests.post(url, data=dict(form, Body="tampered"), headers=sign(url, form), timeout=10).status_code == 401
    assert len(api_logs(sim, made["environment_sid"])) == 0  # refused: nothing ran
    signed = requests.get(url, headers=sign(url), timeout=10)
    posted = requests.post(url, data=form, headers=sign(url, form), timeout=10)
    assert (signed.status_code, signed.text, posted.status_code) == (200, "signed-ok", 200)
    assert len(api_logs(sim, made["environment_sid"])) == 2


def test_a_json_post_is_signed_over_the_url_only(live):
    sim, made = live
    url = domain_url(sim, made["domain_name"], "/signed")
    assert requests.post(url, json={"a": "1"}, headers=sign(url), timeout=10).status_code == 200


def test_private_is_forbidden_and_runs_nothing(live):
    sim, made = live
    url = domain_url(sim, made["domain_name"], "/inner")
    assert requests.get(url, headers=sign(url), timeout=10).status_code == 403
    assert requests.get(domain_url(sim, made["domain_name"], "/private.json"), timeout=10).status_code == 403
    assert api_logs(sim, made["environment_sid"]) == []


def test_assets_are_served_with_their_content_and_write_no_log(live):
    sim, made = live
    home = requests.get(domain_url(sim, made["domain_name"], "/index.html"), timeout=10)
    root = requests.get(domain_url(sim, made["domain_name"], "/"), timeout=10)
    assert (home.status_code, home.text, home.headers["Content-Type"]) == (200, "<h1>home</h1>", "text/html")
    assert (root.status_code, root.text) == (200, "<h1>home</h1>")
    url = domain_url(sim, made["domain_name"], "/secret.txt")
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=sign(url), timeout=10).text == "s3cret"
    assert api_logs(sim, made["environment_sid"]) == []


def test_unknown_domains_paths_and_environments_with_no_live_build_are_404(live):
    sim, made = live
    dev = next(e for e in sim.server.store.services[RELEASE].environments if e.unique_name == "dev-environment")
    dev_domain = sim.server.store.domain_name(sim.server.store.services[RELEASE], dev)
    for url in (domain_url(sim, "nothing-1234.twil.io", "/hello"), domain_url(sim, made["domain_name"], "/nope"),
                domain_url(sim, made["domain_name"], "/hello/more"), domain_url(sim, dev_domain, "/hello"),
                domain_url(sim, made["domain_name"].upper(), "/hello")):
        assert requests.get(url, timeout=10).status_code == 404, url
    assert api_logs(sim, made["environment_sid"]) == []


def test_a_seeded_build_serves_its_placeholders(sim):
    service = sim.server.store.services["ZS44444444444444444444444444444444"]
    domain = sim.server.store.domain_name(service, service.environments[0])
    hello = requests.get(domain_url(sim, domain, "/hello"), timeout=10)
    assert hello.status_code == 200 and "ZB00000000000000000000000000000003" in hello.text
    assert requests.get(domain_url(sim, domain, "/styles.css"), timeout=10).text == "body { margin: 0; }\n"


def test_a_roll_back_changes_what_is_served_and_the_logs_name_the_build_live(live):
    sim, made = live
    url = domain_url(sim, made["domain_name"], "/hello")
    first = made["build_sid"]
    second = release(sim, files={"functions": [{"path": "/hello", "content": "// sim: body=second"}]})
    assert requests.get(url, timeout=10).text == "second"
    rolled = requests.post("%s/v1/Services/%s/Environments/%s/Deployments" % (sim.url, RELEASE, made["environment_sid"]),
                           data={"BuildSid": first}, auth=AUTH, timeout=10)
    assert rolled.status_code == 201
    assert requests.get(url, timeout=10).text == "/hello served by build %s" % first
    newest_first = api_logs(sim, made["environment_sid"])
    assert [(log["build_sid"], log["deployment_sid"]) for log in sorted(newest_first, key=lambda l: l["date_created"])] \
        in ([(second["build_sid"], second["deployment_sid"]), (first, rolled.json()["sid"])],
            [(first, rolled.json()["sid"]), (second["build_sid"], second["deployment_sid"])])
    assert {log["build_sid"] for log in newest_first} == {first, second["build_sid"]}


def test_faults_act_on_the_domain_only_when_set_on_it(live):
    sim, made = live
    url = domain_url(sim, made["domain_name"], "/hello")
    sim.fault("*", {"status": 503, "times": -1})
    assert requests.get(url, timeout=10).status_code == 200  # a fault for the API does not meet a domain
    sim.server.faults.clear()
    sim.fault("domain", {"drop": True})
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=10)
    assert requests.get(url, timeout=10).status_code == 200
    assert [entry["status"] for entry in domain_entries(sim)] == [200, "dropped", 200]


def test_the_signature_is_twilios():
    """Twilio's published vector (its helper libraries test it: twilio-python, twilio-node); tests/toolkit signs
    with the npm library against the simulator itself."""
    params = {"CallSid": ["CA1234567890ABCDE"], "Caller": ["+14158675309"], "Digits": ["1234"],
              "From": ["+14158675309"], "To": ["+18005551212"]}
    assert expected_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) \
        == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    # A repeated name: each distinct value once, sorted (the npm library's toFormUrlEncodedParam).
    assert expected_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", {"a": ["2", "1", "2"],
                                                                                       "b": ["x"]}) \
        == "RnW5Sp4FwJwXitWaZ8IqCedoLnw="


@pytest.mark.parametrize("body, problem", [
    ({"service": RELEASE, "environment": "stage-environment"}, "give at least one"),
    ({"service": RELEASE, "environment": "stage-environment", "functions": [{"path": "x", "content": ""}]},
     "a path starts with /"),
    ({"service": RELEASE, "environment": "nowhere", "functions": [{"path": "/x"}]}, "no environment"),
])
def test_the_deploy_control_refuses(fresh_sim, body, problem):
    response = requests.post(fresh_sim.url + "/__sim/deploy", json=body, timeout=10)
    assert response.status_code in (400, 404) and problem in response.text
