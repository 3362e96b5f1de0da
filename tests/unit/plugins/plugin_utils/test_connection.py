# SPDX-License-Identifier: GPL-3.0-or-later
"""The lookups' connection adapter: the modules' validation and client, errors as one AnsibleLookupError line."""

import pytest
from ansible.errors import AnsibleLookupError

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC
from ansible_collections.twilio_community.serverless.plugins.plugin_utils._connection import (
    plugin_client,
    run_with_client,
)

from ...conftest import ACCOUNT, NORTH, SMALL, SOUTH, TOKEN, assert_no_secret, seed_token


class Plugin:
    """A lookup as the adapter sees it: options by name, and its name for messages."""

    _load_name = "twilio_community.serverless.serverless_builds"

    def __init__(self, **options):
        self.options = dict((name, spec.get("default")) for name, spec in CONNECTION_ARGUMENT_SPEC.items())
        self.options.update(options)

    def get_option(self, name):
        return self.options[name]


def test_client_from_plugin_options(sim):
    client = plugin_client(Plugin(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url))
    assert (client.connection.username, client.connection.retries, client.connection.request_timeout) == (
        ACCOUNT, 5, 30.0)
    client.close()


@pytest.mark.parametrize("options, message", [
    ({}, "account_sid: is required; set the option or the TWILIO_ACCOUNT_SID environment variable"),
    ({"account_sid": ACCOUNT, "auth_token": "", "api_key": ""}, "auth_token: no credentials given"),
    ({"account_sid": ACCOUNT, "auth_token": TOKEN, "retries": 99}, "retries: 99 is out of range"),
])
def test_the_modules_messages(options, message):
    with pytest.raises(AnsibleLookupError) as info:
        plugin_client(Plugin(**options))
    assert str(info.value).startswith(message) and TOKEN not in str(info.value)


def test_api_errors_are_one_line_without_secrets(sim):
    plugin = Plugin(account_sid=ACCOUNT, auth_token="wrong-" + TOKEN, base_url=sim.url, retries=0)
    with pytest.raises(AnsibleLookupError) as info:
        run_with_client(plugin, lambda client: resolve_service(client, "small-app"))
    assert str(info.value).startswith("twilio_community.serverless.serverless_builds: Twilio rejected the credentials")
    assert TOKEN not in str(info.value)


def test_work_gets_a_client_closed_afterwards(sim):
    seen = []

    def work(client):
        seen.append(client)
        return resolve_service(client, "small-app")
    assert run_with_client(Plugin(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url), work) == SMALL
    assert len(seen) == 1 and len(sim.log()) == 1


def test_a_lookup_on_a_subaccount(sim):
    plugin = Plugin(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, subaccount_sid=NORTH,
                    accounts_base_url=sim.server.accounts_url)
    assert run_with_client(plugin, lambda client: resolve_service(client, "north-hotline")) == (
        "ZSa0000000000000000000000000000001")
    assert [(e["route"], e["user"]) for e in sim.log()] == [("account", ACCOUNT), ("service", NORTH)]


def test_a_suspended_subaccount_is_one_lookup_error_line(sim):
    plugin = Plugin(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, subaccount_sid=SOUTH,
                    accounts_base_url=sim.server.accounts_url, retries=0)
    with pytest.raises(AnsibleLookupError) as info:
        run_with_client(plugin, lambda client: resolve_service(client, "north-hotline"))
    assert str(info.value).startswith("twilio_community.serverless.serverless_builds: subaccount_sid %s is suspended"
                                      % SOUTH)
    assert [e["route"] for e in sim.log()] == ["account"]
    assert_no_secret(str(info.value), TOKEN, seed_token(SOUTH))
