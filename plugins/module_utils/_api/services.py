# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Services as things to create, change and delete: the wanted fields, the comparison, the writes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_service_name, is_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import service_path, services_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write

MAX_FRIENDLY_NAME = 255
# The fields this collection manages: record field -> form parameter.
FIELDS = (("friendly_name", "FriendlyName"), ("include_credentials", "IncludeCredentials"),
          ("ui_editable", "UiEditable"))


def read_service(record):
    """What the collection decides on in a Service record: ``sid`` (a Service SID or None), ``unique_name``,
    and the managed FIELDS (``friendly_name`` a string, the two flags booleans; each None when unreadable)."""
    return dict(sid=readers.sid(record, "sid", "ZS"), unique_name=readers.text(record, "unique_name"),
                friendly_name=readers.text(record, "friendly_name"),
                include_credentials=readers.flag(record, "include_credentials"),
                ui_editable=readers.flag(record, "ui_editable"))


def check_service_name(value, option="name"):
    """A Service unique name to create or find: Twilio's 50 characters, and only what is safe in a URL path
    and a domain name; never a SID (a SID names a service that exists; it cannot be created)."""
    if is_sid(value, "ZS") or (isinstance(value, str) and value[:2] == "ZS" and len(value) == 34):
        raise OptionError(option, "%s is a Service SID; give the unique name of the service" % shown(value))
    if not is_service_name(value):
        raise OptionError(option, "%s is not a valid unique name: 1 to 50 letters, digits, '-', '_' or '.', starting "
                                  "with a letter or digit, no '..'" % shown(value))
    return value


def check_friendly_name(value, option="friendly_name"):
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_FRIENDLY_NAME:
        raise OptionError(option, "%s is not 1 to %d characters long" % (shown(value), MAX_FRIENDLY_NAME))
    return value


def resolve_service(client, service):
    """The Service SID for a SID (no request) or a unique name (one request)."""
    if is_sid(service, "ZS"):
        return service
    found = client.get(service_path(service), "service %r" % service)
    sid = read_service(found)["sid"]
    if sid is None:
        raise TwilioError("Twilio answered service %r without a valid Service SID" % service)
    return sid


def resolve_service_or_missing(client, service, check_mode):
    """As resolve_service, except that in check mode a unique name Twilio does not know is None: a Service
    an earlier task of the same check-mode run would have created. A SID is never missing here: no task can
    create a Service with a SID chosen in advance."""
    if not check_mode or is_sid(service, "ZS"):
        return resolve_service(client, service)
    found = find_service(client, service)
    return None if found is None else read_service(found)["sid"]


def missing_in_check_mode(what, then):
    """The warning of a module run in check mode on ``what`` that does not exist yet: what it would do (``then``)."""
    return "check mode: %s does not exist yet, as when an earlier task would create it; %s" % (what, then)


def find_service(client, name):
    """The Service record named ``name`` (SID or unique name), or None when Twilio answers 404."""
    try:
        found = client.get(service_path(name), "service %r" % name)
    except TwilioError as err:
        if err.http_status == 404:
            return None
        raise
    if read_service(found)["sid"] is None:
        raise TwilioError("Twilio answered service %r without a valid Service SID" % name)
    return found


def list_services(client):
    """Yield each Service of the client's account, read by read_service (one without a valid SID is skipped:
    it could not be named in a request)."""
    for record in iter_records(client, services_path(), "the services list"):
        service = read_service(record)
        if service["sid"] is not None:
            yield service


def differences(record, wanted):
    """The fields of ``wanted`` (record field -> value) that ``record`` does not have: field -> wanted value."""
    read = read_service(record)
    return dict((field, value) for field, value in wanted.items() if read.get(field) != value)


def form(fields):
    """Form parameters for the fields (booleans as Twilio's ``true``/``false``)."""
    params = {}
    for field, parameter in FIELDS:
        if field in fields:
            value = fields[field]
            params[parameter] = ("true" if value else "false") if isinstance(value, bool) else value
    return params


def create_service(client, name, fields, warnings):
    """Create the Service; after an ambiguous failure, adopt the service of that name if it now exists."""
    def settled():
        found = find_service(client, name)
        return found is not None, found
    params = dict(form(fields), UniqueName=name)
    created = reconciled_write(client, lambda: client.post(services_path(), "service %r" % name, params),
                               settled, "creating service %s" % name, warnings)
    if read_service(created)["sid"] is None:
        raise TwilioError("Twilio answered the creation of service %r without a valid Service SID" % name)
    return created


def update_service(client, sid, changes, warnings):
    """Send only ``changes``; after an ambiguous failure, re-read and count it done when they show."""
    def settled():
        found = find_service(client, sid)
        return found is not None and not differences(found, changes), found
    return reconciled_write(client, lambda: client.post(service_path(sid), "service %s" % sid, form(changes)),
                            settled, "updating service %s" % sid, warnings)


def delete_service(client, sid, warnings):
    """Delete the Service; a 404 (or one found gone after an ambiguous failure) counts as deleted."""
    def settled():
        return find_service(client, sid) is None, {}
    reconciled_write(client, lambda: client.delete(service_path(sid), "service %s" % sid), settled,
                     "deleting service %s" % sid, warnings, gone_is_done=True)
