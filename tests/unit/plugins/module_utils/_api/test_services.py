# SPDX-License-Identifier: GPL-3.0-or-later
"""Services as things to create, update and delete, with the writes reconciled by re-reading."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import services as _services
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN


@pytest.fixture
def sim_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 2, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=lambda s: None)
    yield fresh_sim, made
    made.close()


@pytest.mark.parametrize("value, message", [
    ("ZS" + "0" * 32, "is a Service SID; give the unique name"),
    ("a/b", "is not a valid unique name"),
    ("x" * 51, "is not a valid unique name"),
    ("", "is not a valid unique name"),
])
def test_names_are_checked(value, message):
    with pytest.raises(OptionError, match="^name: .*" + message):
        _services.check_service_name(value)


def test_differences_and_form():
    record = {"friendly_name": "A", "include_credentials": True, "ui_editable": False}
    assert _services.differences(record, {"friendly_name": "A", "include_credentials": False, "ui_editable": False}) \
        == {"include_credentials": False}
    assert _services.form({"include_credentials": False, "friendly_name": "B"}) == {
        "IncludeCredentials": "false", "FriendlyName": "B"}


def test_create_update_delete(sim_client):
    sim, client = sim_client
    assert _services.find_service(client, "new-app") is None
    created = _services.create_service(client, "new-app", {"friendly_name": "New", "include_credentials": False,
                                                           "ui_editable": False}, [])
    assert created["unique_name"] == "new-app" and created["include_credentials"] is False
    updated = _services.update_service(client, created["sid"], {"ui_editable": True}, [])
    assert updated["ui_editable"] is True and updated["friendly_name"] == "New"
    sim.server.clear_log()
    _services.delete_service(client, created["sid"], [])
    assert _services.find_service(client, "new-app") is None
    assert [e["route"] for e in sim.log()] == ["delete_service", "service"]


@pytest.mark.parametrize("fault", [{"commit": True, "status": 503}, {"commit": True, "drop": True}])
def test_a_create_that_took_effect_is_adopted(sim_client, fault):
    sim, client = sim_client
    sim.fault("create_service", fault)
    warnings = []
    created = _services.create_service(client, "adopted-app", {"friendly_name": "A"}, warnings)
    assert created["unique_name"] == "adopted-app" and len(warnings) == 1
    assert [e["route"] for e in sim.log()].count("create_service") == 1
    assert len([s for s in sim.server.store.services.values() if s.unique_name == "adopted-app"]) == 1


def test_a_create_that_did_not_take_effect_is_sent_again_within_the_bound(sim_client):
    sim, client = sim_client
    sim.fault("create_service", {"status": 503, "times": -1})
    with pytest.raises(TwilioError) as info:
        _services.create_service(client, "never-app", {"friendly_name": "N"}, [])
    assert "gave up after 3 attempts" in info.value.msg
    assert [e["route"] for e in sim.log()].count("create_service") == 3


def test_a_delete_already_done_is_done(sim_client):
    sim, client = sim_client
    sim.fault("delete_service", {"commit": True, "status": 500})
    warnings = []
    _services.delete_service(client, "ZS77777777777777777777777777777777", warnings)
    assert "ZS77777777777777777777777777777777" not in sim.server.store.services and len(warnings) == 1
    _services.delete_service(client, "ZS77777777777777777777777777777777", warnings)  # a 404 now: gone
    assert len(warnings) == 1


def test_differences_read_the_record_tolerantly():
    wanted = {"friendly_name": "A", "include_credentials": True, "ui_editable": False}
    shown = {"friendly_name": "A", "include_credentials": "TRUE", "ui_editable": "false", "date_updated": None,
             "brand_new": {"x": 1}}
    assert _services.differences(shown, wanted) == {}
    assert _services.differences({"friendly_name": None}, wanted) == wanted
    assert _services.read_service({"sid": "ZS" + "0" * 32, "unique_name": None, "ui_editable": 1}) == dict(
        sid="ZS" + "0" * 32, unique_name=None, friendly_name=None, include_credentials=None, ui_editable=None)
