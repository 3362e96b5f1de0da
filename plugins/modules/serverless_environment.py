#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_environment
short_description: Create or delete an Environment of a Twilio Serverless Service
version_added: 0.3.0
description:
  - Makes an Environment of a Twilio Serverless Service exist with the given unique name and domain suffix, or
    not exist. When it exists as asked, nothing is sent.
  - Twilio cannot change an existing Environment's unique name or domain suffix. When an Environment has
    O(name) with another suffix, or another Environment holds O(domain_suffix), the task fails saying which,
    before any write. It never deletes and re-creates an Environment on its own; that would take its
    deployments, its variables and its live URL away.
  - A write is never sent twice on faith. After a 5xx, a timeout or a dropped connection the module lists the
    Environments again; if the change took effect it succeeds with a warning, otherwise it sends the write
    again, within O(retries).
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
  - twilio_community.serverless.service
options:
  name:
    description:
      - The unique name of the Environment, 1 to 100 characters, such as V(staging) or V(production). The
        serverless toolkit names its environments V(<suffix>-environment).
    type: str
    required: true
    aliases:
      - unique_name
  domain_suffix:
    description:
      - The suffix of the Environment's domain (V(acme-ivr-1234-stage.twil.io) for V(stage)); 1 to 16 letters,
        digits or V(-), not starting or ending with V(-).
      - Omitted, the Environment has no suffix (the Service's own domain), as production usually does; an
        existing Environment of that name with a suffix is then a conflict.
      - Not looked at with O(state=absent).
    type: str
  state:
    description:
      - V(present) creates the Environment when it does not exist.
      - V(absent) deletes the Environment of that unique name, with its deployments and variables; an
        Environment that does not exist is V(changed=false).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: twilio_community.serverless.serverless_variables
    description: The Environment's variables.
  - module: twilio_community.serverless.serverless_deployment
    description: Make the Environment run a Build.
  - module: twilio_community.serverless.serverless_environment_info
    description: What is live where.
  - name: Twilio Serverless Environment API
    description: The resource this module manages.
    link: https://www.twilio.com/docs/serverless/api/resource/environment
"""

EXAMPLES = r"""
- name: A staging environment
  twilio_community.serverless.serverless_environment:
    service: acme-ivr
    name: staging
    domain_suffix: stage
  register: staging

- name: Production, on the service's own domain
  twilio_community.serverless.serverless_environment:
    service: acme-ivr
    name: production

- name: Remove a preview environment
  twilio_community.serverless.serverless_environment:
    service: acme-ivr
    name: preview-42
    state: absent
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null if the task failed before it was known, or in check mode when the Service does not exist yet.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment:
  description:
    - The Environment with every field Twilio returns, among them the Build live in it (V(build_sid), null
      when none is) and its V(domain_name), as it is after the task (as it was, when nothing changed).
    - In check mode, when it would be created, only the fields asked for. With O(state=absent), the
      Environment as it was before it was deleted; empty when there was none.
  returned: always
  type: dict
  sample:
    sid: ZE0123456789abcdef0123456789abcdef
    unique_name: staging
    domain_suffix: stage
    domain_name: acme-ivr-1234-stage.twil.io
    build_sid: null
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    by_unique_name,
    check_domain_suffix,
    check_unique_name,
    create_environment,
    delete_environment,
    existing_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import list_environments
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    missing_in_check_mode,
    resolve_service_or_missing,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    name=dict(type="str", required=True, aliases=["unique_name"]),
    domain_suffix=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, environment={}, stats=dict(requests=0, retries=0, writes=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service(params["service"])
    check_unique_name(params["name"])
    check_domain_suffix(params.get("domain_suffix"))


def diff_side(env):
    return {"unique_name": env.get("unique_name"), "domain_suffix": env.get("domain_suffix")} if env else {}


def run(module, client, result):
    params = module.params
    check_params(params)
    name, suffix = params["name"], params.get("domain_suffix")
    result["service_sid"] = service_sid = resolve_service_or_missing(client, params["service"], module.check_mode)
    warnings = []
    if service_sid is None:
        # Check mode after a task that would have created the service: it has no environment yet.
        environments = []
        if params["state"] == "present":
            module.warn(missing_in_check_mode("service %s" % params["service"],
                                              "environment %s would be created in it" % name))
    else:
        environments = list_environments(client, service_sid)
    if params["state"] == "absent":
        found = by_unique_name(environments, name)
        if found is None:
            return result
        result["environment"] = found
        after = None
    else:
        found = existing_environment(environments, name, suffix, service_sid)
        if found is not None:
            result["environment"] = found
            return result
        after = {"unique_name": name, "domain_suffix": suffix}
    result["changed"] = True
    if module._diff:
        header = "environment %s of service %s" % (name, service_sid or params["service"])
        result["diff"] = dict(before=diff_side(found), after=diff_side(after), before_header=header,
                              after_header=header)
    if module.check_mode:
        if after is not None:
            result["environment"] = after
        return result
    if after is None:
        delete_environment(client, service_sid, found, warnings)
    else:
        result["environment"] = create_environment(client, service_sid, name, suffix, warnings)
    for warning in warnings:
        module.warn(warning)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
