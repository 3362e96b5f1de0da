# SPDX-License-Identifier: GPL-3.0-or-later
"""Environments: names checked, the conflicts Twilio cannot settle named, writes reconciled by re-reading."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import environments as writes
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN

SERVICE = "ZS77777777777777777777777777777777"
ENVS = [{"sid": "ZE" + "1" * 32, "unique_name": "staging", "domain_suffix": "stage"},
        {"sid": "ZE" + "2" * 32, "unique_name": "production", "domain_suffix": None}]


@pytest.mark.parametrize("call, message", [
    (lambda: writes.check_unique_name(" "), "^name: ' ' is not a unique name of 1 to 100"),
    (lambda: writes.check_unique_name("x" * 101), "^name: .* is not a unique name"),
    (lambda: writes.check_domain_suffix("x" * 17), "^domain_suffix: .* is not a domain suffix: 1 to 16"),
    (lambda: writes.check_domain_suffix("-x"), "^domain_suffix: '-x' is not"),
    (lambda: writes.check_domain_suffix("a.b"), "^domain_suffix: 'a.b' is not"),
])
def test_names_are_checked(call, message):
    with pytest.raises(OptionError, match=message):
        call()


def test_existing_environment_and_the_conflicts():
    assert writes.existing_environment(ENVS, "staging", "stage", SERVICE) is ENVS[0]
    assert writes.existing_environment(ENVS, "production", None, SERVICE) is ENVS[1]
    assert writes.existing_environment(ENVS, "dev", "dev", SERVICE) is None
    with pytest.raises(TaskFailed, match="Environment staging of service .* exists with domain suffix stage, not stg"):
        writes.existing_environment(ENVS, "staging", "stg", SERVICE)
    with pytest.raises(TaskFailed, match="exists with domain suffix None, not prod"):
        writes.existing_environment(ENVS, "production", "prod", SERVICE)
    with pytest.raises(TaskFailed, match=r"Domain suffix stage of service .* is held by environment staging \(ZE1"):
        writes.existing_environment(ENVS, "stage-2", "stage", SERVICE)


@pytest.fixture
def sim_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 2, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=lambda s: None)
    yield fresh_sim, made
    made.close()


@pytest.mark.parametrize("fault", [{"commit": True, "status": 503}, {"commit": True, "drop": True}])
def test_a_create_that_took_effect_is_adopted_and_a_delete_too(sim_client, fault):
    sim, client = sim_client
    sim.fault("create_environment", fault)
    warnings = []
    created = writes.create_environment(client, SERVICE, "preview", "preview", warnings)
    assert created["unique_name"] == "preview" and len(warnings) == 1
    assert [e["route"] for e in sim.log()].count("create_environment") == 1
    sim.fault("delete_environment", fault)
    writes.delete_environment(client, SERVICE, created, warnings)
    assert len(warnings) == 2 and [e["route"] for e in sim.log()].count("delete_environment") == 1
    assert "preview" not in [e.unique_name for e in sim.server.store.services[SERVICE].environments]


def test_environments_as_other_sources_show_them():
    """domain_suffix missing or null (the bare production environment), unique_name null, unknown fields."""
    shown = [dict(ENVS[0], custom_domain_name=None, date_updated=None, brand_new=[1]),
             dict((k, v) for k, v in ENVS[1].items() if k != "domain_suffix"),
             {"sid": "ZE" + "3" * 32, "unique_name": None, "domain_suffix": "dev", "build_sid": None}]
    assert writes.find_environment(shown, "stage-environment", SERVICE) is shown[0]
    assert writes.find_environment(shown, "production", SERVICE) is shown[1]
    assert writes.find_environment(shown, "dev", SERVICE) is shown[2]
    assert writes.existing_environment(shown, "production", None, SERVICE) is shown[1]
    assert writes.read_environment(shown[1]) == dict(sid=ENVS[1]["sid"], unique_name="production", domain_suffix=None,
                                                     build_sid=None)
    assert writes.read_environment(dict(ENVS[0], build_sid="ZB?x=1"))["build_sid"] is None
    with pytest.raises(OptionError, match="'None' is not an environment"):
        writes.find_environment(shown, "None", SERVICE)
