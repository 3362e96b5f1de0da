# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Functions and Assets of a Service, their Versions (uploads) and a function version's content.

A Function or Asset is found by ``friendly_name`` equal to its path and created when missing, as the
Twilio serverless toolkit does, so both tools share the resources of one Service.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import excerpt
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.multipart import content_type, encode
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import (
    function_content_path,
    resources_path,
    versions_path,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write

RESOURCE_PAGE_SIZE = 1000


def read_resource(record):
    """What the collection decides on in a Function or Asset record: ``sid`` (ZH... or None) and
    ``friendly_name`` (the path the toolkit and this collection give it)."""
    return dict(sid=readers.sid(record, "sid", "ZH"), friendly_name=readers.text(record, "friendly_name"))


def read_version(record, kind):
    """A Function or Asset Version record (``kind``: function or asset): ``sid`` (ZN... or None), ``path``,
    ``visibility`` (public, protected or private in any case, else None) and ``resource_sid`` (ZH... or None)."""
    return dict(sid=readers.sid(record, "sid", "ZN"), path=readers.text(record, "path"),
                visibility=readers.token(record, "visibility", readers.VISIBILITIES),
                resource_sid=readers.sid(record, "%s_sid" % kind, "ZH"))


def read_content(record):
    """A Function Version Content record's ``content`` as UTF-8 bytes; None when Twilio sent no string."""
    content = readers.text(record, "content")
    return content.encode("utf-8") if content is not None else None


def list_resources(client, service_sid, kind):
    """friendly_name -> SID of the service's Functions (or Assets); records without a valid SID are left out."""
    found = {}
    for record in iter_records(client, resources_path(service_sid, kind),
                               "%ss of service %s" % (kind, service_sid), params={"PageSize": RESOURCE_PAGE_SIZE}):
        read = read_resource(record)
        if read["friendly_name"] is not None and read["sid"] is not None:
            found.setdefault(read["friendly_name"], read["sid"])
    return found


def create_resource(client, service_sid, kind, name, warnings):
    """Create a Function (or Asset) named ``name``; return its SID.

    A create that may have taken effect (5xx, timeout, dropped connection) is reconciled by listing: the
    resource is adopted when it exists, and the create sent again only when it does not.
    """
    path = resources_path(service_sid, kind)
    what = "%s %s of service %s" % (kind, name, service_sid)

    def send():
        sid = read_resource(client.post(path, what, {"FriendlyName": name}))["sid"]
        if sid is None:
            raise TwilioError("Twilio answered the creation of %s without a valid SID" % what)
        return sid

    def settled():
        sid = list_resources(client, service_sid, kind).get(name)
        return sid is not None, sid

    return reconciled_write(client, send, settled, "creating " + what, warnings, label=("an %s" if kind == "asset" else "a %s") % kind)


def upload_version(client, service_sid, resource_sid, source, content):
    """Upload ``content`` (bytes) as a new version of ``source`` (a SourceFile); return its version SID."""
    # The filename is the last segment of the path, as the toolkit sends it ("reply" for /sms/reply).
    body, header = encode([("Path", source.path), ("Visibility", source.visibility)], "Content",
                          source.path.rpartition("/")[2], content, content_type(source.path, source.kind))
    what = "%s %s of service %s" % (source.kind, source.path, service_sid)
    found = client.upload(versions_path(service_sid, source.kind, resource_sid), what, body, header)
    sid = read_version(found, source.kind)["sid"]
    if sid is None:
        raise TwilioError("Twilio answered the upload of %s without a valid version SID (sid: %s)"
                          % (what, excerpt(repr(readers.value(found, "sid")), 60)))
    return sid


def fetch_function_content(client, service_sid, function_sid, version_sid):
    """The content of a function version, as the UTF-8 bytes Twilio holds; None when it sent none."""
    return read_content(client.get(function_content_path(service_sid, function_sid, version_sid),
                                   "content of function version %s of service %s" % (version_sid, service_sid)))
