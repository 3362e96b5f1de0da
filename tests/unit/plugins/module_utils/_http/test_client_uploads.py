# SPDX-License-Identifier: GPL-3.0-or-later
"""Uploads through the client: the upload origin, retries, bounded concurrency, counters."""

import threading

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.multipart import encode
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    connection_from_params,
    upload_base_url,
)

from ...fake_serverless import ACCOUNT, SERVICE, FakeServerless

UPLOAD = "https://serverless-upload.twilio.com"


def params(**more):
    found = {"account_sid": ACCOUNT, "auth_token": "not-a-real-token", "retries": 3, "request_timeout": 5.0,
             "validate_certs": True}
    found.update(more)
    return found


@pytest.fixture
def fake():
    api = FakeServerless()
    api.resources["asset"]["ZH" + "a" * 32] = "/x.bin"
    return api


def make_client(fake, **more):
    client = TwilioClient(connection_from_params(params(**more)), session=fake, sleep=lambda s: None,
                          rand=lambda: 0.5)
    client.set_upload_base_url(upload_base_url(params(**more), client.connection))
    return client


def upload(client, content=b"\x00\r\n", path="/v1/Services/%s/Assets/%s/Versions" % (SERVICE, "ZH" + "a" * 32)):
    body, header = encode([("Path", "/x.bin"), ("Visibility", "public")], "Content", "x.bin", content,
                          "application/octet-stream")
    return client.upload(path, "asset /x.bin", body, header), len(body)


@pytest.mark.parametrize("more, expected", [
    ({}, "https://serverless-upload.twilio.com"),
    ({"region": "ie1"}, "https://serverless-upload.ie1.twilio.com"),
    ({"region": "ie1", "edge": "dublin"}, "https://serverless-upload.dublin.ie1.twilio.com"),
    ({"edge": "sydney"}, "https://serverless-upload.sydney.us1.twilio.com"),
    ({"base_url": "http://127.0.0.1:8080"}, "http://127.0.0.1:8080"),
    ({"base_url": "http://127.0.0.1:8080", "upload_base_url": "http://localhost:9090/"}, "http://localhost:9090"),
    ({"upload_base_url": "https://Upload.Example.com"}, "https://upload.example.com"),
])
def test_upload_origin(more, expected):
    assert upload_base_url(params(**more), connection_from_params(params(**more))) == expected


@pytest.mark.parametrize("value, message", [
    ("http://upload.example.com", "upload_base_url: 'http://upload.example.com' would send credentials unencrypted"),
    ("https://u:p@upload.example.com", "upload_base_url: must not contain credentials"),
    ("https://upload.example.com/v1", "upload_base_url: 'https://upload.example.com/v1' has a path"),
])
def test_bad_upload_origin(value, message):
    with pytest.raises(OptionError) as caught:
        upload_base_url(params(upload_base_url=value), connection_from_params(params()))
    assert str(caught.value).startswith(message)


def test_upload_goes_to_the_upload_origin_with_raw_bytes(fake):
    client = make_client(fake)
    found, size = upload(client, b"\x00\r\n\n\xff")
    entry = fake.log[-1]
    assert entry["host"] == UPLOAD and entry["method"] == "POST"
    assert entry["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert fake.versions[found["sid"]]["content"] == b"\x00\r\n\n\xff"
    assert client.stats() == {"requests": 1, "retries": 0, "writes": 1, "uploads": 1, "bytes_uploaded": size}
    assert fake.auth == (ACCOUNT, "not-a-real-token")


def test_credentials_only_to_the_two_origins(fake):
    client = make_client(fake)
    with pytest.raises(TwilioError, match="Refused to upload asset /x.bin to https://evil.example.com/x"):
        upload(client, path="https://evil.example.com/x")
    with pytest.raises(TwilioError, match="Refused to upload asset /x.bin to https://serverless.twilio.com/x"):
        upload(client, path="https://serverless.twilio.com/x")  # the API origin is not the upload origin
    with pytest.raises(TwilioError, match="not on the configured API host"):
        client.get(UPLOAD + "/v1/Services", "services")
    with pytest.raises(TwilioError, match="not on the configured API host"):
        client.post("https://evil.example.com/v1/Services", "services", {})
    assert fake.log == []
    with pytest.raises(TwilioError, match="was not found"):
        upload(client, path="//evil.example.com/x")  # a path, however written, stays on the upload origin
    assert [e["host"] for e in fake.log] == [UPLOAD]


def test_no_upload_before_an_origin_is_set(fake):
    client = TwilioClient(connection_from_params(params()), session=fake)
    with pytest.raises(TwilioError, match="No upload origin is set"):
        upload(client)
    assert fake.log == []


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 429}, {"status": 500, "commit": True},
                                   {"drop": True}, {"drop": True, "commit": True}])
def test_an_upload_is_sent_again(fake, fault):
    fake.faults.append(dict(fault, route="upload", times=2))
    client = make_client(fake)
    found, size = upload(client)
    assert len(fake.requests_to("upload")) == 3 and found["sid"] in fake.versions
    assert client.stats()["retries"] == 2 and client.stats()["uploads"] == 1
    assert client.stats()["bytes_uploaded"] == size


def test_an_upload_refused_is_not_sent_again(fake):
    fake.faults.append({"route": "upload", "status": 413, "times": 1})
    client = make_client(fake)
    with pytest.raises(TwilioError) as caught:
        upload(client)
    assert caught.value.http_status == 413 and len(fake.log) == 1 and client.stats()["uploads"] == 0


def test_gives_up_after_retries(fake):
    fake.faults.append({"route": "upload", "status": 503, "times": -1})
    client = make_client(fake, retries=2)
    with pytest.raises(TwilioError, match="gave up after 2 retries"):
        upload(client)
    assert len(fake.log) == 3


def test_bounded_concurrency_with_a_session_per_thread(fake):
    fake.upload_delay = 0.02
    made = []
    lock = threading.Lock()

    def factory():
        with lock:
            made.append(threading.current_thread().name)
        return fake

    client = TwilioClient(connection_from_params(params()), session=fake, session_factory=factory,
                          sleep=lambda s: None)
    client.set_upload_base_url(UPLOAD)
    results = client.concurrently([lambda n=n: upload(client, b"%d" % n)[0]["sid"] for n in range(30)])
    assert len(set(results)) == 30
    assert [fake.versions[s]["content"] for s in results] == [b"%d" % n for n in range(30)]
    assert 1 < fake.max_active <= 10
    assert len(made) == len(set(made)) <= 10  # one session per worker thread, made once
    assert client.stats()["uploads"] == 30 and client.stats()["requests"] == 30
    # A second call runs on the same threads, with the same sessions; reads too.
    before = len(made)
    listed = client.concurrently([lambda: client.get("/v1/Services/%s/Assets" % SERVICE, "assets")
                                  for dummy in range(12)])
    assert len(listed) == 12 and len(made) == before
    client.close()
    assert client._pool._shutdown  # pylint: disable=protected-access


def test_first_failure_is_raised(fake):
    fake.faults.append({"route": "upload", "status": 400, "times": 1})
    client = make_client(fake)
    with pytest.raises(TwilioError):
        client.concurrently([lambda: upload(client)[0] for dummy in range(5)])
