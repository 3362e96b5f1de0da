# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests to an environment's domain: no credentials, the API client's TLS settings, no retry, no redirect, and
every failure an outcome rather than an exception."""

import requests

from ansible_collections.twilio_community.serverless.plugins.module_utils._http import domain
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN


class Answer:
    def __init__(self, status, chunks):
        self.status_code = status
        self.chunks = chunks
        self.closed = False

    def iter_content(self, size):
        return iter(self.chunks)

    def close(self):
        self.closed = True


class Session:
    """Records each request; answers from ``answers`` (an exception is raised)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []
        self.auth = ("ACx", "secret")
        self.headers = requests.structures.CaseInsensitiveDict({"Authorization": "Basic eA==", "Accept": "x"})

    def request(self, method, url, **kwargs):
        self.sent.append(dict(kwargs, method=method, url=url, auth=self.auth, session_headers=dict(self.headers)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        pass


def client(**more):
    conn = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url="http://127.0.0.1:1", validate_certs=False)
    conn.update(more)
    return TwilioClient(connection_from_params(conn))


def test_no_credentials_the_clients_tls_setting_no_redirects():
    session = Session(Answer(302, [b"moved"]))
    caller = domain.DomainCaller(client(), "https://app-1-stage.twil.io/", session)
    called = caller.call("POST", "/x?y=1", {"X-A": "1"}, {"a": "1"}, 2.5)
    sent = session.sent[0]
    assert sent["url"] == "https://app-1-stage.twil.io/x?y=1" and sent["method"] == "POST"
    assert sent["auth"] is None and list(sent["session_headers"]) == ["User-Agent"]
    assert sent["headers"] == {"X-A": "1"} and sent["data"] == {"a": "1"} and sent["timeout"] == 2.5
    assert sent["verify"] is False and sent["allow_redirects"] is False
    assert (called.status, called.text, called.error) == (302, "moved", None) and caller.calls == 1


def test_failures_are_outcomes_and_never_retried():
    session = Session(requests.exceptions.ReadTimeout("slow"), requests.exceptions.ConnectionError("refused"),
                      requests.exceptions.SSLError("bad chain"))
    caller = domain.DomainCaller(client(), "https://app-1-stage.twil.io", session)
    outcomes = [caller.call("GET", "/x", timeout=1.0).error for dummy in range(3)]
    assert outcomes == ["no answer from app-1-stage.twil.io within 1 s",
                        "connection to app-1-stage.twil.io failed (ConnectionError: refused)",
                        "TLS verification of app-1-stage.twil.io failed: bad chain"]
    assert len(session.sent) == 3 and caller.calls == 3


def test_the_body_read_is_bounded():
    chunk = b"x" * 65536
    answer = Answer(200, [chunk] * 40)
    caller = domain.DomainCaller(client(), "https://d.twil.io", Session(answer))
    called = caller.call("GET", "/big")
    assert len(called.text) == domain.MAX_BODY_BYTES and answer.closed


def test_a_url_off_the_domain_is_refused_unsent():
    session = Session()
    caller = domain.DomainCaller(client(), "https://d.twil.io", session)
    caller.base_url = "https://d.twil.io@elsewhere.example"
    assert caller.call("GET", "/x").error.startswith("refused: ") and session.sent == [] and caller.calls == 0
