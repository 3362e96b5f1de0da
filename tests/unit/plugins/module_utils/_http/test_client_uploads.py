# SPDX-License-Identifier: GPL-3.0-or-later
"""Uploads through the client: the upload origin, retries, bounded concurrency, counters."""

import re
import threading

import pytest
import requests

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.multipart import encode
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    connection_from_params,
    upload_base_url,
)

from ...source_sim import ACCOUNT, SourceService


def params(**more):
    found = {"account_sid": ACCOUNT, "auth_token": "not-a-real-token", "retries": 3, "request_timeout": 5.0,
             "validate_certs": True}
    found.update(more)
    return found


@pytest.fixture
def source(fresh_sim):
    """A service with the Asset /x.bin, on a simulator of its own."""
    made = SourceService(fresh_sim)
    made.asset = made.add_resource("asset", "/x.bin").sid
    return made


def upload_origin(source):
    """The upload origin the tests use: the simulator under another name than the API origin's (127.0.0.1), so
    its log tells the two apart by the Host a request came to."""
    return source.sim.url.replace("127.0.0.1", "localhost")


def host(entry):
    return "http://" + entry["headers"]["Host"]


def make_client(source, **more):
    client = TwilioClient(connection_from_params(source.connection_params(**more)), sleep=lambda s: None,
                          rand=lambda: 0.5)
    client.set_upload_base_url(upload_base_url(source.connection_params(upload_base_url=upload_origin(source),
                                                                        **more), client.connection))
    return client


def upload(client, source, content=b"\x00\r\n", path=None):
    body, header = encode([("Path", "/x.bin"), ("Visibility", "public")], "Content", "x.bin", content,
                          "application/octet-stream")
    path = path or "/v1/Services/%s/Assets/%s/Versions" % (source.sid, source.asset)
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


def test_upload_goes_to_the_upload_origin_with_raw_bytes(source):
    client = make_client(source)
    found, size = upload(client, source, b"\x00\r\n\n\xff")
    [entry] = source.log()
    assert host(entry) == upload_origin(source) != source.sim.url and entry["method"] == "POST"
    assert entry["route"] == "create_asset_version" and entry["status"] == 201
    assert entry["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert source.version(found["sid"]).content == b"\x00\r\n\n\xff"
    assert client.stats() == {"requests": 1, "retries": 0, "writes": 1, "uploads": 1, "bytes_uploaded": size}
    assert entry["bytes"] == size
    assert entry["user"] == ACCOUNT  # the simulator took the account's token: it answered 201, not 401
    client.close()


def test_credentials_only_to_the_two_origins(source):
    client = make_client(source)
    with pytest.raises(TwilioError, match="Refused to upload asset /x.bin to https://evil.example.com/x"):
        upload(client, source, path="https://evil.example.com/x")
    api = source.sim.url + "/x"  # the API origin is not the upload origin
    with pytest.raises(TwilioError, match="Refused to upload asset /x.bin to %s" % re.escape(api)):
        upload(client, source, path=api)
    with pytest.raises(TwilioError, match="not on the configured API host"):
        client.get(upload_origin(source) + "/v1/Services", "services")
    with pytest.raises(TwilioError, match="not on the configured API host"):
        client.post("https://evil.example.com/v1/Services", "services", {})
    assert source.log() == []
    with pytest.raises(TwilioError, match="was not found"):
        upload(client, source, path="//evil.example.com/x")  # a path, however written, stays on the upload origin
    assert [host(e) for e in source.log()] == [upload_origin(source)]
    client.close()


def test_no_upload_before_an_origin_is_set(source):
    client = TwilioClient(connection_from_params(source.connection_params()))
    with pytest.raises(TwilioError, match="No upload origin is set"):
        upload(client, source)
    assert source.log() == []
    client.close()


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 429}, {"status": 500, "commit": True},
                                   {"drop": True}, {"drop": True, "commit": True}])
def test_an_upload_is_sent_again(source, fault):
    source.sim.fault("create_asset_version", dict(fault, times=2))
    client = make_client(source)
    found, size = upload(client, source)
    assert len(source.uploads()) == 3 and found["sid"] in source.service.versions
    assert client.stats()["retries"] == 2 and client.stats()["uploads"] == 1
    assert client.stats()["bytes_uploaded"] == size
    client.close()


def test_an_upload_refused_is_not_sent_again(source):
    source.sim.fault("create_asset_version", {"status": 413, "times": 1})
    client = make_client(source)
    with pytest.raises(TwilioError) as caught:
        upload(client, source)
    assert caught.value.http_status == 413 and len(source.log()) == 1 and client.stats()["uploads"] == 0
    client.close()


def test_gives_up_after_retries(source):
    source.sim.fault("create_asset_version", {"status": 503, "times": -1})
    client = make_client(source, retries=2)
    with pytest.raises(TwilioError, match="gave up after 2 retries"):
        upload(client, source)
    assert len(source.log()) == 3
    client.close()


def most_at_once(entries):
    """The most requests the server held at one time: its log's intervals from arrival to answer."""
    edges = sorted([(e["time"], 1) for e in entries] + [(e["answered"], -1) for e in entries])
    most = held = 0
    for dummy, step in edges:
        held += step
        most = max(most, held)
    return most


def test_bounded_concurrency_with_a_session_per_thread(source):
    source.sim.fault("create_asset_version", {"delay": 0.02, "times": -1})  # each upload held 20 ms
    made = []
    lock = threading.Lock()

    def factory():
        with lock:
            made.append(threading.current_thread().name)
        return requests.Session()

    client = TwilioClient(connection_from_params(source.connection_params()), session_factory=factory,
                          sleep=lambda s: None)
    client.set_upload_base_url(upload_origin(source))
    results = client.concurrently([lambda n=n: upload(client, source, b"%d" % n)[0]["sid"] for n in range(30)])
    assert len(set(results)) == 30
    assert [source.version(s).content for s in results] == [b"%d" % n for n in range(30)]
    uploads = source.uploads()
    assert len(uploads) == 30 and 1 < most_at_once(uploads) <= 10
    assert len(made) == len(set(made)) <= 10  # one session per worker thread, made once
    assert len(set(e["connection"] for e in uploads)) <= 10  # and so one connection each
    assert client.stats()["uploads"] == 30 and client.stats()["requests"] == 30
    # A second call runs on the same threads, with the same sessions; reads too.
    before = len(made)
    listed = client.concurrently([lambda: client.get("/v1/Services/%s/Assets" % source.sid, "assets")
                                  for dummy in range(12)])
    assert len(listed) == 12 and len(made) == before
    assert len(source.requests_to("assets")) == 12
    client.close()
    assert client._pool._shutdown  # pylint: disable=protected-access


def test_first_failure_is_raised(source):
    source.sim.fault("create_asset_version", {"status": 400, "times": 1})
    client = make_client(source)
    with pytest.raises(TwilioError):
        client.concurrently([lambda: upload(client, source)[0] for dummy in range(5)])
    assert [e["status"] for e in source.uploads()].count(400) == 1
    client.close()
