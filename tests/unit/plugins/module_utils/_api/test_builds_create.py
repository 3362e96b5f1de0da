# SPDX-License-Identifier: GPL-3.0-or-later
"""CreateBuild and the Function/Asset resources under each fault: never two builds, never two resources."""

import json

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import build_form, create_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.functions_assets import (
    create_resource,
    fetch_function_content,
    list_resources,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ...source_sim import SourceService


@pytest.fixture
def source(fresh_sim):
    return SourceService(fresh_sim)


@pytest.fixture
def client(source):
    made = TwilioClient(connection_from_params(source.connection_params()), sleep=lambda s: None, rand=lambda: 0.5)
    yield made
    made.close()


def versions(source):
    return ([source.add_version("function", "/a", b"a"), source.add_version("function", "/m", b"m", "private")],
            [source.add_version("asset", "/x.png", b"\x89")])


def test_form():
    form = build_form(["ZN1", "ZN2"], ["ZN3"], {"b": "1", "a": "*"}, "node22")
    assert form[:3] == [("FunctionVersions", "ZN1"), ("FunctionVersions", "ZN2"), ("AssetVersions", "ZN3")]
    assert form[3][0] == "Dependencies" and json.loads(form[3][1]) == [{"name": "a", "version": "*"},
                                                                       {"name": "b", "version": "1"}]
    assert form[4] == ("Runtime", "node22")


@pytest.mark.parametrize("fault, posts, adopted", [
    (None, 1, False),
    ({"status": 429}, 2, False),
    ({"status": 503}, 2, False),
    ({"status": 503, "commit": True}, 1, True),
    ({"status": 500, "commit": True}, 1, True),
    ({"drop": True}, 2, False),
    ({"drop": True, "commit": True}, 1, True),
])
def test_never_two_builds(source, client, fault, posts, adopted):
    functions, assets = versions(source)
    if fault:
        source.sim.fault("create_build", fault)
    warnings = []
    build = create_build(client, source.sid, functions, assets, {"axios": "1"}, "node22", warnings)
    assert len(source.builds) == 1 and build["sid"] == source.builds[0].sid
    assert len(source.requests_to("create_build")) == posts
    assert bool(warnings) == adopted
    if adopted:
        assert "build %s made of these versions exists" % build["sid"] in warnings[0]
    assert client.stats()["retries"] == (posts - 1)


def test_an_older_build_of_other_versions_is_not_adopted(source, client):
    functions, assets = versions(source)
    source.add_build(functions[:1], assets)  # same versions but one: made by someone else
    source.sim.fault("create_build", {"status": 503})
    create_build(client, source.sid, functions, assets, {}, "node22", [])
    assert len(source.builds) == 2 and len(source.requests_to("create_build")) == 2


def test_gives_up_without_a_build(source, client):
    functions, assets = versions(source)
    source.sim.fault("create_build", {"status": 503, "times": -1})
    with pytest.raises(TwilioError, match="no build of these versions exists; gave up after 4 attempts"):
        create_build(client, source.sid, functions, assets, {}, "node22", [])
    assert source.builds == [] and len(source.requests_to("create_build")) == 4


def test_400_with_a_hint(source, client):
    with pytest.raises(TwilioError) as caught:
        create_build(client, source.sid, [], [], {}, "node22", [])
    assert caught.value.http_status == 400 and caught.value.code == 20001
    assert "At least one Function Version or Asset Version is required" in caught.value.msg
    assert "an empty dist/ or build output folder?" in caught.value.msg
    assert len(source.log()) == 1


@pytest.mark.parametrize("fault, posts", [(None, 1), ({"status": 503}, 2), ({"status": 503, "commit": True}, 1),
                                          ({"drop": True, "commit": True}, 1)])
def test_resource_created_once(source, client, fault, posts):
    if fault:
        source.sim.fault("create_function", fault)
    warnings = []
    sid = create_resource(client, source.sid, "function", "/hello", warnings)
    assert list_resources(client, source.sid, "function") == {"/hello": sid}
    assert len(source.requests_to("create_function")) == posts
    assert len(warnings) == (1 if fault and fault.get("commit") else 0)
    assert source.friendly_names("function") == ["/hello"]


def test_content(source, client):
    sid = source.add_version("function", "/a", u"exports.x = '\u00e9';\r\n".encode("utf-8"))
    resource = source.version(sid).resource_sid
    assert fetch_function_content(client, source.sid, resource, sid) == u"exports.x = '\u00e9';\r\n".encode("utf-8")
    assert [e["route"] for e in source.log()] == ["function_version_content"]
