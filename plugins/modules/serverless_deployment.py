#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_deployment
short_description: Make a Twilio Serverless Environment run a Build, promote it on, or roll it back
version_added: 0.2.0
description:
  - Makes an Environment of a Twilio Serverless Service run a Build, by creating a Deployment, only when the
    Environment does not run that Build already.
  - The Build is given by SID (O(build)), taken from another Environment (O(from_environment), a promotion), or
    is the Build that was live before the newest Deployment (O(rollback=true), which does nothing when that
    Deployment was a roll back, so running it twice never toggles between two Builds).
  - The Twilio API deploys any Build it is given and answers HTTP 409 when the Environment already runs it; it
    has no rollback. This module checks first that the Build exists and is V(completed), compares it with the
    live Build and sends nothing when they match, finds the previous Build from the Environment's Deployments
    (sorted by date client-side, since the API does not promise an order), and reads the Environment back after
    the change.
  - Every result says in C(rollback_build_sid) what O(rollback=true) would make live next.
  - A deployment is never sent twice for one task. A 429 is retried after backoff (Twilio did not process it).
    After a 5xx, a timeout, a dropped connection or a 409, the module re-reads the Environment; if the Build is
    live it succeeds with a warning, otherwise it sends the deployment again, within O(retries).
  - Variables are not versioned with Builds, so a rollback does not roll them back.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
  - twilio_community.serverless.service
options:
  environment:
    description:
      - The Environment to change, by SID (V(ZE) followed by 32 hexadecimal digits), unique name (such as
        V(production)) or domain suffix (such as V(stage); V(stage-environment), the serverless toolkit's unique
        name for it, works too).
      - An Environment that does not exist fails the task before any change, listing those that do.
    type: str
    required: true
  build:
    description:
      - The Build to make live, by SID (V(ZB) followed by 32 hexadecimal digits). It must be V(completed).
      - Exactly one of O(build), O(from_environment) and O(rollback=true) is required.
    type: str
    aliases:
      - build_sid
  from_environment:
    description:
      - Promote the Build live in this Environment (same naming rules as O(environment)).
      - Exactly one of O(build), O(from_environment) and O(rollback=true) is required.
    type: str
  rollback:
    description:
      - Make live again the Build that was live before the newest Deployment of O(environment). Safe to run
        twice, since when the newest Deployment was itself a roll back it changes nothing and warns.
      - The module decides from the Environment's Deployments alone (sorted by date, newest first, those of the
        same second in the order Twilio lists them), with B0 the live Build and B1, B2, B3 the Builds live before
        it, each before the next (a Deployment of the Build already live counts once).
      - B0 was never live before (a release) - makes B1 live; C(rollback_build_sid) says so beforehand.
      - B0 is B2 (the newest Deployment was a roll back from B1 to B0, or a release of B0 again, which looks the
        same) - changes nothing and warns C(already rolled back from build B1 to build B0); to go further back
        or to return to B1, name the Build with O(build).
      - B0 was live before, but not as B2 (a roll back to a Build named by SID, or a release of an old Build
        again, which the history cannot tell apart and which call for different answers) - fails without
        changing anything, naming the Builds to choose from for O(build).
      - No B1, no Deployments, a live Build that the newest Deployment did not make live, or a Deployment
        without a Build SID - fails without changing anything.
      - Exactly one of O(build), O(from_environment) and O(rollback=true) is required.
    type: bool
    default: false
seealso:
  - module: twilio_community.serverless.serverless_environment_info
    description: What is live where, and the Deployment history.
  - module: twilio_community.serverless.serverless_build_wait
    description: Wait for a Build to complete before deploying it.
  - name: Twilio Serverless Deployment API
    description: The resource this module creates.
    link: https://www.twilio.com/docs/serverless/api/resource/deployment
"""

EXAMPLES = r"""
- name: Deploy a completed build to staging
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: staging
    build: ZB0123456789abcdef0123456789abcdef

- name: Promote what runs in staging to production
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: production
    from_environment: staging
  register: promoted

- name: Roll production back to the build live before (a second run changes nothing)
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: production
    rollback: true
  register: rolled_back

- name: What a roll back of staging would make live, without changing anything
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: staging
    rollback: true
  check_mode: true
  register: would

- name: What a promotion would change, without changing it
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: production
    from_environment: staging
  check_mode: true
  diff: true
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null if the task failed before it was known, or in check mode when the Service does not exist yet.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment:
  description:
    - The Environment with every field Twilio returns, read back after the change (as it was, when nothing
      changed or in check mode); empty if the task failed before it was found. In check mode, when the
      Environment does not exist yet, only its V(unique_name).
  returned: always
  type: dict
  sample:
    sid: ZE0123456789abcdef0123456789abcdef
    unique_name: production
    domain_suffix: null
    build_sid: ZB0123456789abcdef0123456789abcdef
build_sid:
  description: The Build live in the Environment now (in check mode, the one that would be); null if unknown.
  returned: always
  type: str
  sample: ZB0123456789abcdef0123456789abcdef
previous_build_sid:
  description:
    - The Build live before the task; null if none was, or if unknown.
    - It equals RV(build_sid) when nothing changed, so it is not what to roll back to; see RV(rollback_build_sid).
  returned: always
  type: str
  sample: ZBfedcba9876543210fedcba9876543210
