#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_service
short_description: Create, update or delete a Twilio Serverless Service
version_added: 0.3.0
description:
  - Makes a Twilio Serverless Service exist with the given unique name and settings, or not exist.
  - The Service is found by its unique name (one request). When it exists, only the settings that differ are
    sent, in one update in place; when nothing differs nothing is sent. Its unique name cannot change; it is
    how the Service is found, and part of its domain.
  - A write is never sent twice on faith. A 429 is retried after backoff (Twilio did not process it). After a
    5xx, a timeout or a dropped connection the module reads the Service again; if the change took effect it
    succeeds with a warning, otherwise it sends the write again, within O(retries).
  - Deleting a Service deletes its Environments, Builds, Functions, Assets and Variables with it.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
options:
  name:
    description:
      - The unique name of the Service; it is part of the Service's domain (V(acme-ivr-1234.twil.io)).
      - 1 to 50 letters, digits, V(-), V(_) or V(.), starting with a letter or digit, no V(..). A Service SID is
        refused; a SID cannot be created, and O(state=absent) by SID would be too easy to get wrong.
    type: str
    required: true
    aliases:
      - unique_name
  friendly_name:
    description:
      - A descriptive name, 1 to 255 characters. Defaults to O(name).
    type: str
  include_credentials:
    description:
      - Whether the Account SID and Auth Token are in the context of the Service's functions
        (C(context.ACCOUNT_SID), C(context.AUTH_TOKEN), C(context.getTwilioClient())).
    type: bool
    default: true
  ui_editable:
    description:
      - Whether the Service can be edited in the Twilio Console.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the Service, or updates the settings that differ.
      - V(absent) deletes it; a Service that does not exist is V(changed=false).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: twilio_community.serverless.serverless_environment
    description: The Service's Environments.
  - module: twilio_community.serverless.serverless_build
    description: Build the Service's code from a project folder.
  - name: Twilio Serverless Service API
    description: The resource this module manages.
    link: https://www.twilio.com/docs/serverless/api/resource/service
"""

EXAMPLES = r"""
- name: The service exists, with the Twilio credentials in its functions' context
  twilio_community.serverless.serverless_service:
    name: acme-ivr
    friendly_name: ACME phone menu
  register: service

- name: Editable in the Console, without credentials in the context
  twilio_community.serverless.serverless_service:
    name: acme-ivr
    friendly_name: ACME phone menu
    include_credentials: false
    ui_editable: true

- name: What would change, without changing it
  twilio_community.serverless.serverless_service:
    name: acme-ivr
    friendly_name: ACME IVR
  check_mode: true
  diff: true

- name: Delete the service and everything in it
  twilio_community.serverless.serverless_service:
    name: acme-ivr-preview
    state: absent
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null when it does not exist (and in check mode, when it would be created).
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
service:
  description:
    - The Service with every field Twilio returns, as it is after the task (as it was, when nothing changed).
    - In check mode, the Service as it would be (no V(sid) when it would be created). With O(state=absent), the
      Service as it was before it was deleted; empty when there was none.
  returned: always
  type: dict
  sample:
    sid: ZS0123456789abcdef0123456789abcdef
    unique_name: acme-ivr
    friendly_name: ACME phone menu
    include_credentials: true
    ui_editable: false
    domain_base: acme-ivr-1234
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 6
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
    writes:
      description: Writes sent (POST and DELETE requests), also counted in RV(stats.requests). More than one only
        when Twilio rate-limited one, or one failed without taking effect; each one sent again also counts in
        RV(stats.retries).
      returned: always
      type: int
      sample: 1
error:
  description: What Twilio or the network said, when the task failed because of it.
  returned: on failure from the API
  type: dict
  contains:
    http_status:
      description: The HTTP status of the last answer; null for a network failure.
      returned: failure
      type: int
      sample: 503
    code:
      description: Twilio's error code, if it sent one.
      returned: failure
      type: int
      sample: 20503
    more_info:
      description: Twilio's link explaining the error code, if it sent one.
      returned: failure
      type: str
      sample: https://www.twilio.com/docs/errors/20503
    request_id:
      description: The C(Twilio-Request-Id) of the last answer, to quote to Twilio support.
      returned: failure
      type: str
      sample: RQ0123456789abcdef0123456789abcdef
"""

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    check_friendly_name,
    check_service_name,
    create_service,
    delete_service,
    differences,
    FIELDS,
    find_service,
    update_service,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True, aliases=["unique_name"]),
    friendly_name=dict(type="str"),
    include_credentials=dict(type="bool", default=True),
    ui_editable=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, service={}, stats=dict(requests=0, retries=0, writes=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service_name(params["name"])
    if params.get("friendly_name") is not None:
        check_friendly_name(params["friendly_name"])


def wanted_fields(params):
    return {"friendly_name": params.get("friendly_name") or params["name"],
            "include_credentials": params["include_credentials"], "ui_editable": params["ui_editable"]}


def diff_side(record):
    if not record:
        return {}
    return dict([("unique_name", record.get("unique_name"))] + [(pair[0], record.get(pair[0])) for pair in FIELDS])


def run(module, client, result):
    params = module.params
    check_params(params)
    name = params["name"]
    found = find_service(client, name)
    warnings = []
    if found is not None:
        result.update(service_sid=found["sid"], service=found)
    if params["state"] == "absent":
        if found is None:
            return result
        after = None
    else:
        wanted = wanted_fields(params)
        changes = differences(found, wanted) if found is not None else wanted
        if not changes:
            return result
        after = dict(found or {"unique_name": name}, **changes)
    result["changed"] = True
    if module._diff:
        header = "service %s" % name
        result["diff"] = dict(before=diff_side(found), after=diff_side(after), before_header=header,
                              after_header=header)
    if module.check_mode:
        if after is not None:
            result["service"] = after
        return result
    if after is None:
        delete_service(client, found["sid"], warnings)
    elif found is None:
        created = create_service(client, name, wanted, warnings)
        result.update(service_sid=created["sid"], service=created)
    else:
        result["service"] = update_service(client, found["sid"], changes, warnings) or after
    for warning in warnings:
        module.warn(warning)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
