#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_environment_info
short_description: List the Environments of a Twilio Serverless Service and what runs in each
version_added: 0.2.0
description:
  - Lists the Environments of a Twilio Serverless Service, each with the SID of the Build live in it, or the one
    named by O(environment).
  - Each Environment carries C(rollback_build_sid), the Build that
    M(twilio_community.serverless.serverless_deployment) with C(rollback=true) would make live there now, decided
    from its Deployments as that module does; this reads every Environment's Deployments, one request each for
    up to 1000, and then that Build, one request each; a Build deleted since (pruned) is reported as null, with
    a warning, since a roll back to it would fail.
  - Each Environment also carries C(build_runtime) and C(build_dependencies), the runtime and dependencies of its
    live Build, read with one request for each Environment that has one, so a runtime audit needs no other call.
  - With O(source_digest=true), each Environment also carries C(build_source_sha256), a digest of the files its
    live Build holds, read from the build manifest that every Build of this collection carries, so the same project
    folder built anywhere, in any Service or account, has the same digest, whatever its runtime. It costs one more
    request for each Build live somewhere (its manifest), rarely two.
  - With O(deployments), each Environment also carries its newest Deployments, newest first. The API does not
    promise an order for Deployments, so the module sorts them by creation date itself (those of the same
    second in the order Twilio lists them).
  - Every request is a read, so the module never reports C(changed) and does the same in check mode.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.read_only
  - twilio_community.serverless.service