rollback_build_sid:
  description:
    - The Build that O(rollback=true) would make live now, after this task (in check mode, as if the change
      were made); the same on a first run and on a re-run that changes nothing.
    - Null when there is no earlier Build, when the newest Deployment was a roll back (a roll back would
      change nothing), when a roll back would be refused (see O(rollback)), or if unknown.
  returned: always
  type: str
  sample: ZBfedcba9876543210fedcba9876543210
deployment:
  description: The Deployment created, with every field Twilio returns; null when nothing changed or in check mode.
  returned: always
  type: dict
  sample:
    sid: ZD0123456789abcdef0123456789abcdef
    environment_sid: ZE0123456789abcdef0123456789abcdef
    build_sid: ZB0123456789abcdef0123456789abcdef
    date_created: "2026-11-24T08:00:00Z"
build:
  description: The Build live now (the one that would be, in check mode) with every field Twilio returns; empty if
    unknown.
  returned: always
  type: dict
  sample:
    sid: ZB0123456789abcdef0123456789abcdef
    status: completed
    runtime: node22
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
      description: Deployments sent (POST requests), also counted in RV(stats.requests). More than one only when
        Twilio rate-limited one, or one failed without taking effect; each one sent again also counts in
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
    check_environment_name,
    find_environment,
    find_environment_or_missing,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    missing_in_check_mode,
    resolve_service_or_missing,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service, check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.rollback import (
    environment_state,
    release_build,
    roll_back,
)

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    environment=dict(type="str", required=True),
    build=dict(type="str", aliases=["build_sid"]),
    from_environment=dict(type="str"),
    rollback=dict(type="bool", default=False),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, environment={}, build_sid=None, previous_build_sid=None,
                    rollback_build_sid=None, deployment=None, build={}, stats=dict(requests=0, retries=0, writes=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service(params["service"])
    for name in ("environment", "from_environment"):
        if params.get(name) is not None:
            check_environment_name(params[name], name)
    given = [name for name in ("build", "from_environment") if params.get(name)] + (
        ["rollback"] if params.get("rollback") else [])
    if len(given) != 1:
        raise OptionError("build", "give exactly one of build, from_environment and rollback=true (got %s)"
                          % (", ".join(given) or "none"))
    if params.get("build"):
        check_sid(params["build"], "ZB", "build")


def wanted_build(params, service_sid, environments):
    """The SID of the Build named by ``build`` or live in ``from_environment``."""
    if params["build"]:
        return params["build"]
    source = find_environment(environments, params["from_environment"], service_sid, "from_environment")
    # As sent: null is no build; a value that is not a Build SID fails in fetch_build's path check, named.
    sent = readers.value(source, "build_sid")
    if sent is None:
        raise TaskFailed("Environment %s of service %s runs no build; nothing to promote"
                         % (readers.value(source, "unique_name") or readers.value(source, "sid"), service_sid))
    return sent


def planned(module, params, service_sid, environments, result):
    """Check mode, the service or the environment yet to be made by an earlier task: what the deployment would
    do there, without the SIDs that do not exist yet. A new environment has no deployment to roll back."""
    missing = ("environment %s" % params["environment"]) if service_sid else ("service %s" % params["service"])
    if params["rollback"]:
        module.warn(missing_in_check_mode(missing, "it would have no deployment to roll back"))
        return result
    build_sid = params["build"]
    if params["from_environment"] and service_sid:
        source = find_environment_or_missing(environments, params["from_environment"], service_sid, True,
                                             "from_environment")
        build_sid = readers.sid(source, "build_sid", "ZB") if source else None
    result.update(changed=True, build_sid=build_sid, environment={"unique_name": params["environment"]})
    module.warn(missing_in_check_mode(missing, "build %s would be made live in environment %s" % (
        build_sid or "of environment %s" % params["from_environment"], params["environment"])))
    return result


def run(module, client, result):
    params = module.params
    check_params(params)
    result["service_sid"] = service_sid = resolve_service_or_missing(client, params["service"], module.check_mode)
    environments = list_environments(client, service_sid) if service_sid else []
    target = find_environment_or_missing(environments, params["environment"], service_sid, module.check_mode)
    if target is None:
        return planned(module, params, service_sid, environments, result)
    result["environment"] = target
    # The history is read on every run, so that every result says what a roll back would do.
    state = environment_state(client, service_sid, target)
    result["previous_build_sid"] = result["build_sid"] = state.live
    result["rollback_build_sid"] = state.plan.target
    if params["rollback"]:
        # The one roll back path, which serverless_verify's rollback_on_failure takes too.
        done = roll_back(client, service_sid, state, module.check_mode, module._diff)
    else:
        build_sid = wanted_build(params, service_sid, environments)
        done = release_build(client, service_sid, state, build_sid, module.check_mode, module._diff)
    for warning in done.warnings:
        module.warn(warning)
    result.update(changed=done.changed, build_sid=done.build_sid, build=done.build,
                  rollback_build_sid=done.rollback_build_sid, environment=done.environment,
                  deployment=done.deployment)
    if done.diff is not None:
        result["diff"] = done.diff
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
