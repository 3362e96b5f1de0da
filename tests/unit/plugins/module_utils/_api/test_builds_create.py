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

from ...fake_serverless import ACCOUNT, SERVICE, FakeServerless


@pytest.fixture
def fake():
    return FakeServerless()


@pytest.fixture
def client(fake):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": "t", "retries": 3}),
                        session=fake, sleep=lambda s: None, rand=lambda: 0.5)
    yield made
    made.close()


def versions(fake):
    return ([fake.add_version("function", "/a", b"a"), fake.add_version("function", "/m", b"m", "private")],
            [fake.add_version("asset", "/x.png", b"\x89")])


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
def test_never_two_builds(fake, client, fault, posts, adopted):
    functions, assets = versions(fake)
    if fault:
        fake.faults.append(dict(fault, route="create_build"))
    warnings = []
    build = create_build(client, SERVICE, functions, assets, {"axios": "1"}, "node22", warnings)
    assert len(fake.builds) == 1 and build["sid"] == fake.builds[0]["sid"]
    assert len(fake.requests_to("create_build")) == posts
    assert bool(warnings) == adopted
    if adopted:
        assert "build %s made of these versions exists" % build["sid"] in warnings[0]
    assert client.stats()["retries"] == (posts - 1)


def test_an_older_build_of_other_versions_is_not_adopted(fake, client):
    functions, assets = versions(fake)
    fake.add_build(functions[:1], assets)  # same versions but one: made by someone else
    fake.faults.append({"route": "create_build", "status": 503})
    create_build(client, SERVICE, functions, assets, {}, "node22", [])
    assert len(fake.builds) == 2 and len(fake.requests_to("create_build")) == 2


def test_gives_up_without_a_build(fake, client):
    functions, assets = versions(fake)
    fake.faults.append({"route": "create_build", "status": 503, "times": -1})
    with pytest.raises(TwilioError, match="no build of these versions exists; gave up after 4 attempts"):
        create_build(client, SERVICE, functions, assets, {}, "node22", [])
    assert fake.builds == [] and len(fake.requests_to("create_build")) == 4


def test_400_with_a_hint(fake, client):
    with pytest.raises(TwilioError) as caught:
        create_build(client, SERVICE, [], [], {}, "node22", [])
    assert caught.value.http_status == 400 and caught.value.code == 20001
    assert "At least one Function Version or Asset Version is required" in caught.value.msg
    assert "an empty dist/ or build output folder?" in caught.value.msg
    assert len(fake.log) == 1


@pytest.mark.parametrize("fault, posts", [(None, 1), ({"status": 503}, 2), ({"status": 503, "commit": True}, 1),
                                          ({"drop": True, "commit": True}, 1)])
def test_resource_created_once(fake, client, fault, posts):
    if fault:
        fake.faults.append(dict(fault, route="create_resource"))
    sid = create_resource(client, SERVICE, "function", "/hello")
    assert list_resources(client, SERVICE, "function") == {"/hello": sid}
    assert len(fake.requests_to("create_resource")) == posts


def test_content(fake, client):
    sid = fake.add_version("function", "/a", u"exports.x = '\u00e9';\r\n".encode("utf-8"))
    resource = fake.versions[sid]["resource_sid"]
    assert fetch_function_content(client, SERVICE, resource, sid) == u"exports.x = '\u00e9';\r\n".encode("utf-8")
