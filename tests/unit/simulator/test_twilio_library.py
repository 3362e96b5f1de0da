# SPDX-License-Identifier: GPL-3.0-or-later
"""The official twilio Python library works against the simulator, as against Twilio."""

from twilio.rest import Client

from ..conftest import ACCOUNT, BIG, SMALL, TOKEN
from .test_spec_conformance import upload


def test_list_and_page_builds(sim):
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = sim.url
    builds = client.serverless.v1.services(BIG).builds.list(page_size=1000)
    assert len(builds) == 2500 and len({b.sid for b in builds}) == 2500
    assert len(sim.log()) == 3


def test_fetch_build_and_status(sim):
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = sim.url
    build = client.serverless.v1.services(SMALL).builds("ZB00000000000000000000000000000002").fetch()
    assert build.status == "failed" and build.runtime == "node20"
    status = client.serverless.v1.services("small-app").builds("ZB00000000000000000000000000000001") \
        .build_status().fetch()
    assert status.status == "completed"


def test_create_and_list_deployments(fresh_sim):
    """The library creates a build, an environment and a deployment, and lists them, as against Twilio."""
    import time
    fresh_sim.server.store.services["ZS77777777777777777777777777777777"].new_build["ready_in"] = 0.2
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = fresh_sim.url
    service = client.serverless.v1.services("release-app")
    # The library has no upload (Twilio's upload host is not in its API): one version is uploaded by hand.
    function = service.functions.create(friendly_name="/lib")
    version = upload(fresh_sim, "ZS77777777777777777777777777777777", "Functions", "/lib", b"exports.handler = 1;\n",
                     resource_sid=function.sid)
    build = service.builds.create(runtime="node22", function_versions=[version["sid"]])
    assert [v["sid"] for v in build.function_versions] == [version["sid"]]
    assert build.status == "building"
    environment = service.environments.create(unique_name="lib-test", domain_suffix="lib")
    time.sleep(0.3)
    deployment = service.environments(environment.sid).deployments.create(build_sid=build.sid)
    assert deployment.build_sid == build.sid and deployment.environment_sid == environment.sid
    assert [d.sid for d in service.environments(environment.sid).deployments.list()] == [deployment.sid]
    assert service.environments(environment.sid).fetch().build_sid == build.sid
    names = [e.unique_name for e in service.environments.list()]
    assert names == ["stage-environment", "production", "dev-environment", "lib-test"]


def test_services_functions_assets_and_versions(fresh_sim):
    """Every source call the library has (it has no upload): as against Twilio, field for field."""
    import json
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = fresh_sim.url
    created = client.serverless.v1.services.create(unique_name="lib-source", friendly_name="Lib source",
                                                   include_credentials=False)
    assert created.unique_name == "lib-source" and created.include_credentials is False
    service = client.serverless.v1.services(created.sid)
    assert service.update(friendly_name="Renamed").friendly_name == "Renamed"
    function = service.functions.create(friendly_name="/hello")
    asset = service.assets.create(friendly_name="/logo.png")
    assert [f.sid for f in service.functions.list()] == [function.sid]
    assert service.assets(asset.sid).fetch().friendly_name == "/logo.png"
    code = b"exports.handler = (context, event, callback) => callback(null, 'hi');\r\n"
    fv = upload(fresh_sim, created.sid, "Functions", "/hello", code, visibility="protected", resource_sid=function.sid)
    av = upload(fresh_sim, created.sid, "Assets", "/logo.png", b"\x89PNG\r\n\x1a\n\x00", content_type="image/png",
                resource_sid=asset.sid)
    versions = service.functions(function.sid).function_versions.list()
    assert [(v.sid, v.path, v.visibility) for v in versions] == [(fv["sid"], "/hello", "protected")]
    content = service.functions(function.sid).function_versions(fv["sid"]).function_version_content().fetch()
    assert content.content == code.decode() and content.function_sid == function.sid
    assert [v.sid for v in service.assets(asset.sid).asset_versions.list()] == [av["sid"]]
    assert service.assets(asset.sid).asset_versions(av["sid"]).fetch().path == "/logo.png"
    build = service.builds.create(function_versions=[fv["sid"]], asset_versions=[av["sid"]], runtime="node22",
                                  dependencies=json.dumps([{"name": "lodash", "version": "4.17.21"}]))
    assert [d["name"] for d in build.dependencies] == ["lodash", "twilio", "@twilio/runtime-handler"]
    assert build.fetch().asset_versions[0]["sid"] == av["sid"]
    assert service.delete() is True
    assert [s.sid for s in client.serverless.v1.services.list()].count(created.sid) == 0


def test_environment_and_variables(fresh_sim):
    """Environment create and delete, and Variables create, list, fetch, update and delete, as against Twilio."""
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = fresh_sim.url
    service = client.serverless.v1.services("release-app")
    environment = service.environments.create(unique_name="lib-vars", domain_suffix="libvars")
    assert environment.domain_suffix == "libvars" and environment.build_sid is None
    variables = service.environments(environment.sid).variables
    created = variables.create(key="GREETING", value="hello")
    assert created.key == "GREETING" and created.value == "hello"
    assert [(v.key, v.value) for v in variables.list()] == [("GREETING", "hello")]
    assert variables(created.sid).update(value="bonjour").value == "bonjour"
    assert variables(created.sid).fetch().value == "bonjour"
    assert variables(created.sid).delete() is True
    assert variables.list() == []
    assert service.environments(environment.sid).delete() is True
    assert "lib-vars" not in [e.unique_name for e in service.environments.list()]


def test_delete_build(fresh_sim):
    """The library's DeleteBuild: True for a build no environment runs; a live one raises the 409."""
    import pytest
    from twilio.base.exceptions import TwilioRestException
    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = fresh_sim.url
    builds = client.serverless.v1.services("release-app").builds
    assert builds("ZB000000000000000000000000000000a4").delete() is True
    with pytest.raises(TwilioRestException) as raised:
        builds("ZB000000000000000000000000000000a1").delete()
    assert raised.value.status == 409
    assert [b.sid for b in builds.list()] == ["ZB000000000000000000000000000000a5", "ZB000000000000000000000000000000a3",
                                              "ZB000000000000000000000000000000a2", "ZB000000000000000000000000000000a1"]
