# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options: one table drives the argument spec, the env fallbacks and validation.

The options are documented once, in the ``twilio_community.serverless.twilio``
doc fragment (for modules, and for lookups as ``twilio.plugin_options``); keep
them in step: tests/unit/plugins/modules/test_contract.py compares each with
CONNECTION_ARGUMENT_SPEC (names, types, defaults, environment variables).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import ipaddress
import os
import re

from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown

# Twilio's edge and region names are short lowercase words (ashburn, ie1, ...);
# anything else could change the host the credentials are sent to.
_LOCATION = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")


def non_empty_env(*names):
    """Fallback that treats an empty variable as unset.

    AWX injects an empty string for a credential field left blank; taking it
    as a value would hide the next source of the option.
    """
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


def _env(name):
    return (non_empty_env, [name])


CONNECTION_ARGUMENT_SPEC = {
    "account_sid": {"type": "str", "fallback": _env("TWILIO_ACCOUNT_SID")},
    "auth_token": {"type": "str", "no_log": True, "fallback": _env("TWILIO_AUTH_TOKEN")},
    # An API key SID is an identifier, not a secret; without no_log=False the
    # word "key" makes Ansible guess otherwise and warn.
    "api_key": {"type": "str", "no_log": False, "fallback": _env("TWILIO_API_KEY")},
    "api_secret": {"type": "str", "no_log": True, "fallback": _env("TWILIO_API_SECRET")},
    "region": {"type": "str", "fallback": _env("TWILIO_REGION")},
    "edge": {"type": "str", "fallback": _env("TWILIO_EDGE")},
    "base_url": {"type": "str", "fallback": _env("TWILIO_SERVERLESS_BASE_URL")},
    # With a subaccount, the credentials above are the main account's: they go to accounts_base_url only, to
    # read the subaccount's auth token, which then goes to base_url (see _api/accounts.py).
    "subaccount_sid": {"type": "str", "fallback": _env("TWILIO_SUBACCOUNT_SID")},
    "accounts_base_url": {"type": "str", "fallback": _env("TWILIO_ACCOUNTS_BASE_URL")},
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path", "fallback": _env("TWILIO_SERVERLESS_CA_PATH")},
    "request_timeout": {"type": "float", "default": 30.0},
    "retries": {"type": "int", "default": 5},
    "max_concurrent_requests": {"type": "int", "default": 50, "fallback": _env("TWILIO_MAX_CONCURRENT_REQUESTS")},
}

# Every module's Service option, documented in the "service" doc fragment.
SERVICE_OPTION = {"type": "str", "required": True, "aliases": ["service_sid"]}

# account_sid: the account the credentials are of (the main account when subaccount_sid is set; the subaccount
# once _api/accounts.py: subaccount_connection put its own credentials in username and password), whose
# concurrency budget the requests count against; subaccount_sid: None, or the subaccount whose own credentials
# the Serverless requests must use, which subaccount_connection reads from accounts_base_url.
Connection = collections.namedtuple("Connection", "username password base_url validate_certs ca_path request_timeout "
                                                  "retries account_sid subaccount_sid accounts_base_url "
                                                  "max_concurrent_requests")


def _param(params, name):
    """A connection option's value; its default (from the argument spec) when a caller left it out."""
    value = params.get(name)
    return CONNECTION_ARGUMENT_SPEC[name].get("default") if value is None else value


def twilio_argument_spec(**module_options):
    """The module's own options merged with the connection options."""
    spec = dict((name, dict(value)) for name, value in CONNECTION_ARGUMENT_SPEC.items())
    spec.update(module_options)
    return spec


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def api_host(region=None, edge=None, product="serverless"):
    """Host for a region and edge, as the official twilio-python library forms it.

    Region alone gives ``serverless.{region}.twilio.com``; an edge without a
    region gets Twilio's default region ``us1``. (Twilio's serverless toolkit
    differs: it ignores an edge given without a region.)
    """
    if edge and not region:
        region = "us1"
    return ".".join(part for part in (product, edge, region, "twilio.com") if part)


def _check_location(value, option):
    if not _LOCATION.match(value) or len(value) > 32:
        raise OptionError(option, "%s is not a valid Twilio %s name; expected lowercase letters, digits and "
                                  "single hyphens, such as %s" % (shown(value), option,
                                                                  "'ie1'" if option == "region" else "'dublin'"))
    return value


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_EXAMPLE_URLS = {"accounts_base_url": "https://api.twilio.com",
                 "upload_base_url": "https://serverless-upload.twilio.com"}


