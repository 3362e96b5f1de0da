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

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_sid
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


def list_resources(client, service_sid, kind):
    """friendly_name -> SID of the service's Functions (or Assets); records without a valid SID are left out."""
    found = {}
    for record in iter_records(client, resources_path(service_sid, kind),
                               "%ss of service %s" % (kind, service_sid), params={"PageSize": RESOURCE_PAGE_SIZE}):
        name, sid = record.get("friendly_name"), record.get("sid")
        if isinstance(name, str) and is_sid(sid, "ZH"):
            found.setdefault(name, sid)
    return found


def create_resource(client, service_sid, kind, name, warnings):
    """Create a Function (or Asset) named ``name``; return its SID.

    A create that may have taken effect (5xx, timeout, dropped connection) is reconciled by listing: the
    resource is adopted when it exists, and the create sent again only when it does not.
    """
    path = resources_path(service_sid, kind)
    what = "%s %s of service %s" % (kind, name, service_sid)

    def send():
        sid = client.post(path, what, {"FriendlyName": name}).get("sid")
        if not is_sid(sid, "ZH"):
            raise TwilioError("Twilio answered the creation of %s without a valid SID" % what)
        return sid

    def settled():
        sid = list_resources(client, service_sid, kind).get(name)
        return sid is not None, sid

    return reconciled_write(client, send, settled, "creating " + what, warnings, label="a %s" % kind)


def upload_version(client, service_sid, resource_sid, source, content):
    """Upload ``content`` (bytes) as a new version of ``source`` (a SourceFile); return its version SID."""
    # The filename is the last segment of the path, as the toolkit sends it ("reply" for /sms/reply).
    body, header = encode([("Path", source.path), ("Visibility", source.visibility)], "Content",
                          source.path.rpartition("/")[2], content, content_type(source.path, source.kind))
    what = "%s %s of service %s" % (source.kind, source.path, service_sid)
    found = client.upload(versions_path(service_sid, source.kind, resource_sid), what, body, header)
    sid = found.get("sid")
    if not is_sid(sid, "ZN"):
        raise TwilioError("Twilio answered the upload of %s without a valid version SID (sid: %s)"
                          % (what, excerpt(repr(sid), 60)))
    return sid


def fetch_function_content(client, service_sid, function_sid, version_sid):
    """The content of a function version, as the UTF-8 bytes Twilio holds; None when it sent none."""
    found = client.get(function_content_path(service_sid, function_sid, version_sid),
                       "content of function version %s of service %s" % (version_sid, service_sid))
    content = found.get("content")
    return content.encode("utf-8") if isinstance(content, str) else None
