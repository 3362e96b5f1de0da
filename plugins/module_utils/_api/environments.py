# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Environments: find one by any of its names; create and delete.

Twilio cannot rename an Environment or change its domain suffix: an environment that exists with other
names is a conflict for a person to settle, never a reason to delete and re-create it (that would take its
deployments, its variables and its live URL away).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import environment_path, environments_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write

# Environments of a service are few; one page holds them all.
ENVIRONMENT_PAGE_SIZE = 50


def check_environment_name(value, option="environment"):
    """An environment name the user gave, before any request; OptionError when it is blank."""
    if value is None or not value.strip():
        raise OptionError(option, "an empty value names no environment; expected a ZE... SID, a unique name or a "
                                  "domain suffix")
    return value


def read_environment(record):
    """What the collection decides on in an Environment record: ``sid`` (an Environment SID or None),
    ``unique_name``, ``domain_suffix`` (None for the bare production environment) and ``build_sid`` (the live
    Build; None before the first deployment, or when Twilio sent something that is not a Build SID)."""
    return dict(sid=readers.sid(record, "sid", "ZE"), unique_name=readers.text(record, "unique_name"),
                domain_suffix=readers.text(record, "domain_suffix"), build_sid=readers.sid(record, "build_sid", "ZB"))


def list_environments(client, service_sid):
    records = iter_records(client, environments_path(service_sid), "environments of service %s" % service_sid,
                           params={"PageSize": ENVIRONMENT_PAGE_SIZE})
    return list(records)


def environment_label(env):
    return "%s (%s)" % (readers.value(env, "unique_name"), readers.value(env, "sid"))


def matches(env, name):
    """An environment is named by its SID, its unique name, or its domain suffix.

    Twilio's serverless toolkit names environments ``<suffix>-environment``;
    production has a null suffix and is usually called ``production``.
    """
    read = read_environment(env)
    suffix = read["domain_suffix"]
    return name in (read["sid"], read["unique_name"]) or (suffix is not None and name in (
        suffix, "%s-environment" % suffix))


def find_environment(environments, name, service_sid, option="environment"):
    """The environment ``name`` names among ``environments``; OptionError listing the ones that exist."""
    found = [env for env in environments if matches(env, name)]
    if len(found) == 1:
        env = found[0]
        if read_environment(env)["sid"] is None:
            raise TwilioError("Twilio listed environment %s of service %s without a valid Environment SID"
                              % (shown(name), service_sid))
        return env
    exist = ", ".join("%s (suffix %s)" % (readers.value(e, "unique_name"), readers.value(e, "domain_suffix"))
                      for e in environments)
    if found:
        raise OptionError(option, "%s names more than one environment of service %s: %s; use its SID"
                          % (shown(name), service_sid, ", ".join(environment_label(e) for e in found)))
    raise OptionError(option, "%s is not an environment of service %s; it has %s" % (
        shown(name), service_sid, exist or "no environments"))


def find_environment_or_missing(environments, name, service_sid, check_mode, option="environment"):
    """As find_environment, except that in check mode a name no environment has is None: an environment an
    earlier task of the same check-mode run would have created (never a SID: none can be chosen in advance)."""
    if check_mode and not is_sid(name, "ZE") and not [env for env in environments if matches(env, name)]:
        return None
    return find_environment(environments, name, service_sid, option)


def fetch_environment(client, service_sid, env_sid):
    return client.get(environment_path(service_sid, env_sid),
                      "environment %s of service %s" % (env_sid, service_sid))


# Twilio's documented maxima (CreateEnvironment).
MAX_UNIQUE_NAME = 100
MAX_DOMAIN_SUFFIX = 16
# The suffix is part of a host name (<service>-<digits>-<suffix>.twil.io).
_SUFFIX = re.compile(r"\A[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\Z")


def check_unique_name(value, option="name"):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_UNIQUE_NAME:
        raise OptionError(option, "%s is not a unique name of 1 to %d characters" % (shown(value), MAX_UNIQUE_NAME))
    return value


def check_domain_suffix(value, option="domain_suffix"):
    if value is None:
        return value
    if len(value) > MAX_DOMAIN_SUFFIX or not _SUFFIX.match(value):
        raise OptionError(option, "%s is not a domain suffix: 1 to %d letters, digits or '-', not starting or ending "
                                  "with '-' (it becomes part of the host name)" % (shown(value), MAX_DOMAIN_SUFFIX))
    return value


def label(env):
    return "%s (%s, domain suffix %s)" % (readers.value(env, "unique_name"), readers.value(env, "sid"),
                                          readers.value(env, "domain_suffix"))


def by_unique_name(environments, name):
    for env in environments:
        if read_environment(env)["unique_name"] == name:
            return env
    return None


def existing_environment(environments, name, suffix, service_sid):
    """The environment named ``name`` when it has ``suffix``; None when neither name nor suffix is taken.

    TaskFailed, saying which, when an environment has the name and another suffix, or another one holds
    the suffix: Twilio cannot change either, and deleting to re-create is for a person to decide.
    """
    named = by_unique_name(environments, name)
    if named is not None:
        held = read_environment(named)["domain_suffix"]
        if held != suffix:
            raise TaskFailed("Environment %s of service %s exists with domain suffix %s, not %s; Twilio cannot change "
                             "an environment's domain suffix. Use domain_suffix: %s, or delete the environment "
                             "(state: absent; its deployments and variables go with it) and create it again"
                             % (name, service_sid, held, suffix, held))
        if read_environment(named)["sid"] is None:
            raise TwilioError("Twilio listed environment %s of service %s without a valid Environment SID"
                              % (shown(name), service_sid))
        return named
    if suffix is not None:
        for env in environments:
            if read_environment(env)["domain_suffix"] == suffix:
                raise TaskFailed("Domain suffix %s of service %s is held by environment %s, so environment %s cannot "
                                 "have it; Twilio cannot change an environment's unique name or suffix. Use that "
                                 "environment's unique name, or another suffix" % (suffix, service_sid, label(env),
                                                                                   name))
    return None


def create_environment(client, service_sid, name, suffix, warnings):
    """Create the Environment; after an ambiguous failure, adopt the one of that unique name if it exists."""
    def settled():
        found = by_unique_name(list_environments(client, service_sid), name)
        return found is not None, found
    params = {"UniqueName": name}
    if suffix is not None:
        params["DomainSuffix"] = suffix
    created = reconciled_write(client, lambda: client.post(environments_path(service_sid), "environment %s of service "
                                                           "%s" % (shown(name), service_sid), params),
                               settled, "creating environment %s" % name, warnings)
    if read_environment(created)["sid"] is None:
        raise TwilioError("Twilio answered the creation of environment %s without a valid Environment SID" % shown(name))
    return created


def delete_environment(client, service_sid, env, warnings):
    """Delete the Environment; a 404 (or one found gone after an ambiguous failure) counts as deleted."""
    sid = readers.value(env, "sid")
    path = environment_path(service_sid, sid)

    def settled():
        return not any(read_environment(e)["sid"] == sid for e in list_environments(client, service_sid)), {}
    reconciled_write(client, lambda: client.delete(path, "environment %s of service %s" % (sid, service_sid)),
                     settled, "deleting environment %s" % readers.value(env, "unique_name"), warnings,
                     gone_is_done=True)