options:
  environment:
    description:
      - Only this Environment, by SID (V(ZE) followed by 32 hexadecimal digits), unique name or domain suffix.
      - An Environment that does not exist fails the task, listing those that do.
    type: str
  deployments:
    description:
      - How many of each Environment's newest Deployments to return, from 0 (none) to 1000.
    type: int
    default: 0
  source_digest:
    description:
      - Whether to report each Environment's C(build_source_sha256), for a "same source everywhere" check across
        Services and accounts (the P(twilio_community.serverless.fleet_report#filter) filter).
      - The digest is the sha256 of the JSON list of C([path, kind, visibility, sha256]) of the Build's files, sorted
        by path, the manifest left out; neither runtime nor dependencies are in it, so a rebuild on another runtime
        (O(twilio_community.serverless.serverless_build#module:from_environment)) keeps it.
      - It is read from the Build's manifest (a private function), one request for each Build live somewhere, and
        the content of a function the manifest has no entry for (a Build that carried its predecessor's manifest
        with one function changed). A Build made by another tool has no manifest, so its digest is null.
    type: bool
    default: false
seealso:
  - module: twilio_community.serverless.serverless_deployment
    description: Deploy, promote and roll back Builds.
  - name: Twilio Serverless Environment API
    description: The resource this module reads.
    link: https://www.twilio.com/docs/serverless/api/resource/environment
"""

EXAMPLES = r"""
- name: What runs where
  twilio_community.serverless.serverless_environment_info:
    service: acme-ivr
  register: envs

- name: Show it
  ansible.builtin.debug:
    msg: "{{ envs.environments | items2dict(key_name='unique_name', value_name='build_sid') }}"

- name: What a roll back of production would make live
  ansible.builtin.debug:
    msg: "{{ (envs.environments | selectattr('unique_name', 'eq', 'production') | first).rollback_build_sid }}"

- name: The services' environments still live on node20
  ansible.builtin.debug:
    msg: "{{ envs.environments | selectattr('build_runtime', 'eq', 'node20') | map(attribute='unique_name') }}"

- name: What source each environment runs, to compare with other services and accounts
  twilio_community.serverless.serverless_environment_info:
    service: acme-ivr
    source_digest: true
  register: sources

- name: Production with its last five deployments
  twilio_community.serverless.serverless_environment_info:
    service: acme-ivr
    environment: production
    deployments: 5
"""

RETURN = r"""
environments:
  description:
    - The Environments, oldest first as Twilio lists them (only the one named by O(environment), when given),
      with every field Twilio returns; C(build_sid) is the Build live there, null if none.
    - Empty if the task failed.
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The SID of the Environment.
      type: str
      sample: ZE0123456789abcdef0123456789abcdef
    unique_name:
      description: Its unique name.
      type: str
      sample: production
    domain_suffix:
      description: Its domain suffix; null for production as the serverless toolkit creates it.
      type: str
      sample: stage
    build_sid:
      description: The Build live in it; null if none.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    build_runtime:
      description: The runtime of the Build live in it, as Twilio sent it; null if none is live.
      type: str
      sample: node22
    build_dependencies:
      description: The dependencies of the Build live in it, each a C(name) and a C(version), as Twilio sent them;
        null if none is live.
      type: list
      elements: dict
      sample: [{name: twilio, version: 5.3.5}, {name: "@twilio/runtime-handler", version: 2.1.2}]
    build_source_sha256:
      description:
        - The digest of the files of the Build live in it, the same wherever the same folder was built (see
          O(source_digest)). Null if none is live, or when the Build has no manifest of this collection (made by
          another tool) or holds a file whose content cannot be known. Only with O(source_digest=true).
      type: str
      sample: 3f0c8a1d5b7e9f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a
    rollback_build_sid:
      description:
        - The Build that a roll back (M(twilio_community.serverless.serverless_deployment) with C(rollback=true))
          would make live there now.
        - Null when there is no earlier Build, when its newest Deployment was a roll back (a roll back would
          change nothing), when a roll back would be refused (the deployment module's C(rollback) option
          has the rule), or when that Build was deleted (a warning names it).
      type: str
      sample: ZBfedcba9876543210fedcba9876543210
    deployments:
      description: Its newest Deployments, newest first, with every field Twilio returns. Only with O(deployments).
      type: list
      elements: dict
service_sid:
  description: The SID of the Service; null if the task failed before it was known.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 2
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import fetch_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import (
    list_deployments,
    rollback_target,
    rollback_target_exists,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.source_build import read_source_sha256

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    environment=dict(type="str"),
    deployments=dict(type="int", default=0),
    source_digest=dict(type="bool", default=False),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(environments=[], service_sid=None, stats=dict(requests=0, retries=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service(params["service"])
    if params.get("environment") is not None:
        check_environment_name(params["environment"])
    check_range("deployments", params.get("deployments"), 0, 1000, unit="a whole number")


def live_build(client, service_sid, build_sid, env, module):
    """The live Build as sent; None when none is live or it is gone."""
    if build_sid is None:
        return None
    try:
        build = fetch_build(client, service_sid, build_sid)
    except TwilioError as err:
        if err.http_status != 404:
            raise
        module.warn("Environment %s runs build %s, which Twilio does not find"
                    % (readers.value(env, "unique_name"), build_sid))
        return None
    return build


def run(module, client, result):
    params = module.params
    check_params(params)
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    environments = list_environments(client, service_sid)
    if params["environment"]:
        environments = [find_environment(environments, params["environment"], service_sid)]
    digests = {}  # build SID -> digest: a Build live in two environments is read once
    for env in environments:
        # The SID as sent: the path helper checks it and names a bad one.
        history = list_deployments(client, service_sid, readers.value(env, "sid"))
        live = read_environment(env)["build_sid"]
        target = rollback_target(history, live)
        if target and not rollback_target_exists(client, service_sid, target):
            module.warn("Environment %s: its roll back target, build %s, no longer exists (deleted: pruned?), so "
                        "rollback_build_sid is null and a roll back there would fail; name a build with build: instead"
                        % (readers.value(env, "unique_name") or readers.value(env, "sid"), target))
            target = None
        env["rollback_build_sid"] = target
        build = live_build(client, service_sid, live, env, module)
        env["build_runtime"], env["build_dependencies"] = readers.value(build, "runtime"), readers.value(build, "dependencies")
        if params.get("source_digest"):
            if build is not None and live not in digests:
                digests[live] = read_source_sha256(client, service_sid, build)
            env["build_source_sha256"] = digests.get(live) if build is not None else None
        if params["deployments"]:
            env["deployments"] = history[:params["deployments"]]
    result["environments"] = environments
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
