# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: accounts
short_description: A main Twilio account's subaccounts (and their Serverless Services) as hosts
version_added: 0.3.0
description:
  - Reads the subaccounts of a main account from Twilio's Accounts API with the main account's credentials and
    makes each active one a host, or with O(include_services) each of their Serverless Services a host.
  - Hosts carry the subaccount's SID, never a credential. Tasks pass it to the modules as C(subaccount_sid),
    which resolve the subaccount's credentials at run time with the main ones (see the example). No auth token
    is kept in the inventory, its cache or a warning.
  - Subaccounts whose status is not in O(statuses) (Twilio's C(suspended) and C(closed)) are skipped with a
    warning naming the SID and the status; the inventory does not fail for them.
  - The configuration file's name must end in C(.twilio_accounts.yml) or C(.twilio_accounts.yaml).
  - Groups, C(compose) and C(keyed_groups) are Ansible's constructed features; the inventory cache stores the
    accounts' names, SIDs and statuses (and Services), never a token.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
requirements:
  - requests (Python library, on the controller)
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin, so Ansible picks it for the file.
    required: true
    type: str
    choices: [twilio_community.serverless.accounts]
  account_sid:
    description:
      - The main account's SID (V(AC)...), whose subaccounts are read. Required.
      - An empty environment variable counts as unset.
    type: str
    env:
      - name: TWILIO_ACCOUNT_SID
  auth_token:
    description:
      - The main account's auth token. Give this, or O(api_key) and O(api_secret).
    type: str
    env:
      - name: TWILIO_AUTH_TOKEN
  api_key:
    description:
      - An API key SID (V(SK)...) of the main account; with O(api_secret), used instead of O(auth_token).
      - Twilio lets only a Main API key (not a Standard one) read the Accounts API.
    type: str
    env:
      - name: TWILIO_API_KEY
  api_secret:
    description: The API key's secret.
    type: str
    env:
      - name: TWILIO_API_SECRET
  region:
    description: Twilio region, such as V(ie1); the default hosts then carry it.
    type: str
    env:
      - name: TWILIO_REGION
  edge:
    description: Twilio edge location, such as V(dublin); the default hosts then carry it.
    type: str
    env:
      - name: TWILIO_EDGE
  accounts_base_url:
    description:
      - The origin of Twilio's Accounts API (v2010), such as V(https://api.twilio.com), the default (with
        O(region) and O(edge) C(https://api.{edge}.{region}.twilio.com)). Only scheme, host and port; plain
        http only for a loopback host (a local simulator).
      - Each page of the listing must stay on this origin; credentials are never sent elsewhere.
    type: str
    env:
      - name: TWILIO_ACCOUNTS_BASE_URL
  base_url:
    description:
      - The origin of the Serverless API, read only with O(include_services); as the modules' O(base_url).
    type: str
    env:
      - name: TWILIO_SERVERLESS_BASE_URL
  validate_certs:
    description: Whether TLS certificates are checked. Turn off only for testing.
    type: bool
    default: true
  ca_path:
    description: A file of PEM CA certificates to trust instead of the system's.
    type: str
    env:
      - name: TWILIO_SERVERLESS_CA_PATH
  request_timeout:
    description: Seconds one request may take.
    type: float
    default: 30
  retries:
    description: How often a read is sent again after a 429, a 5xx or a network error.
    type: int
    default: 5
  include_main_account:
    description:
      - Whether the main account itself is a host too (with C(twilio_subaccount_sid) its own SID, which the
        modules accept as the main account). It is one regardless of O(name_patterns).
    type: bool
    default: false
  statuses:
    description:
      - The account statuses that make hosts. An account with another status is skipped with a warning.
      - Twilio refuses a suspended or closed account's credentials, so tasks against one fail; with
        O(include_services) such an account makes no host (its Services cannot be listed), with a warning.
    type: list
    elements: str
    choices: [active, suspended, closed]
    default: [active]
  name_patterns:
    description:
      - Shell-style patterns (C(*), C(?), C([...]), case-sensitive) on the subaccounts' friendly names; a
        subaccount matching none is left out quietly. Empty, the default, keeps all.
    type: list
    elements: str
    default: []
  include_services:
    description:
      - Make each Serverless Service of an active selected subaccount a host instead of the subaccount itself.
      - The Services are read with the subaccount's auth token, which Twilio's Accounts list returns to the main
        account; it is held in memory for that read only.
    type: bool
    default: false
notes:
  - Host names are the friendly names made safe (lower case; runs of anything but letters, digits, C(-) and
    C(_) become C(_)); when two would be the same, each gets its SID appended (C(_AC...)). With O(include_services)
    a host is C(<account host>_<service unique name>).
  - Every host is in the group C(twilio_accounts) and in C(twilio_status_<status>). Host variables are
    C(twilio_subaccount_sid), C(twilio_account_friendly_name), C(twilio_account_status), and with O(include_services)
    C(twilio_service_sid) and C(twilio_service) (the unique name).
seealso:
  - module: twilio_community.serverless.serverless_service
    description: Takes C(subaccount_sid) to act in a subaccount with the main account's credentials.
  - name: Twilio Accounts API
    description: The subaccounts list this plugin reads.
    link: https://www.twilio.com/docs/iam/api/account
"""

EXAMPLES = r"""
# fleet.twilio_accounts.yml: one host per active subaccount; the main credentials from TWILIO_ACCOUNT_SID and
# TWILIO_AUTH_TOKEN (AWX: a credential of the type in docs/awx).
plugin: twilio_community.serverless.accounts
name_patterns:
  - "helpline-*"
keyed_groups:
  - key: twilio_account_friendly_name.split('-')[1]
    prefix: region
compose:
  ansible_connection: "'local'"

---
# services.twilio_accounts.yml: one host per Serverless Service of each subaccount, cached for an hour.
plugin: twilio_community.serverless.accounts
include_services: true
groups:
  ivr: twilio_service.endswith('-ivr')
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/twilio_accounts
cache_timeout: 3600

# A play over them (connection: local: the modules talk to Twilio from the controller); each task acts in
# the host's subaccount with the main credentials:
# - hosts: twilio_accounts
#   connection: local
#   gather_facts: false
#   module_defaults:
#     group/twilio_community.serverless.twilio:
#       subaccount_sid: "{{ twilio_subaccount_sid }}"
#   tasks:
#     - twilio_community.serverless.serverless_environment_info:
#         service: "{{ twilio_service }}"
"""

import fnmatch
import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import list_accounts
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import list_services
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import HAS_REQUESTS, TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

CONNECTION_OPTIONS = ("account_sid", "auth_token", "api_key", "api_secret", "region", "edge", "base_url",
                      "accounts_base_url", "validate_certs", "ca_path", "request_timeout", "retries")
# What the cache holds: the shape of a record below, never a token; a cache of another shape is read again.
CACHE_VERSION = 1
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def safe_name(name):
    """A friendly name as a host name: lower case, runs of anything but letters, digits, '-' and '_' as one '_'."""
    return _UNSAFE.sub("_", (name or "").lower()).strip("_")


def unique_names(items):
    """``[(name, sid)]`` -> ``{sid: host name}``: a name shared by two or more items gets each one's SID appended,
    so the names never depend on the order Twilio lists them in."""
    counts = {}
    for name, dummy in items:
        counts[name] = counts.get(name, 0) + 1
    return dict((sid, name if name and counts[name] == 1 else "%s_%s" % (name, sid) if name else sid)
                for name, sid in items)


def connections(options):
    """(the Accounts API's connection, the Serverless API's) from the plugin's options: every option checked
    (OptionError naming it) before any request. Both carry the main credentials."""
    serverless = connection_from_params(dict((name, options.get(name)) for name in CONNECTION_OPTIONS))
    return serverless._replace(base_url=serverless.accounts_base_url), serverless


def check_patterns(values, option="name_patterns"):
    for value in values or ():
        if not isinstance(value, str) or not value:
            raise OptionError(option, "%r is not a pattern; expected a shell-style pattern such as 'helpline-*'"
                              % (value,))
    return list(values or ())


def read_fleet(options, main_sid, display_warning):
    """Every account the main credentials see, as cached: ``[{sid, friendly_name, status, type, main,
    services}]`` (``services``: ``[{sid, unique_name}]``, or None when not read). Services are read, with
    include_services, for the active accounts the options select; the tokens stay in this function."""
    accounts_connection, serverless_connection = connections(options)
    patterns = check_patterns(options.get("name_patterns"))
    fleet, tokens = [], {}
    client = TwilioClient(accounts_connection)
    try:
        for account in list_accounts(client):
            if account["sid"] is None:
                display_warning("Skipped an account Twilio listed without a valid SID")
                continue
            tokens[account["sid"]] = account["auth_token"]
            fleet.append(dict(sid=account["sid"], friendly_name=account["friendly_name"], status=account["status"],
                              type=account["type"], main=account["sid"] == main_sid, services=None))
    finally:
        client.close()
    if options.get("include_services"):
        for account in fleet:
            if account["status"] == "active" and selected(account, options, patterns):
                account["services"] = read_services(serverless_connection, account, tokens.pop(account["sid"], None))
    tokens.clear()
    return fleet


def read_services(connection, account, token):
    if not token or not str(token).strip():
        raise TwilioError("Twilio listed subaccount %s without an auth token; its Services cannot be read"
                          % account["sid"])
    client = TwilioClient(connection._replace(username=account["sid"], password=token))
    try:
        return [dict(sid=service["sid"], unique_name=service["unique_name"]) for service in list_services(client)]
    except TwilioError as err:
        err.amend("reading the Services of subaccount %s" % account["sid"])
        raise
    finally:
        client.close()


def selected(account, options, patterns):
    """Whether the account is wanted, whatever its status: the main account only with include_main_account
    (then regardless of name_patterns); a subaccount when its friendly name matches a pattern, or none is given."""
    if account["main"]:
        return bool(options.get("include_main_account"))
    if not patterns:
        return True
    return any(fnmatch.fnmatchcase(account["friendly_name"] or "", pattern) for pattern in patterns)


def hosts_of(fleet, options, display_warning):
    """``[(host name, variables)]`` for the selected accounts whose status is in ``statuses`` (the others warned,
    by SID and status), one per account, or with include_services one per Service."""
    patterns = check_patterns(options.get("name_patterns"))
    statuses = options.get("statuses") or ["active"]
    kept = []
    for account in fleet:
        if not selected(account, options, patterns):
            continue
        if account["status"] not in statuses:
            display_warning("Skipped %s %s: its status is %s, not one of statuses (%s)"
                            % ("main account" if account["main"] else "subaccount", account["sid"],
                               account["status"] or "unreadable", ", ".join(statuses)))
            continue
        kept.append(account)
    names = unique_names([(safe_name(a["friendly_name"]), a["sid"]) for a in kept])
    hosts = []
    for account in kept:
        variables = dict(twilio_subaccount_sid=account["sid"], twilio_account_friendly_name=account["friendly_name"],
                         twilio_account_status=account["status"])
        if not options.get("include_services"):
            hosts.append((names[account["sid"]], variables))
            continue
        if account["services"] is None:
            display_warning("Subaccount %s is %s: Twilio refuses its credentials, so its Services are not listed"
                            % (account["sid"], account["status"]))
            continue
        services = account["services"]
        service_names = unique_names([("%s_%s" % (names[account["sid"]], safe_name(s["unique_name"])), s["sid"])
                                      for s in services])
        for service in services:
            hosts.append((service_names[service["sid"]],
                          dict(variables, twilio_service_sid=service["sid"], twilio_service=service["unique_name"])))
    return hosts


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "twilio_community.serverless.accounts"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(
            (".twilio_accounts.yml", ".twilio_accounts.yaml"))

    def _option_values(self):
        names = CONNECTION_OPTIONS + ("accounts_base_url", "include_main_account", "statuses", "name_patterns",
                                      "include_services")
        return dict((name, self.get_option(name)) for name in names)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        options = self._option_values()
        try:
            # Every option is checked before the cache is read or a request sent.
            connections(options)
            check_patterns(options["name_patterns"])
            main_sid = options["account_sid"].strip()
            fleet = self._cached_fleet(path, cache, options, main_sid)
            hosts = hosts_of(fleet, options, self.display.warning)
        except (OptionError, TwilioError) as err:
            raise AnsibleParserError("%s: %s" % (self.NAME, getattr(err, "msg", None) or err))
        self._populate(hosts)

    def _cached_fleet(self, path, cache, options, main_sid):
        if not HAS_REQUESTS:
            raise AnsibleParserError("the Python library requests is required on the controller for %s" % self.NAME)
        key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update = self.get_option("cache") and not cache
        wanted = dict(version=CACHE_VERSION, account_sid=main_sid, include_services=bool(options["include_services"]))
        if use_cache:
            try:
                found = self._cache[key]
            except KeyError:
                found = None
            if isinstance(found, dict) and all(found.get(k) == v for k, v in wanted.items()):
                return found["accounts"]
            update = True
        if not options["validate_certs"]:
            self.display.warning("validate_certs is false: the TLS certificates are not checked, so the credentials "
                                 "could reach an impostor. Use this only for testing.")
        fleet = read_fleet(options, main_sid, self.display.warning)
        if update:
            self._cache[key] = dict(wanted, accounts=fleet)
        return fleet

    def _populate(self, hosts):
        strict = self.get_option("strict")
        self.inventory.add_group("twilio_accounts")
        for name, variables in hosts:
            self.inventory.add_host(name, group="twilio_accounts")
            status_group = self.inventory.add_group("twilio_status_%s" % variables["twilio_account_status"])
            self.inventory.add_child(status_group, name)
            for var, value in variables.items():
                self.inventory.set_variable(name, var, value)
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)
