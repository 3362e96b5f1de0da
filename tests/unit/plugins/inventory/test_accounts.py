# SPDX-License-Identifier: GPL-3.0-or-later
"""The accounts inventory plugin against the simulator: hosts, groups and constructed features, the status
filter, the cache, bad options before any request, and no subaccount's secret anywhere it writes."""

import json
import os

import pytest
import yaml
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

from ansible_collections.twilio_community.serverless.plugins.inventory import accounts

from ...conftest import ACCOUNT, API_KEY, API_SECRET, SEED, TOKEN, assert_no_secret

with open(SEED, encoding="utf-8") as _handle:
    _SUBS = {a["sid"]: a for a in json.load(_handle)["accounts"] if a.get("owner_account_sid") == ACCOUNT}
NORTH, SOUTH, EAST = sorted(_SUBS)
SECRETS = [TOKEN, API_SECRET] + [a["auth_token"] for a in _SUBS.values()]
ENV = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_REGION",
       "TWILIO_EDGE", "TWILIO_ACCOUNTS_BASE_URL", "TWILIO_SERVERLESS_BASE_URL", "TWILIO_SERVERLESS_CA_PATH")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def _plugin():
    """The plugin as Ansible's loader makes it, its options defined from its documentation and fragments (the
    loader itself may not know this checkout's collection path in a unit test run)."""
    from ansible import constants as C
    from ansible.plugins.loader import fragment_loader
    from ansible.utils.plugin_docs import get_docstring
    doc = get_docstring(accounts.__file__, fragment_loader)[0]
    C.config.initialize_plugin_configuration_definitions("inventory", accounts.InventoryModule.NAME, doc["options"])
    plugin = accounts.InventoryModule()
    plugin._load_name = accounts.InventoryModule.NAME
    plugin._redirected_names = [accounts.InventoryModule.NAME]  # as the loader sets it (ansible-core 2.16 reads it)
    return plugin


class Run:
    """One parse of a config file: the inventory, and the warnings shown."""

    def __init__(self, inventory, warnings):
        self.inventory = inventory
        self.warnings = warnings

    @property
    def hosts(self):
        return sorted(self.inventory.hosts)

    def vars(self, host):
        return dict((k, v) for k, v in self.inventory.get_host(host).vars.items() if not k.startswith("inventory_"))

    def group(self, name):
        return sorted(h.name for h in self.inventory.groups[name].get_hosts())


@pytest.fixture
def parse(sim, tmp_path, monkeypatch):
    def run(name="fleet.twilio_accounts.yml", use_cache=True, **options):
        config = {"plugin": "twilio_community.serverless.accounts", "account_sid": ACCOUNT, "auth_token": TOKEN,
                  "accounts_base_url": sim.server.accounts_url, "base_url": sim.url, "retries": 0}
        config.update(options)
        config = {k: v for k, v in config.items() if v is not None}
        path = tmp_path / name
        path.write_text(yaml.safe_dump(config))
        plugin = _plugin()
        warnings = []
        monkeypatch.setattr(plugin.display, "warning", lambda msg, *a, **k: warnings.append(msg))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=use_cache)
        try:
            plugin.update_cache_if_changed()  # as the inventory manager does after a parse
        except AttributeError:  # no cache set up (cache: false)
            pass
        return Run(inventory, warnings)
    return run


def test_active_subaccounts_are_hosts_and_the_others_warned(parse, sim):
    run = parse()
    assert run.hosts == ["helpline_north"]
    assert run.vars("helpline_north") == {"twilio_subaccount_sid": NORTH, "twilio_account_friendly_name": "Helpline North",
                                          "twilio_account_status": "active"}
    assert run.group("twilio_accounts") == run.group("twilio_status_active") == ["helpline_north"]
    assert run.warnings == ["Skipped subaccount %s: its status is suspended, not one of statuses (active)" % SOUTH,
                            "Skipped subaccount %s: its status is closed, not one of statuses (active)" % EAST]
    # One page of the Accounts API, and nothing sent to the Serverless API.
    assert [(e["route"], e["user"], e["query"].get("PageSize")) for e in sim.log()] == [("accounts", ACCOUNT, "1000")]