def check_base_url(value, option="base_url"):
    """An http(s) origin with nothing after it: a path, query or credentials in it would leak or mislead."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise OptionError(option, "%s is not a valid URL; expected https://host[:port]" % shown(value))
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise OptionError(option, "%s is not an http(s) URL; expected https://host[:port]" % shown(value))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise OptionError(option, "must not contain credentials; use account_sid and auth_token "
                                  "(or api_key and api_secret) instead")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise OptionError(option, "%s has a path, query or fragment; expected only scheme, host and port, "
                                  "such as %s" % (shown(value), _EXAMPLE_URLS.get(option, "https://serverless.twilio.com")))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise OptionError(option, "%s would send credentials unencrypted; plain http is accepted only for a "
                                  "loopback host (127.0.0.1, ::1, localhost), such as a local simulator"
                                  % shown(value))
    netloc = parts.hostname if ":" not in parts.hostname else "[%s]" % parts.hostname
    if port is not None:
        netloc += ":%d" % port
    return "%s://%s" % (parts.scheme, netloc.lower())


def check_ca_path(value):
    """A readable file holding at least one PEM certificate: checked here, so a typo is an option error."""
    if not os.path.isfile(value):
        raise OptionError("ca_path", "%s is not a file; expected a file of PEM-encoded CA certificates" % shown(value))
    try:
        with open(value, "rb") as handle:
            head = handle.read(1024 * 1024)
    except (IOError, OSError) as exc:
        raise OptionError("ca_path", "%s cannot be read (%s); expected a readable file of PEM-encoded CA "
                                     "certificates" % (shown(value), exc.strerror or exc))
    if b"-----BEGIN CERTIFICATE-----" not in head:
        raise OptionError("ca_path", "%s holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line); expected "
                                     "a file of PEM-encoded CA certificates" % shown(value))
    return value


# Option of the modules that upload (serverless_build); documented there, not in the twilio fragment.
UPLOAD_BASE_URL_OPTION = {"type": "str", "fallback": _env("TWILIO_SERVERLESS_UPLOAD_BASE_URL")}


def upload_base_url(params, connection):
    """Where uploads go: ``upload_base_url`` if given; else the API origin when ``base_url`` is set (a
    simulator or proxy serves both); else Twilio's upload host with the region and edge of the API host."""
    given = None if _blank(params.get("upload_base_url")) else params["upload_base_url"]
    if given is not None:
        return check_base_url(given, "upload_base_url")
    if not _blank(params.get("base_url")):
        return connection.base_url
    region = None if _blank(params.get("region")) else params["region"]
    edge = None if _blank(params.get("edge")) else params["edge"]
    return "https://" + api_host(region, edge, "serverless-upload")


def connection_from_params(params):
    """Validate the connection options and return a Connection, or raise OptionError.

    API key and secret win over the auth token when both are given, as in
    twilio-cli; the account SID is always required. With ``subaccount_sid``
    the Connection still holds the main credentials: no request is made here,
    _api/accounts.py: subaccount_connection trades them for the subaccount's.
    """
    values = dict((name, None if _blank(params.get(name)) else params.get(name)) for name in
                  ("account_sid", "auth_token", "api_key", "api_secret", "region", "edge", "base_url",
                   "subaccount_sid", "accounts_base_url"))
    if values["account_sid"] is None:
        raise OptionError("account_sid", "is required; set the option or the TWILIO_ACCOUNT_SID environment variable")
    account_sid = check_sid(values["account_sid"], "AC", "account_sid")

    if values["api_key"] is not None or values["api_secret"] is not None:
        if values["api_key"] is None:
            raise OptionError("api_key", "is required with api_secret; set the option or TWILIO_API_KEY")
        if values["api_secret"] is None:
            raise OptionError("api_secret", "is required with api_key; set the option or TWILIO_API_SECRET")
        username, password = check_sid(values["api_key"], "SK", "api_key"), values["api_secret"]
    elif values["auth_token"] is not None:
        username, password = account_sid, values["auth_token"]
    else:
        raise OptionError("auth_token", "no credentials given; set auth_token (TWILIO_AUTH_TOKEN), or api_key and "
                                        "api_secret (TWILIO_API_KEY, TWILIO_API_SECRET)")

    # Checked even when base_url overrides them: a bad value is a mistake either way.
    region = _check_location(values["region"], "region") if values["region"] else None
    edge = _check_location(values["edge"], "edge") if values["edge"] else None
    if values["base_url"] is not None:
        base_url = check_base_url(values["base_url"])
    else:
        base_url = "https://" + api_host(region, edge)
    if values["accounts_base_url"] is not None:
        accounts_base_url = check_base_url(values["accounts_base_url"], "accounts_base_url")
    else:
        # Twilio's Accounts API (v2010) is served by api.twilio.com, with the region and edge as Serverless.
        accounts_base_url = "https://" + api_host(region, edge, "api")
    subaccount_sid = None
    if values["subaccount_sid"] is not None:
        subaccount_sid = check_sid(values["subaccount_sid"], "AC", "subaccount_sid")
        if subaccount_sid == account_sid:
            # The accounts inventory may list the main account beside its subaccounts (include_main_account):
            # its own SID means its own credentials, with no lookup.
            subaccount_sid = None

    timeout = check_range("request_timeout", _param(params, "request_timeout"), 0, 3600, above=True)
    retries = check_range("retries", _param(params, "retries"), 0, 20, unit="a whole number")
    ca_path = None if _blank(params.get("ca_path")) else check_ca_path(params["ca_path"])
    slots = check_range("max_concurrent_requests", _param(params, "max_concurrent_requests"), 0, 10000,
                        unit="a whole number")
    return Connection(username=username, password=password, base_url=base_url,
                      validate_certs=bool(_param(params, "validate_certs")), ca_path=ca_path,
                      request_timeout=float(timeout), retries=int(retries), account_sid=account_sid,
                      subaccount_sid=subaccount_sid, accounts_base_url=accounts_base_url,
                      max_concurrent_requests=int(slots))
