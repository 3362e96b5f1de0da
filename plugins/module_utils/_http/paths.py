# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every API path the collection requests, built only from checked SIDs.

The user's SIDs are checked as options before any request; the ones Twilio
sends (an environment's ``build_sid``, a listed environment's ``sid``) are
untrusted like any server data, and a value that is not a SID of the right
kind would change the path the credentials are sent to. Each helper checks
every SID it is given and raises TwilioError (one line) for a bad one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import (
    ARTICLES,
    is_service_name,
    is_sid,
    KINDS,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown


def _checked(value, prefix):
    if not is_sid(value, prefix):
        raise TwilioError("Twilio sent %s where %s %s belongs ('%s' followed by 32 hexadecimal digits); it was not "
                          "used in a request" % (shown(value), ARTICLES[prefix], KINDS[prefix], prefix))
    return value


def child_path(parent, collection, sid=None, kind=None):
    """``parent`` (a path built here) + ``/<collection>``; with a ``kind``, + ``/<sid>`` checked as a SID of that
    kind (a missing one included: None is never a SID).

    How every nested path is made, so a new resource needs no helper of its own: its ``_api`` file calls this
    with its parent's path (``child_path(environment_path(s, e), "Logs", log_sid, "NO")``)."""
    path = "%s/%s" % (parent, collection)
    return path if kind is None else "%s/%s" % (path, _checked(sid, kind))


def account_path(account_sid):
    """An Account of Twilio's v2010 API (on accounts_base_url, not on the Serverless host)."""
    return "/2010-04-01/Accounts/%s.json" % _checked(account_sid, "AC")


def services_path():
    return "/v1/Services"


def service_path(service):
    """A Service by SID, or by a unique name (which Twilio accepts in its place)."""
    if not (is_sid(service, "ZS") or is_service_name(service)):
        raise TwilioError("%s is neither a Service SID nor a valid unique name; it was not used in a request"
                          % shown(service))
    return "/v1/Services/%s" % service


def builds_path(service_sid):
    return "/v1/Services/%s/Builds" % _checked(service_sid, "ZS")


def build_path(service_sid, build_sid):
    return child_path(service_path(_checked(service_sid, "ZS")), "Builds", build_sid, "ZB")


def build_status_path(service_sid, build_sid):
    return child_path(build_path(service_sid, build_sid), "Status")


def environments_path(service_sid):
    return "/v1/Services/%s/Environments" % _checked(service_sid, "ZS")


def environment_path(service_sid, environment_sid):
    return child_path(service_path(_checked(service_sid, "ZS")), "Environments", environment_sid, "ZE")


def deployments_path(service_sid, environment_sid):
    return child_path(environment_path(service_sid, environment_sid), "Deployments")


# The collection of each kind of resource a build is made of.
RESOURCE_COLLECTIONS = {"function": "Functions", "asset": "Assets"}


def resources_path(service_sid, kind):
    """The Functions (``kind`` function) or Assets (asset) of a Service."""
    return "/v1/Services/%s/%s" % (_checked(service_sid, "ZS"), RESOURCE_COLLECTIONS[kind])


def versions_path(service_sid, kind, resource_sid):
    """The Versions of a Function or Asset: on the upload origin, where a new one is POSTed."""
    return "%s/%s/Versions" % (resources_path(service_sid, kind), _checked(resource_sid, "ZH"))


def function_content_path(service_sid, function_sid, version_sid):
    return "%s/%s/Content" % (versions_path(service_sid, "function", function_sid), _checked(version_sid, "ZN"))


def variables_path(service_sid, environment_sid):
    return child_path(environment_path(service_sid, environment_sid), "Variables")


def variable_path(service_sid, environment_sid, variable_sid):
    return child_path(environment_path(service_sid, environment_sid), "Variables", variable_sid, "ZV")