def test_statuses_main_account_and_name_patterns(parse):
    run = parse(statuses=["active", "suspended", "closed"], include_main_account=True)
    assert run.hosts == [ACCOUNT.lower(), "helpline_east", "helpline_north", "helpline_south"]
    assert run.group("twilio_status_closed") == ["helpline_east"] and run.warnings == []
    assert run.vars(ACCOUNT.lower())["twilio_subaccount_sid"] == ACCOUNT
    run = parse(statuses=["active", "suspended"], name_patterns=["Helpline S*", "*East"], include_main_account=True)
    assert run.hosts == [ACCOUNT.lower(), "helpline_south"]
    assert run.warnings == ["Skipped subaccount %s: its status is closed, not one of statuses (active, suspended)" % EAST]
    assert parse(name_patterns=["helpline*"]).hosts == []  # case-sensitive


def test_constructed_features(parse):
    run = parse(statuses=["active", "suspended"], compose={"region": "twilio_account_friendly_name.split(' ')[1] | lower"},
                groups={"northern": "region == 'north'"},
                keyed_groups=[{"key": "twilio_account_status", "prefix": "state"}])
    assert run.vars("helpline_south")["region"] == "south"
    assert run.group("northern") == ["helpline_north"]
    assert run.group("state_suspended") == ["helpline_south"] and run.group("state_active") == ["helpline_north"]
    with pytest.raises(AnsibleError, match="no_such_var"):
        parse(compose={"x": "no_such_var.y"}, strict=True)
    assert "x" not in parse(compose={"x": "no_such_var.y"}).vars("helpline_north")


def test_services_are_hosts_with_the_subaccounts_own_credentials(parse, sim):
    run = parse(include_services=True, statuses=["active", "suspended"])
    assert run.hosts == ["helpline_north_north-hotline"]
    assert run.vars("helpline_north_north-hotline") == {
        "twilio_subaccount_sid": NORTH, "twilio_account_friendly_name": "Helpline North", "twilio_account_status": "active",
        "twilio_service_sid": "ZSa0000000000000000000000000000001", "twilio_service": "north-hotline"}
    assert sorted(run.warnings) == [
        "Skipped subaccount %s: its status is closed, not one of statuses (active, suspended)" % EAST,
        "Subaccount %s is suspended: Twilio refuses its credentials, so its Services are not listed" % SOUTH]
    assert [(e["route"], e["user"]) for e in sim.log()] == [("accounts", ACCOUNT), ("services", NORTH)]


def test_names_made_safe_and_unique():
    assert accounts.safe_name("Helpline: North / 2") == "helpline_north_2"
    assert accounts.unique_names([("a", "AC1"), ("b", "AC2"), ("a", "AC3"), ("", "AC4")]) == {
        "AC1": "a_AC1", "AC2": "b", "AC3": "a_AC3", "AC4": "AC4"}


def test_two_subaccounts_of_one_name(parse, sim):
    sim.server.store.accounts[EAST].friendly_name = "Helpline North"
    sim.server.store.accounts[EAST].status = "active"
    try:
        assert parse().hosts == ["helpline_north_" + NORTH, "helpline_north_" + EAST]
    finally:
        sim.server.store.accounts[EAST].friendly_name = "Helpline East"
        sim.server.store.accounts[EAST].status = "closed"


def test_an_api_key_of_the_main_account(parse):
    assert parse(auth_token=None, api_key=API_KEY, api_secret=API_SECRET).hosts == ["helpline_north"]


