# SPDX-License-Identifier: GPL-3.0-or-later
"""API paths only from checked SIDs: the user's, and the ones Twilio sends."""

import copy

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http import paths as _paths
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_deployment as deploy
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_environment_info as env_info

from ...modules.conftest import FakeModule

SERVICE = "ZS" + "7" * 32
BUILD = "ZB" + "0123456789abcdef" * 2
ENV = "ZE" + "a" * 32
VARIABLE = "ZV" + "b" * 32


def test_paths_from_good_sids():
    assert _paths.service_path(SERVICE) == "/v1/Services/" + SERVICE
    assert _paths.service_path("acme-ivr") == "/v1/Services/acme-ivr"
    assert _paths.builds_path(SERVICE) == "/v1/Services/%s/Builds" % SERVICE
    assert _paths.build_path(SERVICE, BUILD) == "/v1/Services/%s/Builds/%s" % (SERVICE, BUILD)
    assert _paths.build_status_path(SERVICE, BUILD) == "/v1/Services/%s/Builds/%s/Status" % (SERVICE, BUILD)
    assert _paths.environments_path(SERVICE) == "/v1/Services/%s/Environments" % SERVICE
    assert _paths.environment_path(SERVICE, ENV) == "/v1/Services/%s/Environments/%s" % (SERVICE, ENV)
    assert _paths.deployments_path(SERVICE, ENV) == "/v1/Services/%s/Environments/%s/Deployments" % (SERVICE, ENV)
    assert _paths.services_path() == "/v1/Services"
    assert _paths.variables_path(SERVICE, ENV) == "/v1/Services/%s/Environments/%s/Variables" % (SERVICE, ENV)
    assert _paths.variable_path(SERVICE, ENV, VARIABLE) == "/v1/Services/%s/Environments/%s/Variables/%s" % (
        SERVICE, ENV, VARIABLE)


@pytest.mark.parametrize("call, message", [
    (lambda: _paths.build_path(SERVICE, "../../Environments"),
     "Twilio sent '../../Environments' where a Build SID belongs ('ZB' followed by 32 hexadecimal digits); it was "
     "not used in a request"),
    (lambda: _paths.build_status_path(SERVICE, None),
     "Twilio sent 'None' where a Build SID belongs"),
    (lambda: _paths.build_path(SERVICE, ENV), "Twilio sent '%s' where a Build SID belongs" % ENV),
    (lambda: _paths.builds_path("acme-ivr"), "Twilio sent 'acme-ivr' where a Service SID belongs"),
    (lambda: _paths.environment_path(SERVICE, ENV + "/x"), "where an Environment SID belongs"),
    (lambda: _paths.deployments_path(SERVICE, 12), "Twilio sent '12' where an Environment SID belongs"),
    (lambda: _paths.environments_path(BUILD), "where a Service SID belongs"),
    (lambda: _paths.service_path("a/b"), "'a/b' is neither a Service SID nor a valid unique name"),
    (lambda: _paths.service_path(""), "'' is neither a Service SID nor a valid unique name"),
    (lambda: _paths.variable_path(SERVICE, ENV, "../Deployments"), "where a Variable SID belongs"),
    (lambda: _paths.variables_path(SERVICE, None), "where an Environment SID belongs"),
])
def test_a_bad_sid_is_one_line_and_no_path(call, message):
    with pytest.raises(TwilioError) as info:
        call()
    assert message in info.value.msg and "\n" not in info.value.msg


def listing_with(sim, route, key, records):
    sim.fault(route, {"json": {key: records, "meta": {"key": key, "next_page_url": None}}})


def test_environment_sid_from_the_server_is_checked(sim, client):
    # serverless_environment_info puts each listed environment's sid into a path (its Deployments).
    listing_with(sim, "environments", "environments",
                 [{"sid": "ZE%s/../../Builds" % ("0" * 32), "unique_name": "production", "domain_suffix": None}])
    params = dict(service=SERVICE, environment=None, deployments=1)
    result = copy.deepcopy(env_info.BLANK_RESULT)
    with pytest.raises(TwilioError) as info:
        env_info.run(FakeModule(params), client, result)
    assert info.value.msg.startswith("Twilio sent 'ZE00000000000000000000000000000000/../.....' where an "
                                     "Environment SID belongs")
    assert [e["path"] for e in sim.log()] == ["/v1/Services/%s/Environments" % SERVICE]


def test_build_sid_from_the_server_is_checked(sim, client):
    # serverless_deployment promotes the build_sid another environment reports: it goes into a path.
    listing_with(sim, "environments", "environments", [
        {"sid": ENV, "unique_name": "production", "domain_suffix": None, "build_sid": None},
        {"sid": "ZE" + "b" * 32, "unique_name": "staging", "domain_suffix": "stage", "build_sid": "ZB?x=1"},
    ])
    listing_with(sim, "deployments", "deployments", [])
    params = dict(service=SERVICE, environment="production", build=None, from_environment="staging", rollback=False)
    module = FakeModule(params)
    module._diff = False  # pylint: disable=protected-access
    result = dict(copy.deepcopy(deploy.BLANK_RESULT), changed=False)
    with pytest.raises(TwilioError) as info:
        deploy.run(module, client, result)
    assert info.value.msg == ("Twilio sent 'ZB?x=1' where a Build SID belongs ('ZB' followed by 32 hexadecimal "
                              "digits); it was not used in a request")
    # The environments and the target's deployments were read; nothing was requested with the bad SID.
    assert [(e["method"], e["route"]) for e in sim.log()] == [("GET", "environments"), ("GET", "deployments")]


def test_function_and_asset_paths():
    service, function, version = "ZS" + "1" * 32, "ZH" + "2" * 32, "ZN" + "3" * 32
    assert _paths.resources_path(service, "asset") == "/v1/Services/%s/Assets" % service
    assert _paths.versions_path(service, "function", function) == "/v1/Services/%s/Functions/%s/Versions" % (
        service, function)
    assert _paths.function_content_path(service, function, version) == \
        "/v1/Services/%s/Functions/%s/Versions/%s/Content" % (service, function, version)
    for bad in ("ZH123", "../x", None, version):
        with pytest.raises(TwilioError, match="it was not used in a request"):
            _paths.versions_path(service, "asset", bad)
    with pytest.raises(TwilioError, match="Function or Asset Version SID"):
        _paths.function_content_path(service, function, "ZN/../../Builds")


def test_child_path_checks_the_sid_it_adds():
    parent = _paths.environment_path(SERVICE, ENV)
    assert _paths.child_path(parent, "Logs") == parent + "/Logs"
    assert _paths.child_path(parent, "Variables", VARIABLE, "ZV") == parent + "/Variables/" + VARIABLE
    with pytest.raises(TwilioError, match="^Twilio sent '../x' where a Variable SID belongs"):
        _paths.child_path(parent, "Variables", "../x", "ZV")
    with pytest.raises(TwilioError, match="^Twilio sent 'None' where a Variable SID belongs"):
        _paths.child_path(parent, "Variables", None, "ZV")