def test_environment_variables_and_empty_ones(parse, sim, monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("TWILIO_API_KEY", "")
    monkeypatch.setenv("TWILIO_API_SECRET", "")
    monkeypatch.setenv("TWILIO_ACCOUNTS_BASE_URL", sim.server.accounts_url)
    assert parse(account_sid=None, auth_token=None, accounts_base_url=None).hosts == ["helpline_north"]


@pytest.mark.parametrize("options, message", [
    ({"account_sid": None}, "account_sid: is required; set the option or the TWILIO_ACCOUNT_SID environment variable"),
    ({"account_sid": ""}, "account_sid: is required"),
    ({"auth_token": None}, "auth_token: no credentials given"),
    ({"auth_token": ""}, "auth_token: no credentials given"),
    ({"account_sid": "ZS11111111111111111111111111111111"}, "account_sid: "),
    ({"accounts_base_url": "https://api.twilio.com/2010-04-01"},
     "accounts_base_url: 'https://api.twilio.com/2010-04-01' has a path"),
    ({"accounts_base_url": "http://api.example.com"}, "accounts_base_url: 'http://api.example.com' would send credentials"),
    ({"base_url": "ftp://x"}, "base_url: "),
    ({"name_patterns": [""]}, "name_patterns: '' is not a pattern"),
    ({"retries": 99}, "retries: 99 is out of range"),
])
def test_bad_options_fail_before_any_request(parse, sim, options, message):
    with pytest.raises(AnsibleParserError) as info:
        parse(**options)
    assert str(info.value).startswith("twilio_community.serverless.accounts: " + message), str(info.value)
    assert_no_secret(str(info.value), *SECRETS)
    assert sim.log() == []


def test_a_status_not_known(parse):
    with pytest.raises(AnsibleError, match="statuses"):
        parse(statuses=["dormant"])


def test_api_errors_name_no_secret(parse, sim):
    with pytest.raises(AnsibleParserError) as info:
        parse(auth_token="wrong-" + TOKEN)
    assert "401" in str(info.value) or "Authenticate" in str(info.value)
    assert_no_secret(str(info.value), *SECRETS)
    sim.fault("services", {"status": 500})
    with pytest.raises(AnsibleParserError) as info:
        parse(include_services=True)
    assert NORTH in str(info.value)
    assert_no_secret(str(info.value), *SECRETS)


def test_the_cache_holds_no_secret_and_is_used(parse, sim, tmp_path):
    cache_dir = tmp_path / "cache"
    options = dict(cache=True, cache_plugin="jsonfile", cache_connection=str(cache_dir),
                   include_services=True, statuses=["active", "suspended", "closed"], include_main_account=True)
    first = parse(use_cache=False, **options)  # as ansible-inventory --flush-cache: read Twilio, write the cache
    assert len(sim.log()) == 3
    files = os.listdir(str(cache_dir))
    assert len(files) == 1
    text = (cache_dir / files[0]).read_text()
    assert NORTH in text and "north-hotline" in text
    assert_no_secret(text, *SECRETS)
    assert "auth_token" not in text
    sim.server.clear_log()
    second = parse(**options)
    assert sim.log() == [] and second.hosts == first.hosts
    # Another shape asked for (no services): read again.
    parse(**dict(options, include_services=False))
    assert [e["route"] for e in sim.log()] == ["accounts"]


def test_no_token_in_host_vars_or_warnings(parse):
    run = parse(include_services=True, statuses=["active", "suspended", "closed"], include_main_account=True,
                compose={"everything": "vars"})
    shown = json.dumps({h: {k: v for k, v in run.vars(h).items() if k != "everything"} for h in run.hosts}) + \
        "\n".join(run.warnings)
    assert_no_secret(shown, *SECRETS)


def test_verify_file(tmp_path):
    plugin = _plugin()
    for name, wanted in (("a.twilio_accounts.yml", True), ("a.twilio_accounts.yaml", True), ("a.yml", False)):
        path = tmp_path / name
        path.write_text("plugin: twilio_community.serverless.accounts\n")
        assert plugin.verify_file(str(path)) is wanted
